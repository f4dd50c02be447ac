"""Tenders API: tenders the caller may see (agency staff and API keys: their agencies; RDEC
officers: all), their monthly progress with lag and class, progress entry through the service, and
the monthly control report. 403 when the caller may not; 400 with zh-Hant field messages on bad
input."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from rdec.core import selectors as core_selectors
from rdec.core.api.schema import ObjectSchema
from rdec.core.permissions import require
from rdec.tenders import inspection_selectors, selectors, services
from rdec.tenders.api import serializers as s
from rdec.tenders.models import Finding, Inspection, Tender


def progress_rows(points) -> list[dict]:
    return [
        {
            "month": f"{p.progress.month:%Y-%m}",
            "planned_pct": p.progress.planned_pct,
            "actual_pct": p.progress.actual_pct,
            "lag": p.lag,
            "lag_class": p.klass,
            "days_behind": p.days,
            "budget_executed": p.progress.budget_executed,
            "reason": p.progress.reason,
            "is_late": p.progress.is_late,
            "entered_at": p.progress.entered_at,
        }
        for p in points
    ]


def report_data(report) -> dict:
    def ref(agency):
        return {"code": agency.code, "name": agency.name, "short_name": agency.short_name}

    return {
        "month": f"{report.month:%Y-%m}",
        "agencies": [
            {"agency": ref(a.agency), "performance": a.performance, "below_threshold": a.below_threshold}
            for a in report.agencies
        ],
        "seriously_lagging": [
            {
                "tender_no": r.tender_no,
                "name": r.name,
                "agency": ref(r.agency),
                "planned_pct": r.planned_pct,
                "actual_pct": r.actual_pct,
                "lag": r.lag,
            }
            for r in report.seriously_lagging
        ],
    }


class TenderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tenders (標案) the caller may see, with filters: agency (code or short name), type, status, q.
    Agencies (and their API keys) add their own tenders; the RDEC any agency's."""

    permission_classes = [IsAuthenticated]
    queryset = Tender.objects.none()  # for the schema; get_queryset scopes to the user
    lookup_field = "number"
    lookup_value_regex = r"[^/]+"

    def get_serializer_class(self):
        return s.TenderDetailSerializer if self.action == "retrieve" else s.TenderSerializer

    def get_queryset(self):
        qs = selectors.tenders_visible_to(self.request.user)
        if self.action == "retrieve":
            return qs.prefetch_related("change_orders", "extensions")
        if self.action != "list":
            return qs
        query = s.TenderFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.filter_tenders(qs, **query.validated_data).order_by("number")

    @extend_schema(parameters=[s.TenderFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.TenderCreateSerializer, responses={201: s.TenderDetailSerializer})
    def create(self, request, *args, **kwargs):
        require(request.user, "tenders.manage_tender")
        data = s.TenderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        agency = core_selectors.agencies_public().filter(code=values.pop("agency")).first()
        if agency is None:
            raise ValidationError({"agency": [_("No agency has this code.")]})
        tender = services.create_tender(actor=request.user, agency=agency, **values)
        return Response(
            s.TenderDetailSerializer(tender, context=self.get_serializer_context()).data, status=201
        )

    def retrieve(self, request, *args, **kwargs):
        tender = self.get_object()
        context = {
            **self.get_serializer_context(),
            "progress": progress_rows(selectors.tender_progress(tender)),
        }
        return Response(s.TenderDetailSerializer(tender, context=context).data)

    @extend_schema(request=s.TenderProgressInputSerializer, responses={201: s.TenderDetailSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, number=None):
        """Enter (or correct) one month's cumulative progress of the tender."""
        tender = self.get_object()
        data = s.TenderProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_progress(tender, actor=request.user, **data.validated_data)
        context = {
            **self.get_serializer_context(),
            "progress": progress_rows(selectors.tender_progress(tender)),
        }
        return Response(
            s.TenderDetailSerializer(tender, context=context).data, status=status.HTTP_201_CREATED
        )


class ControlReportViewSet(viewsets.ViewSet):
    """The monthly tender control report (標案進度管制會報): each agency's execution performance and
    whether it is under the threshold, and every seriously lagging tender; scoped to the caller's
    agencies (RDEC: every agency)."""

    permission_classes = [IsAuthenticated]
    schema = ObjectSchema()  # one report object, although the route is a list route

    @extend_schema(parameters=[s.TenderMonthQuerySerializer], responses=s.TenderControlReportSerializer)
    def list(self, request):
        query = s.TenderMonthQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        month = query.validated_data.get("month") or selectors.previous_month()
        report = selectors.control_report(request.user, month)
        return Response(s.TenderControlReportSerializer(report_data(report)).data)


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Construction quality inspections (工程施工查核) the caller may see (agency staff and their API
    keys: their agencies' works; RDEC: all), with findings, improvement reports and follow-up
    status, and the consequences of a 丙等. Filters: year, agency (code or short name), grade, q."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.InspectionSerializer
    queryset = Inspection.objects.none()  # for the schema; get_queryset scopes to the user

    def get_queryset(self):
        qs = inspection_selectors.inspections_visible_to(self.request.user).prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("deficiency")),
            "improvements",
            "consequences",
        )
        if self.action != "list":
            return qs
        query = s.InspectionFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return inspection_selectors.filter_inspections(qs, **query.validated_data).order_by(
            "-inspected_on", "-id"
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_serializer(self, *args, **kwargs):
        today = timezone.localdate()
        items = args[0] if args else None
        if items is not None:
            for inspection in items if kwargs.get("many") else [items]:
                inspection.follow_up = inspection_selectors.follow_up_status(inspection, today)
        return super().get_serializer(*args, **kwargs)

    @extend_schema(parameters=[s.InspectionFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
