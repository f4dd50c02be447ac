"""Analytics API: route suggestions."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from rdec.analytics import selectors
from rdec.analytics.api import serializers as s
from rdec.core.api.schema import ObjectSchema


class RouteSuggestionViewSet(viewsets.ViewSet):
    """Suggested agency and category for a new petition, from its text (and place)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.RouteRequestSerializer,
        responses={200: s.RouteSuggestionsSerializer},
    )
    def create(self, request):
        """The three likeliest agencies, best first, each with its likeliest category and a score; and
        the knowledge-base articles that answer the text (the same text understanding)."""
        query = s.RouteRequestSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        found = selectors.route_suggestions(request.user, text=data["text"], lat=data["lat"], lon=data["lon"])
        articles = selectors.kb_suggestions(request.user, text=data["text"])
        body = {"suggestions": found, "kb_articles": articles}
        return Response(s.RouteSuggestionsSerializer(body, context={"request": request}).data)


class SimilarCaseViewSet(viewsets.ViewSet):
    """Duplicate candidates of a case, for 併案."""

    permission_classes = [IsAuthenticated]
    lookup_field = "number"
    lookup_value_regex = r"\d{2,4}-\d{7}"

    @extend_schema(responses={200: s.SimilarCasesSerializer})
    @action(detail=True, methods=["get"])
    def similar(self, request, number=None):
        """Cases of the same issue (same category group, within 30 days, within 500 m or the same
        district, similar text), most similar first, with their similarity."""
        from rdec.petitions import selectors as petitions

        case = petitions.get_case_for_user(request.user, number)
        found = selectors.similar_cases(request.user, case)
        for row in found:
            row["distance_m"] = round(row["distance_m"]) if row["distance_m"] is not None else None
        return Response(s.SimilarCasesSerializer({"results": found}).data)


class HotspotViewSet(viewsets.ViewSet):
    """Spatio-temporal hotspots: district × category × week cells with significantly more cases
    than their own history and season lead one to expect (Poisson test, Benjamini–Hochberg)."""

    permission_classes = [IsAuthenticated]
    schema = ObjectSchema()

    @extend_schema(parameters=[s.HotspotQuerySerializer], responses={200: s.HotspotsSerializer})
    def list(self, request):
        query = s.HotspotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.hotspots(request.user, **query.validated_data)
        return Response(s.HotspotsSerializer({"results": found}).data)


class PointClusterViewSet(viewsets.ViewSet):
    """Places reported again and again: cases of one category within a short walk of each other
    (at least 5, each within 60 m of another; DBSCAN), e.g. one street light reported by 15 people."""

    permission_classes = [IsAuthenticated]
    schema = ObjectSchema()

    @extend_schema(parameters=[s.PointClusterQuerySerializer], responses={200: s.PointClustersSerializer})
    def list(self, request):
        query = s.PointClusterQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.point_clusters(request.user, **query.validated_data)
        return Response(s.PointClustersSerializer({"results": found}).data)


class ReportViewSet(viewsets.ViewSet):
    """質量分析報告: ask for one (built in the background), follow its progress, read its figures."""

    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"\d{1,18}"

    @extend_schema(responses={200: s.AnalysisReportSerializer(many=True)})
    def list(self, request):
        """The reports the caller may open (RDEC: all; agency staff: their agency's), newest first."""
        from rdec.core.permissions import require

        require(request.user, "analytics.view_reports")
        found = selectors.reports_visible_to(request.user)[:100]
        return Response(s.AnalysisReportSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(request=s.AnalysisReportRequestSerializer, responses={202: s.AnalysisReportSerializer})
    def create(self, request):
        """Ask for the report of the month, quarter or year containing `day`, for the whole city, an
        agency or a district (agency staff: their agency's only)."""
        from django.core.exceptions import ValidationError
        from rest_framework import serializers as drf

        from rdec.analytics import services

        query = s.AnalysisReportRequestSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            report = services.request_report(
                actor=request.user, period=data["period"], day=data["day"], agency=data["agency"],
                district=data["district"],
            )  # fmt: skip
        except ValidationError as exc:
            raise drf.ValidationError(exc.message_dict) from exc
        report.refresh_from_db()
        return Response(s.AnalysisReportSerializer(report, context={"request": request}).data, status=202)

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: s.AnalysisReportDetailSerializer},
    )
    def retrieve(self, request, pk=None):
        """The report's status and progress; once done, its summary, figures and files."""
        report = selectors.get_report_for_user(request.user, int(pk))
        return Response(s.AnalysisReportDetailSerializer(report, context={"request": request}).data)
