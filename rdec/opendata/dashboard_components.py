"""Open data's components of the city picture (rdec.dashboard.components): published datasets
against the strategy target 10-1-3 (total ≥ 3,050, docs/strategy.md) and the share with the gold
quality badge. An agency's staff see their agencies' datasets (the target is the city's)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rdec.core.permissions import check, visible_agency_ids
from rdec.dashboard import components as dc

TARGET_DATASETS = 3050  # strategy KPI 10-1-3 政府開放資料: datasets in total ≥ 3,050 (docs/strategy.md)


def _published(user):
    from rdec.opendata import selectors

    qs = selectors.published_datasets().order_by()
    ids = visible_agency_ids(user)
    return qs if ids is None else qs.filter(agency_id__in=ids)


def datasets(user) -> dict:
    n = _published(user).count()
    if visible_agency_ids(user) is None:
        return {
            "value": n,
            "unit": "",
            "target": TARGET_DATASETS,
            "note": _("Target: %(n)s datasets (KPI 10-1-3)") % {"n": f"{TARGET_DATASETS:,}"},
        }
    return {"value": n, "unit": ""}


def gold_share(user) -> dict:
    from rdec.opendata.models import Badge

    counts = _published(user).aggregate(
        total=Count("pk"), gold=Count("pk", filter=Q(quality_badge=Badge.GOLD))
    )
    total, gold = counts["total"], counts["gold"]
    return {
        "value": round(100 * gold / total, 1) if total else None,
        "unit": "%",
        "note": _("%(gold)s of %(total)s datasets") % {"gold": gold, "total": total},
    }


def _visible(user) -> bool:
    # the catalogue is public; on a dashboard, the figures are for the city's staff
    return check(user, "dashboard.view_dashboard")


dc.register(
    "opendata.datasets",
    gettext_lazy("Published datasets"),
    module="opendata",
    visible=_visible,
    data=datasets,
    url_name="opendata:dataset-list",
    refresh=3600,
    order=10,
)
dc.register(
    "opendata.gold_share",
    gettext_lazy("Datasets with the gold badge"),
    module="opendata",
    visible=_visible,
    data=gold_share,
    url_name="opendata:quality-dashboard",
    refresh=3600,
    order=20,
)
