"""The analytics viewsets on the platform's one router (/api/v1/)."""

from rdec.analytics.api import views


def register(router) -> None:
    router.register("petitions/route-suggestions", views.RouteSuggestionViewSet, basename="route-suggestion")
    router.register("petitions", views.SimilarCaseViewSet, basename="petition-similar")
    router.register("analytics/hotspots", views.HotspotViewSet, basename="hotspot")
    router.register("analytics/point-clusters", views.PointClusterViewSet, basename="point-cluster")
    router.register("analytics/reports", views.ReportViewSet, basename="analytics-report")
