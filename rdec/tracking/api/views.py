"""Tracking API: items under control and meetings, scoped by selectors (agency staff and API keys
see their agency's items and the meetings their agency attended or has items from; RDEC officers
all). Writes go through the services: put an item under control, submit a progress report, record
the RDEC's review. A step the caller may not take is a 403; input or state that does not allow
it is a 400 with zh-Hant field messages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from rdec.core import selectors as core_selectors
from rdec.core.permissions import require
from rdec.tracking import selectors, services
from rdec.tracking.api import serializers as s
from rdec.tracking.models import CouncilSession, Item, Meeting, ProgressReport, Resolution


def _input(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _agency(code: str, field: str):
    agency = core_selectors.agencies_public().filter(code=code).first()
    if agency is None:
        raise ValidationError({field: [_("No agency has this code.")]})
    return agency


class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Items under control (列管案件) the caller may see, with filters: source, agency (owner or
    co-agency code), status ("open" or one status), overdue (true/false)."""

    permission_classes = [IsAuthenticated]
    queryset = Item.objects.none()  # for the schema; get_queryset scopes to the user
    lookup_field = "number"
    lookup_value_regex = r"\d{2,4}-\d{4,6}"

    serializer_class = s.TrackedItemSerializer

    def get_queryset(self):
        qs = selectors.items_visible_to(self.request.user).prefetch_related(
            Prefetch("reports", queryset=ProgressReport.objects.select_related("agency", "submitted_by"))
        )
        if self.action != "list":
            return qs
        query = s.ItemFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        return selectors.filter_items(
            qs,
            source=f.get("source", ""),
            agency=f.get("agency", ""),
            status=f.get("status", ""),
            overdue=f.get("overdue"),
        ).order_by("deadline", "id")

    @extend_schema(parameters=[s.ItemFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.TrackedItemCreateSerializer, responses={201: s.TrackedItemSerializer})
    def create(self, request, *args, **kwargs):
        """Put an item under control (RDEC; an agency for its own 自行列管 items)."""
        require(request.user, "tracking.create_item")
        data = _input(s.TrackedItemCreateSerializer, request)
        data["owner"] = _agency(data["owner"], "owner")
        data["co_agencies"] = [_agency(code, "co_agencies") for code in data["co_agencies"]]
        if data["council_session"] is not None:
            session = CouncilSession.objects.filter(pk=data["council_session"]).first()
            if session is None:
                raise ValidationError({"council_session": [_("No council session has this id.")]})
            data["council_session"] = session
        item = services.create_item(actor=request.user, **data)
        return self._item(item, status.HTTP_201_CREATED)

    def _item(self, item, code=status.HTTP_200_OK) -> Response:
        fresh = selectors.items_visible_to(self.request.user).filter(pk=item.pk).first()
        if fresh is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(
            s.TrackedItemSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=s.ProgressReportInputSerializer, responses={201: s.ProgressReportSerializer})
    @action(detail=True, methods=["post"])
    def reports(self, request, number=None):
        """A progress report by the responsible agency or a co-agency (propose_release: 建議解除列管)."""
        item = self.get_object()
        require(request.user, "tracking.report_progress", item)
        data = _input(s.ProgressReportInputSerializer, request)
        report = services.submit_report(item, actor=request.user, **data)
        return Response(s.ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ItemReviewInputSerializer, responses=s.TrackedItemSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, number=None):
        """The RDEC's decision on a report: release (解除列管) or continue (繼續列管), with a comment
        and, when continuing, an optional new deadline."""
        item = self.get_object()
        require(request.user, "tracking.review", item)
        data = _input(s.ItemReviewInputSerializer, request)
        reports = item.reports.filter(decision="")
        report = (
            reports.filter(pk=data["report"]).first()
            if data["report"] is not None
            else reports.order_by("-submitted_at", "-id").first()
        )
        if report is None:
            raise ValidationError({"report": [_("No report of this item is waiting for review.")]})
        services.review_report(
            report,
            actor=request.user,
            decision=data["decision"],
            comment=data["comment"],
            new_deadline=data["new_deadline"],
        )
        return self._item(item)


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings the caller may see (RDEC all; an agency those it attended or has items from), with
    their attendees and resolutions."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.TrackingMeetingSerializer
    queryset = Meeting.objects.none()

    def get_queryset(self):
        return selectors.meetings_visible_to(self.request.user).prefetch_related(
            "agencies",
            "representatives",
            Prefetch("resolutions", queryset=Resolution.objects.select_related("item").order_by("number")),
        )
