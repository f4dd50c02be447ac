from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DashboardConfig(AppConfig):
    name = "rdec.dashboard"
    label = "dashboard"
    verbose_name = _("City dashboard")

    def ready(self) -> None:
        from rdec.core import audit, permissions, registry
        from rdec.dashboard import components
        from rdec.dashboard import models as m

        audit.track(m.Layout)
        # each module's dashboard_components.py registers its components on import
        components.discover()
        registry.register_nav(
            pgettext_lazy("navigation", "Dashboard"),
            "dashboard:home",
            order=1,
            group="analytics",
            visible=lambda user: permissions.check(user, "dashboard.view_dashboard"),
        )
        registry.register_nav(
            _("Public dashboard"),
            "dashboard:public",
            order=69,
            group="opendata",
        )
