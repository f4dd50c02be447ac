"""Tracking's components of the city picture (rdec.dashboard.components): open tracked items
overdue and due soon, in total and by owner agency (the item list's own filters)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rdec.core.permissions import check
from rdec.dashboard import components as dc


def overdue(user) -> dict:
    from rdec.tracking import selectors

    return {"value": selectors.overdue_count(user), "unit": ""}


def by_agency(user, limit: int = 15) -> dict:
    """Open items overdue and due soon per owner agency (most overdue first)."""
    from rdec.tracking import selectors

    items = selectors.items_visible_to(user)
    counts: dict[str, list[int]] = {}
    for column, qs in enumerate(
        (selectors.filter_items(items, overdue=True), selectors.filter_items(items, due="soon"))
    ):
        rows = qs.order_by().values("owner__short_name", "owner__name").annotate(n=Count("id", distinct=True))
        for row in rows:
            name = row["owner__short_name"] or row["owner__name"]
            counts.setdefault(name, [0, 0])[column] += row["n"]
    rows = sorted(counts.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))[:limit]
    return {
        "columns": [_("Agency"), _("Overdue"), _("Due soon")],
        "rows": [[name, n[0], n[1]] for name, n in rows],
    }


def _visible(user) -> bool:
    return check(user, "tracking.view_items")


dc.register(
    "tracking.overdue",
    gettext_lazy("Overdue tracked items"),
    module="tracking",
    visible=_visible,
    data=overdue,
    url_name="tracking:item-list",
    query={"overdue": "true"},
    refresh=300,
    order=10,
)
dc.register(
    "tracking.by_agency",
    gettext_lazy("Tracked items overdue and due soon by agency"),
    module="tracking",
    visible=_visible,
    data=by_agency,
    kind=dc.TABLE,
    url_name="tracking:item-list",
    query={"status": "open"},
    refresh=300,
    order=20,
)
