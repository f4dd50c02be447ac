"""The city dashboard's API under /api/v1/dashboard/ (mounted by rdec.core.api.urls)."""

from rdec.dashboard.api.views import ComponentViewSet


def register(router) -> None:
    router.register("dashboard/components", ComponentViewSet, basename="dashboard-component")
