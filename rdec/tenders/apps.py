from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    name = "rdec.tenders"
    label = "tenders"
    verbose_name = _("Tender progress control")

    def ready(self) -> None:
        from rdec.tenders import worklist

        worklist.register()  # the home page's work queue (rdec.core.worklist)
        from rdec.core import audit, permissions, registry
        from rdec.core.rules import register_rule_set
        from rdec.tenders import models as m

        audit.track(m.RuleVersion)
        register_rule_set(m.RuleVersion, url_name="tenders:rule-list")
        audit.track(m.Tender)
        audit.track(m.ChangeOrder)
        audit.track(m.Extension)
        audit.track(m.MonthlyProgress)
        audit.track(m.InspectionRule)
        register_rule_set(m.InspectionRule, url_name="tenders:inspection-rule-list")
        audit.track(m.Deficiency)
        audit.track(m.Inspection)
        audit.track(m.Finding)
        audit.track(m.InspectionPhoto)
        audit.track(m.ImprovementReport)
        audit.track(m.Consequence)

        registry.register_nav(
            _("Tenders"),
            "tenders:tender-list",
            order=40,
            group="tenders",
            visible=lambda user: permissions.check(user, "tenders.view_tenders"),
        )
        registry.register_nav(
            _("Tender control report"),
            "tenders:control-report",
            order=41,
            group="tenders",
            visible=lambda user: permissions.check(user, "tenders.view_control_report"),
        )
        registry.register_nav(
            _("Construction inspections"),
            "tenders:inspection-list",
            order=42,
            group="tenders",
            visible=lambda user: permissions.check(user, "tenders.view_inspections"),
        )
