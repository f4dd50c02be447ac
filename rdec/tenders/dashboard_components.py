"""Tenders' components of the city picture (rdec.dashboard.components): last month's execution
performance by agency and the seriously lagging tenders, from the month's control report."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rdec.core.permissions import check
from rdec.dashboard import components as dc


def _report(user):
    from rdec.tenders import selectors

    return selectors.control_report(user, selectors.previous_month())


def execution(user) -> dict:
    report = _report(user)
    return {
        "unit": "%",
        "rows": [
            {"label": a.agency.short_name or a.agency.name, "value": float(a.performance)}
            for a in report.agencies
            if a.performance is not None
        ],
        "note": _("Month: %(month)s") % {"month": f"{report.month.year - 1911}/{report.month.month}"},
    }


def seriously_lagging(user, limit: int = 15) -> dict:
    report = _report(user)
    return {
        "columns": [_("Tender"), _("Agency"), _("Planned (%)"), _("Actual (%)"), _("Behind (points)")],
        "rows": [
            [
                f"{r.tender_no} {r.name}",
                r.agency.short_name or r.agency.name,
                float(r.planned_pct),
                float(r.actual_pct),
                float(r.lag),
            ]
            for r in report.seriously_lagging[:limit]
        ],  # fmt: skip
        "total": len(report.seriously_lagging),
    }


def _visible(user) -> bool:
    return check(user, "tenders.view_control_report")


dc.register(
    "tenders.execution",
    gettext_lazy("Execution performance by agency"),
    module="tenders",
    visible=_visible,
    data=execution,
    kind=dc.BAR,
    url_name="tenders:control-report",
    refresh=3600,
    order=10,
)
dc.register(
    "tenders.seriously_lagging",
    gettext_lazy("Seriously lagging tenders"),
    module="tenders",
    visible=_visible,
    data=seriously_lagging,
    kind=dc.TABLE,
    url_name="tenders:control-report",
    refresh=3600,
    order=20,
)
