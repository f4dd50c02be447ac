"""Document timeliness API: the monthly KPIs per agency for documents closed (發文) in a month,
scoped to the caller's agencies (RDEC: every ranked agency). 400 with a zh-Hant message on a bad
month."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from rdec.core.api.schema import ObjectSchema
from rdec.documents import selectors
from rdec.documents.api import serializers as s


def kpi_data(kpis) -> dict:
    return {
        "month": f"{kpis.month:%Y-%m}",
        "threshold_pct": kpis.rule.overdue_threshold_pct,
        "results": [
            {
                "agency": {"code": k.agency.code, "name": k.agency.name, "short_name": k.agency.short_name},
                "group": k.group,
                "closed": k.closed,
                "overdue": k.overdue,
                "overdue_ratio": k.overdue_ratio,
                "avg_days": k.avg_days,
                "on_time_rate": k.on_time_rate,
                "pending": k.pending,
                "extended": k.extended,
                "rank": k.rank,
                "flagged": k.flagged,
            }
            for group in selectors.GROUPS
            for k in kpis.group(group)
        ],
    }


class DocumentKpiViewSet(viewsets.ViewSet):
    """Monthly document-timeliness KPIs (公文時效) of each agency for the documents closed in the
    month: closed, overdue, overdue ratio, average days used, on-time rate, pending, extended, the
    rank in its group (機關組/公所組) and whether it is over the threshold."""

    permission_classes = [IsAuthenticated]
    schema = ObjectSchema()  # one object with its results, although the route is a list route

    @extend_schema(parameters=[s.DocumentMonthQuerySerializer], responses=s.DocumentKpiListSerializer)
    def list(self, request):
        query = s.DocumentMonthQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        month = query.validated_data.get("month") or selectors.previous_month()
        kpis = selectors.monthly_kpis(request.user, month)
        return Response(s.DocumentKpiListSerializer(kpi_data(kpis)).data)
