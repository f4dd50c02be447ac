"""The tracking viewsets on the platform's one router (/api/v1/), called by rdec.core.api.urls."""

from rdec.tracking.api import views


def register(router) -> None:
    router.register("tracking/items", views.ItemViewSet, basename="tracking-item")
    router.register("tracking/meetings", views.MeetingViewSet, basename="tracking-meeting")
