"""API of the calls-and-review engine (issue 18, item 1).

- `GET /api/v1/programs/calls/`: anyone; `POST` (RDEC officers, administrators) creates a call with
  its rubric (weights summing to 100) and tie-break criterion: 201, 400 with field errors, 403.
- `GET/POST /api/v1/programs/calls/{slug}/submissions/`: the RDEC sees every submission, others
  their own and those they review; any signed-in account submits while the call is open (400
  after `closes`).
- `POST /api/v1/programs/calls/{slug}/scores/`: a reviewer's scores on a submission they are
  assigned to: `{"submission": reference, "round": "written"|"panel", "scores": {code: 0–100},
  "conflict": false}` (403 when not assigned).
- `GET /api/v1/programs/calls/{slug}/ranking/` (`?round=`): the RDEC at any time, everyone once the
  results are published; `{"results": [{"submission", "score", "rank", "excluded_reviewers"}]}`.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from rdec.core.permissions import check, is_oversight
from rdec.programs import scoring, selectors, services
from rdec.programs.models import Assignment, Call, Programme, ReviewRound, Submission


class WindowField(serializers.DateTimeField):
    """A date-time, or a date: a date `opens` at 00:00 and `closes` at the end of that day
    (Asia/Taipei), so a call "closing 2026-05-29" takes submissions all that day."""

    def __init__(self, *, end_of_day: bool, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and len(value.strip()) == 10:
            try:
                day = datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise serializers.ValidationError(
                    _("Enter a date or a date and time."), code="invalid"
                ) from None
            tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
            moment = datetime.datetime.combine(
                day, datetime.time.max if self.end_of_day else datetime.time.min
            )
            return moment.replace(tzinfo=tz)
        return super().to_internal_value(value)


class CriterionSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=200)
    weight = serializers.IntegerField(min_value=1, max_value=100)


class CallInputSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=60)
    title = serializers.CharField(max_length=200)
    programme = serializers.ChoiceField(choices=Programme.choices)
    opens = WindowField(end_of_day=False, help_text="a date-time, or a date (from 00:00 Asia/Taipei)")
    closes = WindowField(end_of_day=True, help_text="a date-time, or a date (until the end of that day)")
    criteria = CriterionSerializer(many=True, help_text="the rubric; weights sum to 100")
    tie_break = serializers.CharField(max_length=40, help_text="the code of the criterion breaking ties")
    themes = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    eligibility = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    required_documents = serializers.ListField(child=serializers.CharField(max_length=200), required=False)


class CallSerializer(serializers.ModelSerializer):
    criteria = serializers.SerializerMethodField(help_text="the rubric in use")
    rubric_version = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "slug",
            "title",
            "programme",
            "opens",
            "closes",
            "themes",
            "eligibility",
            "required_documents",
            "criteria",
            "tie_break",
            "rubric_version",
            "status",
            "results_published_at",
        ]
        read_only_fields = fields

    @staticmethod
    def _rubric(call):
        return max(call.rubrics.all(), key=lambda r: r.version)

    def get_rubric_version(self, call) -> int:
        return self._rubric(call).version

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, call) -> list[dict]:
        return [
            {"code": c.code, "name": c.name, "weight": c.weight} for c in self._rubric(call).criteria.all()
        ]


class CallSubmissionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Submission
        fields = [
            "reference",
            "title",
            "organisation",
            "tax_id",
            "team",
            "submitted_at",
            "eligibility",
            "eligibility_reasons",
            "decision",
            "decision_reason",
        ]
        read_only_fields = [
            "submitted_at",
            "eligibility",
            "eligibility_reasons",
            "decision",
            "decision_reason",
        ]
        extra_kwargs = {"tax_id": {"validators": []}}


class ScoresSerializer(serializers.Serializer):
    submission = serializers.CharField(max_length=40, help_text="the submission's reference")
    round = serializers.ChoiceField(choices=ReviewRound.Kind.choices, default=ReviewRound.Kind.WRITTEN)
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2),
        required=False,
        help_text="criterion code → score 0–100, every criterion of the rubric in use",
    )
    conflict = serializers.BooleanField(default=False, help_text="a conflict of interest declared")
    conflict_note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RankingQuerySerializer(serializers.Serializer):
    round = serializers.ChoiceField(choices=ReviewRound.Kind.choices, required=False)


RankingSerializer = inline_serializer(
    name="CallRanking",
    fields={
        "round": serializers.CharField(allow_null=True),
        "results": inline_serializer(
            name="CallRankingRow",
            many=True,
            fields={
                "submission": serializers.CharField(help_text="the reference"),
                "score": serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True),
                "rank": serializers.IntegerField(allow_null=True),
                "excluded_reviewers": serializers.ListField(
                    child=serializers.CharField(),
                    help_text="reviewers who declared a conflict (usernames for the RDEC, reviewer-N for others)",
                ),
            },
        ),
    },
)

ScoreResultSerializer = inline_serializer(
    name="ScoreResult",
    fields={
        "submission": serializers.CharField(),
        "round": serializers.CharField(),
        "rubric_version": serializers.IntegerField(allow_null=True),
        "total": serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True),
        "conflict": serializers.BooleanField(),
    },
)


class CallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Calls of the RDEC's programmes, with the rubric in use."""

    serializer_class = CallSerializer
    lookup_field = "slug"
    queryset = Call.objects.none()

    def get_permissions(self):
        if self.action in ("list", "retrieve", "ranking"):
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self):
        return selectors.calls_visible_to(self.request.user).prefetch_related("rubrics__criteria")

    @extend_schema(request=CallInputSerializer, responses={201: CallSerializer, 403: OpenApiResponse()})
    def create(self, request, *args, **kwargs):
        """A new call (RDEC officers, administrators)."""
        if not check(request.user, "programs.manage_call"):
            raise exceptions.PermissionDenied(_("You do not have permission to do this."))
        serializer = CallInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        call = services.create_call(
            actor=request.user,
            slug=data["slug"],
            title=data["title"],
            programme=data["programme"],
            opens=data["opens"],
            closes=data["closes"],
            criteria=[dict(c) for c in data["criteria"]],
            tie_break=data["tie_break"],
            themes=data.get("themes"),
            eligibility=data.get("eligibility", ""),
            required_documents=data.get("required_documents"),
        )
        call = self.get_queryset().get(pk=call.pk)
        return Response(CallSerializer(call).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses={200: CallSubmissionSerializer(many=True)},
        operation_id="programs_calls_submissions_list",
    )
    @extend_schema(
        methods=["POST"],
        request=CallSubmissionSerializer,
        responses={201: CallSubmissionSerializer, 400: OpenApiResponse(description="Late, or bad fields.")},
        operation_id="programs_calls_submissions_create",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def submissions(self, request, slug=None):
        call = selectors.get_call(slug)
        if request.method == "GET":
            rows = selectors.submissions_visible_to(request.user, call)
            return Response(CallSubmissionSerializer(rows, many=True).data)
        serializer = CallSubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submission = services.submit_to_call(
            call,
            actor=request.user,
            reference=data["reference"],
            title=data["title"],
            organisation=data["organisation"],
            tax_id=data["tax_id"],
            team=data.get("team", ""),
        )
        return Response(CallSubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ScoresSerializer,
        responses={201: ScoreResultSerializer, 403: OpenApiResponse(description="Not assigned to you.")},
    )
    @action(detail=True, methods=["post"])
    def scores(self, request, slug=None):
        """A reviewer's scores on one submission they are assigned to (or a conflict declaration)."""
        call = selectors.get_call(slug)
        serializer = ScoresSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submission = get_object_or_404(Submission, call=call, reference=data["submission"])
        assignment = Assignment.objects.filter(
            round__call=call, round__kind=data["round"], submission=submission, reviewer=request.user
        ).first()
        if assignment is None:
            raise exceptions.PermissionDenied(_("You are not assigned to review this submission."))
        assignment = services.score_submission(
            assignment,
            actor=request.user,
            scores=data.get("scores"),
            conflict=data["conflict"],
            conflict_note=data.get("conflict_note", ""),
        )
        rows = list(assignment.scores.select_related("criterion__rubric"))
        total = (
            scoring.weighted_total(
                {r.criterion.code: r.score for r in rows},
                {r.criterion.code: r.criterion.weight for r in rows},
            )
            if rows
            else None
        )
        return Response(
            {
                "submission": submission.reference,
                "round": data["round"],
                "rubric_version": rows[0].criterion.rubric.version if rows else None,
                "total": str(scoring.shown(total)) if total is not None else None,
                "conflict": assignment.conflict,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(parameters=[RankingQuerySerializer], responses={200: RankingSerializer})
    @action(detail=True, methods=["get"])
    def ranking(self, request, slug=None):
        """The ranking by score (the RDEC at any time; everyone once published)."""
        call = selectors.get_call(slug)
        if not check(request.user, "programs.view_ranking", call):
            if not request.user.is_authenticated:
                raise exceptions.NotAuthenticated()
            raise exceptions.PermissionDenied(_("The results of this call are not published yet."))
        query = RankingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        kind = query.validated_data.get("round")
        round = selectors.get_round(call, kind) if kind else selectors.default_round(call)
        entries = selectors.ranking(call, round, names=is_oversight(request.user))
        return Response(
            {
                "round": round.kind if round else None,
                "results": [
                    {
                        "submission": e.reference,
                        "score": str(scoring.shown(e.score)) if e.score is not None else None,
                        "rank": e.rank,
                        "excluded_reviewers": e.excluded_reviewers,
                    }
                    for e in entries
                ],
            }
        )


def register(router) -> None:
    router.register("programs/calls", CallViewSet, basename="programs-call")
