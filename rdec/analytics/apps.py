from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "rdec.analytics"
    label = "analytics"
    verbose_name = _("Petition analytics")

    def ready(self) -> None:
        from rdec.analytics import models as m
        from rdec.analytics import services
        from rdec.core import audit, permissions, registry
        from rdec.core.rules import register_rule_set
        from rdec.petitions import hooks

        # every filing (web form, API, Open311, queued intake, 1999 console): an unsure router → 分案 queue
        hooks.on_filed(services.flag_unsure_routing)
        audit.track(m.ReportRule)
        register_rule_set(m.ReportRule)
        audit.track(m.RoutingRule)
        register_rule_set(m.RoutingRule)
        registry.register_nav(
            _("Analysis reports"),
            "analytics:report-list",
            order=35,
            group="analytics",
            visible=lambda user: permissions.check(user, "analytics.view_reports"),
        )
        registry.register_nav(
            _("Petitions dashboard"),
            "analytics:dashboard",
            order=5,
            group="analytics",
            visible=lambda user: permissions.check(user, "analytics.view_hotspots"),
        )
        registry.register_nav(
            _("Router accuracy"),
            "analytics:router",
            order=38,
            group="analytics",
            visible=lambda user: user is not None and permissions.check(user, "analytics.train_router"),
        )
        registry.register_nav(
            _("Hotspot map"),
            "analytics:hotspot-map",
            order=36,
            group="analytics",
            visible=lambda user: permissions.check(user, "analytics.view_hotspots"),
        )
