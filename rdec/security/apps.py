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

        # 資訊安全's pages sit in the 系統 menu for now: a tenth top-level menu does not fit the
        # header's one row (English at 1366 px, zh-Hant at 800 px; tests/browser/test_navigation.py).
        # When issue 21's other parts (duties, incidents, GCB/EDR, training, drills, the posture
        # dashboard) come, the header needs a decision (e.g. menus merged) before 資訊安全 gets its own.

        def can_view(user):
            return permissions.check(user, "security.view_security")

        registry.register_nav(
            pgettext_lazy("navigation", "Security: assets"),
            "security:asset-list",
            group="system",
            order=800,
            visible=can_view,
        )
        registry.register_nav(
            pgettext_lazy("navigation", "Security: vulnerability findings"),
            "security:finding-list",
            group="system",
            order=810,
            visible=can_view,
        )
        registry.register_nav(
            pgettext_lazy("navigation", "Security: CPE dictionary"),
            "security:cpe-search",
            group="system",
            order=820,
            visible=can_view,
        )
