from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SecurityConfig(AppConfig):
    name = "rdec.security"
    label = "security"
    verbose_name = _("Information security")

    def ready(self) -> None:
        from rdec.core import audit, permissions, registry
        from rdec.core.rules import register_rule_set
        from rdec.security import models as m

        for model in (m.Asset, m.AssetCpe, m.Finding, m.SupportEnd, m.RemediationPolicy, m.KevEntry):
            audit.track(model)
        # CVE records, configurations and criteria come in bulk from public feeds: one audit event
        # per loaded file (security.feed_imported), not one per row
        register_rule_set(m.RemediationPolicy)

        # 資訊安全 is its own menu; later parts of issue 21 (duties, incidents, GCB/EDR, training,
        # drills, the posture dashboard) add their entries to it
        registry.register_nav_group("security", pgettext_lazy("navigation", "Information security"), order=75)

        def can_view(user):
            return permissions.check(user, "security.view_security")

        registry.register_nav(
            _("Assets"), "security:asset-list", group="security", order=10, visible=can_view
        )
        registry.register_nav(
            _("Findings"), "security:finding-list", group="security", order=20, visible=can_view
        )
        registry.register_nav(
            _("Vulnerabilities and CPE names"),
            "security:cpe-search",
            group="security",
            order=30,
            visible=can_view,
        )
