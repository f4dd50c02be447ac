"""The petitions viewsets on the platform's one router (/api/v1/), called by rdec.core.api.urls."""

from rdec.petitions.api import views


def register(router) -> None:
    router.register("categories", views.CategoryViewSet, basename="category")
    router.register("cases", views.CaseViewSet, basename="case")
    router.register("submissions", views.SubmissionViewSet, basename="submission")
