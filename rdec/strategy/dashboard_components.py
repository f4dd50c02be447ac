"""Strategy's component of the city picture (rdec.dashboard.components): each strategy's traffic
light for the period the strategy pages show (the latest reporting window that opened)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rdec.core.permissions import check
from rdec.dashboard import components as dc


def lights(user) -> dict:
    from rdec.strategy import selectors
    from rdec.strategy.templatetags.strategy import light_label

    year, quarter = selectors.current_period()
    rows = []
    for row in selectors.strategy_tree(user, year, quarter):
        if not row.plans:
            continue
        rate = row.rollup.rate
        rows.append(
            [str(row.strategy), str(light_label(row.rollup.light)), float(rate) if rate is not None else None]
        )
    return {
        "columns": [_("Strategy"), _("Light"), _("Achievement (%)")],
        "rows": rows,
        "note": _("%(year)s Q%(quarter)s") % {"year": year - 1911, "quarter": quarter},
    }


dc.register(
    "strategy.lights",
    gettext_lazy("Traffic lights by strategy"),
    module="strategy",
    visible=lambda user: check(user, "strategy.view_strategy"),
    data=lights,
    kind=dc.TABLE,
    url_name="strategy:tree",
    refresh=900,
    order=10,
)
