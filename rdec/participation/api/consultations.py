"""API of consultations (眾開講): GET /api/v1/participation/consultations/ and /{slug}/, public and
read-only. Published consultations only (no drafts), public fields only: no commenter's account,
phone or e-mail — a comment is counted, never listed here (the page shows them under the names
their authors chose)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from rdec.participation import selectors, services
from rdec.participation.models import Consultation, ResponseTheme


class ConsultationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c in Consultation.Status.values if c != Consultation.Status.DRAFT],
        required=False,
        help_text="open | closed | reported",
    )
    agency = serializers.CharField(required=False, max_length=40, help_text="the responsible agency's code")
    q = serializers.CharField(required=False, max_length=100, help_text="words in the title or background")


class ThemeSerializer(serializers.ModelSerializer):
    comments = serializers.SerializerMethodField(help_text="the public numbers (#n) of the comments answered")

    class Meta:
        model = ResponseTheme
        fields = ["title", "decision", "reason", "comments"]

    def get_comments(self, theme) -> list[int]:
        return getattr(theme, "comment_numbers", [])


class ConsultationSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", help_text="the responsible agency's code")
    agency_name = serializers.CharField(source="agency.name")
    questions = serializers.SerializerMethodField()
    comment_count = serializers.IntegerField(help_text="visible comments and replies")
    url = serializers.SerializerMethodField(help_text="the consultation's page")
    report = serializers.SerializerMethodField(help_text="the published response report, or null")

    class Meta:
        model = Consultation
        fields = [
            "slug",
            "title",
            "status",
            "stage",
            "agency",
            "agency_name",
            "opens_on",
            "closes_on",
            "report_due",
            "questions",
            "comment_count",
            "url",
            "report",
        ]

    def get_questions(self, c) -> list[str]:
        return [q for _n, q in selectors.consultation_questions(c)]

    def _abs(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_url(self, c) -> str:
        return self._abs(reverse("participation:consultation-detail", args=[c.slug]))

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_report(self, c) -> dict | None:
        if c.status != Consultation.Status.REPORTED:
            return None
        return {
            "published_at": c.report_published_at,
            "summary": c.report_summary,
            "policy_changes": c.policy_changes,
            "pdf": self._abs(reverse("participation:consultation-report-file", args=[c.slug, "pdf"])),
            "odt": self._abs(reverse("participation:consultation-report-file", args=[c.slug, "odt"])),
            "themes": ThemeSerializer(selectors.report_themes(c), many=True).data,
        }


class ConsultationViewSet(viewsets.ReadOnlyModelViewSet):
    """Published consultations (眾開講), newest first, with filters status, agency and q. Public."""

    permission_classes = [AllowAny]
    serializer_class = ConsultationSerializer
    queryset = Consultation.objects.none()  # for the schema; get_queryset reads the published ones
    lookup_field = "slug"

    def get_queryset(self):
        from django.db.models import Count, Q

        services.close_due_consultations()
        params = {"q": "", "status": "", "agency": ""}
        if self.action == "list":
            query = ConsultationFilterSerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            params.update(query.validated_data)
        return selectors.public_consultations(**params).annotate(
            comment_count=Count("comments", filter=Q(comments__hidden=False))
        )

    @extend_schema(parameters=[ConsultationFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router) -> None:
    router.register("participation/consultations", ConsultationViewSet, basename="participation-consultation")
