from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "rdec.transparency"
    verbose_name = _("Transparency")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rdec.core import audit
        from rdec.core.rules import register_rule_set
        from rdec.transparency import models as m

        register_rule_set(m.TransparencyRule)
        audit.track(m.TransparencyRule)
        audit.track(m.DisclosureItem, exclude=["search_text"])
        audit.track(m.Contract, exclude=["search_text"])
        audit.track(m.Redaction, mask=["text"])  # the withheld passage itself stays out of the trail
        audit.track(m.Mou, exclude=["search_text", "text"])
        audit.track(m.MouApproval)
        from rdec.transparency.services import rules

        rules.RULES.connect()  # a saved version drops the per-process table
