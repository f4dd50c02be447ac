"""API of 跨域委託研究's report library (issue 18, item 5).

`GET /api/v1/programs/research/reports/?q=`: public; the public reports only (a report restricted
under 政府資訊公開法 Art. 18 is never listed); every word of `q` in the title, an abstract, the keywords
or the full text (rdec.core.textsearch); paged like the platform's other lists; newest year first.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny

from rdec.programs import selectors_research
from rdec.programs.models import Report


class ReportAgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ResearchReportSerializer(serializers.ModelSerializer):
    agency = ReportAgencySerializer(read_only=True)
    # a plain integer: the model's small-integer range differs by database (the schema must not)
    year = serializers.IntegerField(read_only=True)
    abstract = serializers.CharField(source="abstract_zh")
    keywords = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "title", "year", "agency", "abstract", "abstract_en", "keywords", "url"]

    def get_keywords(self, report: Report) -> list[str]:
        """The keywords as a list (split at 、，, ; and spaces)."""
        import re

        return [k for k in re.split(r"[、，,;；\s]+", report.keywords or "") if k]

    def get_url(self, report: Report) -> str:
        request = self.context.get("request")
        path = reverse("programs:research-report-detail", args=[report.pk])
        return request.build_absolute_uri(path) if request else path


class ReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Public research reports: public."""

    permission_classes = [AllowAny]
    serializer_class = ResearchReportSerializer

    def get_queryset(self):
        return selectors_research.public_reports(self.request.query_params.get("q", ""))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, description="words, each found in the title, abstracts, keywords or full text"
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router) -> None:
    router.register("programs/research/reports", ReportViewSet, basename="programs-research-report")
