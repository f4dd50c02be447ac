"""The polls' API under /api/v1/polls/ (mounted by rdec.core.api.urls)."""

from rdec.polls.api.views import SurveyViewSet


def register(router) -> None:
    router.register("polls/surveys", SurveyViewSet, basename="polls-survey")
