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
        audit.track(m.DisclosureItem, exclude=["search_text", "search_pairs"])
        audit.track(m.Contract, exclude=["search_text", "search_pairs"])
        audit.track(m.Redaction, mask=["text"])  # the withheld passage itself stays out of the trail
        audit.track(m.Mou, exclude=["search_text", "search_pairs", "text"])
        audit.track(m.MouApproval)
        from rdec.transparency.services import rules

        rules.RULES.connect()  # a saved version drops the per-process table

        # 資訊公開專區: public registers, under the open-government menu (開放資料)
        from rdec.core import registry

        registry.register_nav(_("Government information"), "transparency:index", order=50, group="opendata")
        registry.register_nav(_("Contracts"), "transparency:contract-list", order=51, group="opendata")
        registry.register_nav(
            _("Memoranda of understanding"), "transparency:mou-list", order=52, group="opendata"
        )
