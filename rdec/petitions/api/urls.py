"""The petitions viewsets on the platform's one router (/api/v1/), called by rdec.core.api.urls."""

from rdec.petitions.api import views


def register(router) -> None:
    # the queued intake first: connected systems post to it in bursts, and URLs are tried in order
    router.register("submissions", views.SubmissionViewSet, basename="submission")
    router.register("categories", views.CategoryViewSet, basename="category")
    router.register("cases", views.CaseViewSet, basename="case")
