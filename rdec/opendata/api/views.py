"""Users' voice API: comments and data requests the caller may see (approved ones for everyone; the
caller's own, its agency's, and for RDEC all), submitting one (signed-in users), the agency's answer,
RDEC's review, and response-time statistics. 400 with zh-Hant field messages on bad input."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from rdec.core.api.schema import ObjectSchema
from rdec.core.models import Agency
from rdec.opendata import feedback as voice
from rdec.opendata import selectors, services
from rdec.opendata.api import serializers as s
from rdec.opendata.models import Feedback


def _drf(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.FeedbackSerializer
    queryset = Feedback.objects.none()

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self):
        qs = selectors.feedback_visible_to(self.request.user)
        if self.action != "list":
            return qs
        query = s.FeedbackFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        d = query.validated_data
        if d.get("kind"):
            qs = qs.filter(kind=d["kind"])
        if d.get("dataset"):
            qs = qs.filter(dataset__identifier=d["dataset"]) | qs.filter(dataset__name=d["dataset"])
        if d.get("answered") is not None:
            qs = qs.filter(answered_at__isnull=not d["answered"])
        return qs.order_by("-created_at", "-id")

    @extend_schema(parameters=[s.FeedbackFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.FeedbackCreateSerializer, responses={201: s.FeedbackSerializer})
    def create(self, request, *args, **kwargs):
        data = s.FeedbackCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        dataset = agency = None
        if values.get("dataset"):
            dataset = (
                selectors.published_datasets().filter(identifier=values["dataset"]).first()
                or selectors.published_datasets().filter(name=values["dataset"]).first()
            )
            if dataset is None:
                raise ValidationError({"dataset": [_("No published dataset has this identifier.")]})
        if values.get("agency"):
            agency = Agency.objects.filter(code=values["agency"]).first()
            if agency is None:
                raise ValidationError({"agency": [_("No agency has this code.")]})
        try:
            item = services.submit_feedback(
                actor=request.user,
                kind=values["kind"],
                topic=values["topic"],
                title=values["title"],
                body=values["body"],
                dataset=dataset,
                agency=agency,
            )
        except DjangoValidationError as exc:
            raise _drf(exc) from None
        return Response(s.FeedbackSerializer(item).data, status=201)

    @extend_schema(request=s.AnswerSerializer, responses=s.FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The agency's answer (its staff, supervisors and API keys; RDEC officers)."""
        item = self.get_object()
        data = s.AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.answer_feedback(item, actor=request.user, answer=data.validated_data["answer"])
        except DjangoValidationError as exc:
            raise _drf(exc) from None
        return Response(s.FeedbackSerializer(item).data)

    @extend_schema(request=s.ModerationSerializer, responses=s.FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def moderate(self, request, pk=None):
        """RDEC approves or hides an item (a note is required to hide)."""
        item = self.get_object()
        data = s.ModerationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.moderate_feedback(item, actor=request.user, **data.validated_data)
        except DjangoValidationError as exc:
            raise _drf(exc) from None
        return Response(s.FeedbackSerializer(item).data)


class FeedbackStatsViewSet(viewsets.ViewSet):
    """Response times of the agencies (public): submissions, answers, answers by the deadline,
    average and median days, unanswered items past the deadline."""

    permission_classes = [AllowAny]
    schema = ObjectSchema()

    @extend_schema(responses=s.FeedbackStatsSerializer)
    def list(self, request):
        from django.utils import timezone

        items = Feedback.objects.select_related("agency").order_by("pk")
        total, agencies = voice.response_stats(items)
        data = {
            "response_days_rule": voice.rule_on(timezone.localdate()).response_days,
            "total": total.as_dict(),
            "agencies": [{"agency": a.label, **a.as_dict()} for a in agencies],
        }
        return Response(s.FeedbackStatsSerializer(data).data)
