from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "rdec.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from rdec.petitions import worklist

        worklist.register()  # the home page's work queue (rdec.core.worklist)
        from rdec.core import audit, permissions, registry
        from rdec.core.models import Role
        from rdec.core.rules import register_rule_set
        from rdec.petitions import models as m

        personal = ["petitioner_name", "petitioner_phone", "petitioner_email", "address", "lat", "lon"]
        audit.track(m.Case, mask=personal, exclude=["tracking_code_hash"])
        audit.track(m.Category)
        audit.track(m.Extension)
        audit.track(m.Reply)
        audit.track(m.DutyContact, mask=["phone", "email"])
        audit.track(m.Article)
        audit.track(m.DeadlineRule)
        register_rule_set(m.DeadlineRule)

        from django.db.models.signals import post_delete, post_save

        from rdec.petitions.selectors import forget_categories

        post_save.connect(forget_categories, sender=m.Category, dispatch_uid="petitions-leaf-table")
        post_delete.connect(forget_categories, sender=m.Category, dispatch_uid="petitions-leaf-table-del")
        from rdec.petitions import deadlines

        deadlines.RULES.connect()

        # the citizen's actions: for visitors and citizens (staff file through the 1999 console)
        def citizen_or_visitor(user):
            return not user.is_authenticated or user.role == Role.CITIZEN

        registry.register_nav(
            _("File a petition"), "petitions:file", order=10, group="petitions", visible=citizen_or_visitor
        )
        registry.register_nav(
            _("Track a case"), "petitions:track", order=11, group="petitions", visible=citizen_or_visitor
        )
        registry.register_nav(
            _("My petitions"),
            "petitions:mine",
            order=12,
            group="petitions",
            visible=lambda user: user.is_authenticated and user.role == Role.CITIZEN,
        )
        registry.register_nav(
            _("Case inbox"),
            "petitions:inbox",
            order=20,
            group="petitions",
            visible=lambda user: permissions.check(user, "petitions.view_inbox"),
        )
        registry.register_nav(
            _("1999 console"),
            "petitions:console",
            order=21,
            group="petitions",
            visible=lambda user: permissions.check(user, "petitions.use_console"),
        )
        registry.register_nav(
            _("Knowledge base"),
            "petitions:kb",
            order=22,
            group="petitions",
            visible=lambda user: permissions.check(user, "petitions.view_kb"),
        )
        registry.register_nav(
            _("Duty contacts"),
            "petitions:contacts",
            order=23,
            group="petitions",
            visible=lambda user: permissions.check(user, "petitions.view_kb"),
        )
