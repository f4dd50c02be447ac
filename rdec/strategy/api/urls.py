"""The strategy viewsets on the platform's one router (/api/v1/), called by rdec.core.api.urls."""

from rdec.strategy.api import views


def register(router) -> None:
    router.register("strategy/action-plans", views.ActionPlanViewSet, basename="strategy-action-plan")
    router.register("strategy/windows", views.WindowViewSet, basename="strategy-window")
    router.register("strategy/reports", views.ReportViewSet, basename="strategy-report")
