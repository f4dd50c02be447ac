"""Documents' components of the city picture (rdec.dashboard.components): the ranking of the month
the KPI page opens on (the last complete month) and the agencies over the overdue threshold."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rdec.core.permissions import check
from rdec.dashboard import components as dc


def _kpis(user):
    from rdec.documents import selectors

    return selectors.monthly_kpis(user, selectors.previous_month())


def _pct(value) -> float | None:
    return None if value is None else float(value)


def ranking(user, limit: int = 15) -> dict:
    kpis = _kpis(user)
    rows = sorted((k for k in kpis.rows if k.rank is not None), key=lambda k: (k.group, k.rank))
    return {
        "columns": [_("Rank"), _("Agency"), _("Closed"), _("Overdue ratio (%)"), _("Over the threshold")],
        "rows": [
            [
                k.rank,
                k.agency.short_name or k.agency.name,
                k.closed,
                _pct(k.overdue_ratio),
                _("Yes") if k.flagged else _("No"),
            ]
            for k in rows[:limit]
        ],  # fmt: skip
        "note": _("Month: %(month)s") % {"month": f"{kpis.month.year - 1911}/{kpis.month.month}"},
    }


def over_threshold(user) -> dict:
    kpis = _kpis(user)
    return {
        "value": sum(1 for k in kpis.rows if k.flagged),
        "unit": "",
        "note": _("Overdue ratio over %(pct)s %%") % {"pct": kpis.rule.overdue_threshold_pct},
    }


def _visible(user) -> bool:
    return check(user, "documents.view_kpis")


dc.register(
    "documents.ranking",
    gettext_lazy("Document timeliness ranking"),
    module="documents",
    visible=_visible,
    data=ranking,
    kind=dc.TABLE,
    url_name="documents:kpi-list",
    refresh=3600,
    order=10,
)
dc.register(
    "documents.over_threshold",
    gettext_lazy("Agencies over the overdue threshold"),
    module="documents",
    visible=_visible,
    data=over_threshold,
    url_name="documents:kpi-list",
    refresh=3600,
    order=20,
)
