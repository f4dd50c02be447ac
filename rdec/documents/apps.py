from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "rdec.documents"
    label = "documents"
    verbose_name = _("Document timeliness")

    def ready(self) -> None:
        from rdec.documents import worklist

        worklist.register()  # the home page's work queue (rdec.core.worklist)
        from rdec.core import audit, permissions, registry
        from rdec.core.rules import register_rule_set
        from rdec.documents import models as m

        audit.track(m.RuleVersion)
        register_rule_set(m.RuleVersion, url_name="documents:rule-list")
        audit.track(m.ImprovementReport)
        audit.track(m.SiteCheck)

        registry.register_nav(
            _("Document timeliness"),
            "documents:kpi-list",
            order=45,
            group="documents",
            visible=lambda user: permissions.check(user, "documents.view_kpis"),
        )
