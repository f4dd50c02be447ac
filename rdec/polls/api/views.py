"""The polls API under /api/v1/polls/ (issue 19, item 6).

`GET surveys/` (`?slug=`), `GET surveys/{id}/`, `GET surveys/{id}/results/?question=Q1`,
`GET surveys/{id}/crosstab/?question=Q1&by=sex`, `GET surveys/{id}/response-rates/`,
`GET surveys/{id}/weights/`,
`GET surveys/{id}/waves/?question=Q1` (the question in the series' earlier waves): a published poll is public; the
others are the RDEC's only (404 to anyone else). `POST surveys/`: the RDEC creates a draft poll.
`POST surveys/{id}/responses/`: the fieldwork file (multipart `file`: CSV, .xlsx or .sav), by the RDEC
or the poll's contractor with the key the RDEC issued for this poll (any other key: 403); 409 once
the poll is reported."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from rdec.core.permissions import check
from rdec.core.tabular import ImportFailed
from rdec.polls import selectors, services
from rdec.polls.models import DISCLOSURE_FIELDS, Survey

MAX_UPLOAD = 20 * 1024 * 1024


class SurveySerializer(serializers.ModelSerializer):
    # declared: a PositiveIntegerField's range differs by database, and the OpenAPI file must not
    wave = serializers.IntegerField(read_only=True, allow_null=True, min_value=1)
    sponsor = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()
    disclosure = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "slug",
            "title",
            "purpose",
            "status",
            "sponsor",
            "contractor",
            "procurement",
            "target_population",
            "frames",
            "modes",
            "field_start",
            "field_end",
            "series",
            "wave",
            "published_at",
            "questions",
            "disclosure",
        ]

    def get_sponsor(self, survey) -> str | None:
        return survey.sponsor.name if survey.sponsor_id else None

    def get_questions(self, survey) -> list[dict]:
        return [
            {
                "code": q.code,
                "wording": q.wording,
                "options": q.options,
                "order": q.order,
                "version": q.version,
                "filter": q.filter or None,
            }
            for q in survey.questions.all()
        ]

    def get_disclosure(self, survey) -> dict:
        return {name.removeprefix("disclosure_"): getattr(survey, name) for name in DISCLOSURE_FIELDS}


class FilterInputSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=40, help_text="the earlier question it depends on")
    codes = serializers.ListField(
        child=serializers.CharField(max_length=40), min_length=1, help_text="the answer codes that open it"
    )


class QuestionInputSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^Q\d+[A-Za-z0-9_]*$", max_length=40)
    wording = serializers.CharField(required=False, allow_blank=True)
    options = serializers.DictField(child=serializers.CharField(max_length=200), required=False)
    filter = FilterInputSerializer(required=False, allow_null=True)


class SurveyInputSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=80)
    title = serializers.CharField(max_length=200)
    purpose = serializers.CharField(required=False, allow_blank=True)
    contractor = serializers.CharField(required=False, allow_blank=True, max_length=200)
    procurement = serializers.CharField(required=False, allow_blank=True, max_length=300)
    target_population = serializers.CharField(required=False, allow_blank=True, max_length=200)
    frames = serializers.CharField(required=False, allow_blank=True, max_length=200)
    modes = serializers.CharField(required=False, allow_blank=True, max_length=200)
    field_start = serializers.DateField(required=False, allow_null=True)
    field_end = serializers.DateField(required=False, allow_null=True)
    series = serializers.CharField(required=False, allow_blank=True, max_length=200)
    wave = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10000)
    questions = QuestionInputSerializer(
        many=True,
        required=False,
        help_text="the questionnaire in order; a filter depends on an earlier question",
    )


OptionSerializer = inline_serializer(
    "PollOption",
    {
        "code": serializers.CharField(),
        "label": serializers.CharField(),
        "n": serializers.IntegerField(),
        "weighted_pct": serializers.FloatField(allow_null=True),
        "ci_low": serializers.FloatField(allow_null=True),
        "ci_high": serializers.FloatField(allow_null=True),
    },
    many=True,
)
ResultsSerializer = inline_serializer(
    "PollResults",
    {
        "question": serializers.CharField(),
        "n": serializers.IntegerField(),
        "effective_n": serializers.FloatField(),
        "design_effect": serializers.FloatField(allow_null=True),
        "margin_of_error": serializers.FloatField(allow_null=True),
        "base": serializers.CharField(
            allow_null=True, help_text="who a filtered question was asked of (null: every complete)"
        ),
        "missing": serializers.IntegerField(help_text="completes of the base who left it empty"),
        "options": OptionSerializer,
    },
)
RatesSerializer = inline_serializer(
    "PollResponseRates",
    {
        name: serializers.FloatField(allow_null=True)
        for name in (
            *(f"RR{i}" for i in range(1, 7)),
            *(f"COOP{i}" for i in range(1, 5)),
            *(f"REF{i}" for i in range(1, 4)),
            *(f"CON{i}" for i in range(1, 4)),
        )
    }
    | {"e": serializers.JSONField()},
)
WavesSerializer = inline_serializer(
    "PollWaves",
    {
        "question": serializers.CharField(),
        "series": serializers.CharField(),
        "waves": inline_serializer(
            "PollWave",
            {
                "survey": serializers.IntegerField(),
                "slug": serializers.CharField(),
                "title": serializers.CharField(),
                "wave": serializers.IntegerField(allow_null=True),
                "label": serializers.CharField(),
                "field_start": serializers.DateField(allow_null=True),
                "field_end": serializers.DateField(allow_null=True),
                "wording": serializers.CharField(),
                "n": serializers.IntegerField(),
                "design_effect": serializers.FloatField(allow_null=True),
                "comparable": serializers.BooleanField(),
                "changes": serializers.ListField(
                    child=serializers.ChoiceField(choices=["wording", "filter", "options"])
                ),
                "options": inline_serializer(
                    "PollWaveOption",
                    {
                        "code": serializers.CharField(),
                        "label": serializers.CharField(),
                        "n": serializers.IntegerField(),
                        "weighted_pct": serializers.FloatField(allow_null=True),
                        "difference": serializers.FloatField(
                            allow_null=True, help_text="this poll's % minus this wave's, in points"
                        ),
                        "z": serializers.FloatField(allow_null=True),
                        "p_value": serializers.FloatField(allow_null=True),
                        "significant": serializers.BooleanField(allow_null=True),
                    },
                    many=True,
                ),
            },
            many=True,
        ),
    },
)
WeightsSerializer = inline_serializer(
    "PollWeights",
    {
        "results": inline_serializer(
            "PollCaseWeight",
            {"case_id": serializers.CharField(), "weight": serializers.FloatField(allow_null=True)},
            many=True,
        )
    },
)


CrosstabSerializer = inline_serializer(
    "PollCrosstab",
    {
        "question": serializers.CharField(),
        "by": serializers.CharField(),
        "n": serializers.IntegerField(),
        "rows": inline_serializer(
            "PollCrosstabRow",
            {
                "category": serializers.CharField(),
                "n": serializers.IntegerField(),
                "warning": serializers.BooleanField(help_text="fewer than 30 unweighted respondents"),
                "design_effect": serializers.FloatField(),
                "margin_of_error": serializers.FloatField(),
                "options": inline_serializer(
                    "PollCrosstabCell",
                    {
                        "code": serializers.CharField(),
                        "label": serializers.CharField(),
                        "weighted_pct": serializers.FloatField(),
                    },
                    many=True,
                ),
            },
            many=True,
        ),
        "test": inline_serializer(
            "PollRaoScott",
            {
                "statistic": serializers.FloatField(),
                "df": serializers.IntegerField(),
                "p_value": serializers.FloatField(),
                "mean_deff": serializers.FloatField(),
            },
            allow_null=True,
        ),
    },
)


class ResponsesUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="the fieldwork file: CSV (UTF-8 or Big5), .xlsx or SPSS .sav")


ImportSerializer = inline_serializer(
    "PollResponsesImported",
    {
        "survey": serializers.IntegerField(),
        "cases": serializers.IntegerField(min_value=0),
        "completes": serializers.IntegerField(min_value=0),
        "questions": serializers.ListField(child=serializers.CharField()),
        "dropped_columns": serializers.ListField(
            child=serializers.CharField(), help_text="columns that looked like phone numbers, never kept"
        ),
    },
)


class SurveyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Opinion polls: published ones for everyone, the others for the RDEC."""

    serializer_class = SurveySerializer
    queryset = Survey.objects.none()

    def get_permissions(self):
        if self.action in ("create", "responses"):
            return super().get_permissions()
        return [AllowAny()]

    def get_queryset(self):
        queryset = selectors.surveys_visible_to(self.request.user).prefetch_related("questions")
        slug = self.request.query_params.get("slug")
        if self.action == "list" and slug:
            queryset = queryset.filter(slug=slug)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("slug", str, description="only the poll with this slug")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=SurveyInputSerializer, responses={201: SurveySerializer})
    def create(self, request, *args, **kwargs):
        """A new draft poll (RDEC officers, administrators)."""
        if not check(request.user, "polls.manage_polls"):
            raise exceptions.PermissionDenied(_("You do not have permission to do this."))
        serializer = SurveyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            survey = services.create_survey(
                actor=request.user, slug=data.pop("slug"), title=data.pop("title"), **data
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        return Response(SurveySerializer(survey).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("question", str, required=True, description="the question's code, e.g. Q1")
        ],
        responses={200: ResultsSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def results(self, request, pk=None):
        """A question's weighted frequencies: percentages 0–100; margin_of_error is the question's
        maximum at p = 0.5 with Kish's design effect, in percentage points."""
        survey = self.get_object()
        code = request.query_params.get("question", "")
        question = survey.questions.filter(code=code).first()
        if question is None:
            raise exceptions.ValidationError(
                {"question": [_("This poll has no question %(code)s.") % {"code": code or "—"}]}
            )
        out = selectors.question_results(survey, question)
        out.pop("wording", None)
        out.pop("small_base", None)
        return Response(out)

    @extend_schema(
        parameters=[
            OpenApiParameter("e", float, description="one eligibility estimate for every unknown case (0–1)"),
            OpenApiParameter("e_UH", float, description="e for unknown households (0–1)"),
            OpenApiParameter("e_UR", float, description="e for unknown eligible respondents (0–1)"),
            OpenApiParameter("e_UO", float, description="e for other unknowns (0–1)"),
            OpenApiParameter(
                "weighted", bool, description="sum base (selection) weights instead of counting"
            ),
        ],
        responses={200: RatesSerializer},
    )
    @action(detail=True, methods=["get"], url_path="response-rates", pagination_class=None)
    def response_rates(self, request, pk=None):
        """AAPOR outcome rates (Standard Definitions, 10th ed.) as fractions 0–1, with e: by default
        (I+P+R+NC+O)/(I+P+R+NC+O+NE), or given as `e`, or per unknown group as `e_UH`, `e_UR`, `e_UO`."""
        survey = self.get_object()
        params = request.query_params

        def fraction(name):
            try:
                value = float(params[name])
            except ValueError:
                value = -1.0
            if not 0 <= value <= 1:
                raise exceptions.ValidationError({name: [_("Give a number from 0 to 1.")]})
            return value

        e = None
        if "e" in params:
            e = fraction("e")
        groups = {g: fraction(f"e_{g}") for g in ("UH", "UR", "UO") if f"e_{g}" in params}
        if groups:
            e = groups
        weighted = params.get("weighted", "").lower() in ("1", "true", "yes")
        return Response(selectors.response_rates(survey, e=e, weighted=weighted))

    @extend_schema(
        parameters=[
            OpenApiParameter("question", str, required=True, description="the question's code, e.g. Q1"),
            OpenApiParameter(
                "by",
                str,
                required=True,
                description="sex, age_band, district, area (the districts in five areas), education or another weighting variable of the poll",
            ),
        ],
        responses={200: CrosstabSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def crosstab(self, request, pk=None):
        """A question by a respondents' variable: per category the unweighted n, `warning` when it is
        below 30, the weighted row percentages per option (0–100) and the row's maximum margin of error
        (points, with its design effect); `test` is the Rao–Scott design-adjusted chi-square (null
        with fewer than two categories either way)."""
        from rdec.polls import report

        survey = self.get_object()
        code = request.query_params.get("question", "")
        by = request.query_params.get("by", "")
        errors = {}
        question = survey.questions.filter(code=code).first()
        if question is None:
            errors["question"] = [_("This poll has no question %(code)s.") % {"code": code or "—"}]
        variables = report.crosstab_variables(survey)
        if by not in variables:
            errors["by"] = [_("Cross by one of: %(variables)s.") % {"variables": ", ".join(variables)}]
        if errors:
            raise exceptions.ValidationError(errors)
        out = report.survey_crosstab(survey, question, by)
        out.pop("by_label", None)
        out.pop("options", None)
        if out["test"] is not None:
            out["test"] = {k: out["test"][k] for k in ("statistic", "df", "p_value", "mean_deff")}
        return Response(out)

    @extend_schema(
        parameters=[
            OpenApiParameter("question", str, required=True, description="the question's code, e.g. Q1")
        ],
        responses={200: WavesSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def waves(self, request, pk=None):
        """The question in the earlier waves of the poll's series (oldest first, this poll last): each
        option's weighted % per wave and, for each earlier wave, this poll's change in points with the z
        test of two independent weighted proportions with their design effects (significant at 95 %).
        A wave whose wording, filter or options differ is not comparable (`changes`) and has no test."""
        survey = self.get_object()
        code = request.query_params.get("question", "")
        question = survey.questions.filter(code=code).first()
        if question is None:
            raise exceptions.ValidationError(
                {"question": [_("This poll has no question %(code)s.") % {"code": code or "—"}]}
            )
        return Response(selectors.wave_comparison(survey, question, user=request.user))

    @extend_schema(responses={200: WeightsSerializer})
    @action(detail=True, methods=["get"], pagination_class=None)
    def weights(self, request, pk=None):
        """The complete interviews' raked weights, scaled to mean 1."""
        return Response({"results": selectors.case_weights(self.get_object())})

    @extend_schema(
        request={"multipart/form-data": ResponsesUploadSerializer},
        responses={
            201: ImportSerializer,
            409: OpenApiResponse(description="The poll is already reported: its fieldwork is frozen."),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        pagination_class=None,
        parser_classes=[MultiPartParser, FormParser],
        serializer_class=ResponsesUploadSerializer,
    )
    def responses(self, request, pk=None):
        """Import the poll's fieldwork file (replacing its cases and weights), all or nothing, with the
        same rules as `rdec import_poll_responses`: the RDEC, or the poll's contractor with the key the
        RDEC issued for this poll (another poll's key or an agency's key: 403). A bad file is a 400
        whose `errors.file` lists every error by row and column; nothing is changed."""
        survey = Survey.objects.filter(pk=pk).first() if str(pk).isdigit() else None
        if survey is None:
            raise exceptions.NotFound()
        if not check(request.user, "polls.upload_responses", survey):
            raise exceptions.PermissionDenied(_("You do not have permission to do this."))
        if survey.status in (Survey.Status.REPORTED, Survey.Status.PUBLISHED):
            return Response(
                {"detail": _("The poll is already reported; its fieldwork cannot be replaced.")},
                status=status.HTTP_409_CONFLICT,
            )
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": [_("Attach the fieldwork file as “file”.")]})
        if upload.size > MAX_UPLOAD:
            raise exceptions.ValidationError({"file": [_("The file is larger than 20 MB.")]})
        try:
            result = services.upload_responses(survey, upload.read(), upload.name, actor=request.user)
        except ImportFailed as exc:
            raise exceptions.ValidationError({"file": exc.errors}) from exc
        return Response(
            {
                "survey": survey.pk,
                "cases": result.cases,
                "completes": result.completes,
                "questions": result.questions,
                "dropped_columns": result.dropped,
            },
            status=status.HTTP_201_CREATED,
        )
