"""Strategy API: action plans with their targets' progress (scoped by selectors.plans_visible_to:
RDEC all, agency members and their API keys their agency's), reporting windows, and the quarterly
report as a POST calling services.submit_report (403 for another agency's target, 400 when the
window is not open)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from rdec.core.permissions import require
from rdec.strategy import selectors, services
from rdec.strategy.api import serializers as s
from rdec.strategy.models import ActionPlan, ReportingWindow, Target


class ActionPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Action plans (行動方案) with each target's annual target, actual, achievement rate (達成率)
    and light as of a period (default: the latest reporting window that has opened)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.ActionPlanSerializer
    queryset = ActionPlan.objects.none()
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*"

    def _filters(self) -> dict:
        query = s.PlanFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data

    def get_queryset(self):
        require(self.request.user, "strategy.view_strategy")
        qs = selectors.plans_visible_to(self.request.user).prefetch_related("co_agencies")
        f = self._filters()
        if f.get("strategy"):
            qs = qs.filter(strategy__number=f["strategy"])
        if f.get("agency"):
            qs = qs.filter(agency__code=f["agency"])
        return qs.order_by("sort_key")

    def _period(self) -> tuple[int, int]:
        f = self._filters()
        year, quarter = selectors.current_period()
        return f.get("year", year), f.get("quarter", quarter if "year" not in f else 4)

    @extend_schema(parameters=[s.PlanFilterSerializer])
    def list(self, request, *args, **kwargs):
        plans = self.paginate_queryset(self.get_queryset())
        order = {p.pk: n for n, p in enumerate(plans)}
        rows = selectors.plan_rows(
            ActionPlan.objects.filter(pk__in=order)
            .select_related("strategy", "agency")
            .prefetch_related("co_agencies"),
            *self._period(),
        )
        rows.sort(key=lambda r: order[r.plan.pk])
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(parameters=[s.PlanFilterSerializer])
    def retrieve(self, request, *args, **kwargs):
        plan = self.get_object()
        row = selectors.plan_rows(
            ActionPlan.objects.filter(pk=plan.pk)
            .select_related("strategy", "agency")
            .prefetch_related("co_agencies"),
            *self._period(),
        )[0]
        return Response(self.get_serializer(row).data)


class WindowViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Reporting windows (填報期間), newest first, with their state today."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.WindowSerializer
    queryset = ReportingWindow.objects.none()

    def get_queryset(self):
        require(self.request.user, "strategy.view_strategy")
        return selectors.windows()


class ReportViewSet(viewsets.GenericViewSet):
    """Submit a target's value for a quarter while its window is open."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.ReportSerializer
    queryset = Target.objects.none()

    @extend_schema(request=s.ReportInputSerializer, responses={201: s.ReportSerializer})
    def create(self, request, *args, **kwargs):
        """填報: the value (omit it for a live-count target) and the narrative. Without year and
        quarter, the window open today is used."""
        data = s.ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        f = data.validated_data
        target = Target.objects.select_related("plan").filter(pk=f["target"]).first()
        if target is None or not selectors.plans_visible_to(request.user).filter(pk=target.plan_id).exists():
            raise ValidationError({"target": [_("No target you can see has this id.")]})
        if ("year" in f) != ("quarter" in f):
            raise ValidationError({"quarter": [_("Give both year and quarter, or neither.")]})
        if "year" in f:
            window = ReportingWindow.objects.filter(year=f["year"], quarter=f["quarter"]).first()
            if window is None:
                raise ValidationError({"quarter": [_("No reporting window exists for this quarter.")]})
        else:
            open_now = [w for w in selectors.open_windows() if w.year == target.year]
            if len(open_now) != 1:
                raise ValidationError(
                    {
                        "quarter": [
                            _(
                                "No single reporting window is open for this target's year: give year and quarter."
                            )
                        ]
                    }
                )
            window = open_now[0]
        report = services.submit_report(
            target, actor=request.user, window=window, value=f.get("value"), narrative=f["narrative"]
        )
        return Response(s.ReportSerializer(report).data, status=status.HTTP_201_CREATED)
