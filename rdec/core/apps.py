from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
        from rdec.core import verification

        verification.connect_signals()  # a changed phone or e-mail is no longer verified

        # The top-level menus, grouped by task; a module may add its own (register_nav_group).
        # A menu none of whose entries the user may open is not shown.
        for key, label, order in (
            ("petitions", pgettext_lazy("navigation", "Petitions"), 10),
            ("tracking", pgettext_lazy("navigation", "Tracking"), 20),
            ("strategy", pgettext_lazy("navigation", "Strategy"), 30),
            ("tenders", pgettext_lazy("navigation", "Tenders and works"), 40),
            ("documents", pgettext_lazy("navigation", "Documents"), 50),
            ("opendata", pgettext_lazy("navigation", "Open data"), 60),
            ("analytics", pgettext_lazy("navigation", "Analysis"), 70),
            ("system", pgettext_lazy("navigation", "System"), 90),
        ):
            registry.register_nav_group(key, label, order=order)
        registry.register_nav(_("Agencies"), "core:agency-list", order=900, group="system")
        registry.register_nav(_("Districts"), "core:district-list", order=910, group="system")
        registry.register_nav(_("Office calendar"), "core:calendar", order=920, group="system")
        registry.register_nav(
            _("Rule sets"),
            "core:rule-set-list",
            order=980,
            group="system",
            visible=lambda user: permissions.check(user, "core.view_rule_sets"),
        )
        registry.register_nav(
            _("Audit trail"),
            "core:audit-list",
            order=990,
            group="system",
            visible=lambda user: permissions.check(user, "core.view_audit"),
        )
        registry.register_nav(
            _("Style guide"),
            "core:styleguide",
            order=993,
            group="system",
            visible=lambda user: permissions.check(user, "core.view_styleguide"),
        )
        registry.register_nav(
            _("API"),
            "api-docs",
            order=995,
            group="system",
            visible=lambda user: permissions.check(user, "core.use_api"),
        )
