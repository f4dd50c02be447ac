"""The open data module's viewsets on the platform's one router (/api/v1/), called by
rdec.core.api.urls. (The CKAN Action API has its own URLs: ckan_urls.py.)"""

from rdec.opendata.api import views


def register(router) -> None:
    router.register("opendata/feedback-stats", views.FeedbackStatsViewSet, basename="opendata-feedback-stats")
    router.register("opendata/feedback", views.FeedbackViewSet, basename="opendata-feedback")
