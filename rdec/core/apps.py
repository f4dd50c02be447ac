from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rdec.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from rdec.core import attachments, audit, permissions, registry
        from rdec.core.api import schema  # noqa: F401 - registers the OpenAPI auth extension
        from rdec.core.models import Agency, APIKey, CalendarDay, District, User, Village

        attachments.configure_pillow()  # pixel limit before decoding, for every use of Pillow
        audit.track(Agency)
        audit.track(District, exclude=["geometry"])
        audit.track(Village, exclude=["geometry"])
        audit.track(CalendarDay)
        audit.track(User, mask=["phone", "email"])
        audit.track(APIKey, exclude=["id"], id_attr="prefix")  # its id holds the key's hash

        registry.register_nav(_("Home"), "core:home", order=0)
        registry.register_nav(_("Agencies"), "core:agency-list", order=900)
        registry.register_nav(_("Districts"), "core:district-list", order=910)
        registry.register_nav(_("Office calendar"), "core:calendar", order=920)
        registry.register_nav(
            _("Rule sets"),
            "core:rule-set-list",
            order=980,
            visible=lambda user: permissions.check(user, "core.view_rule_sets"),
        )
        registry.register_nav(
            _("Audit trail"),
            "core:audit-list",
            order=990,
            visible=lambda user: permissions.check(user, "core.view_audit"),
        )
