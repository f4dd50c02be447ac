"""The petitions' components of the city picture (rdec.dashboard.components): today's intake, open
and overdue cases (the analytics overview's figures), this month's on-time rate and satisfaction
(the 質量分析報告's definitions), each scoped to the cases the user may see."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rdec.core.permissions import check, visible_agency_ids
from rdec.dashboard import components as dc


def _overview(user) -> dict:
    from rdec.analytics import dashboard

    return dashboard.overview(user, agencies=0)


def intake_today(user) -> dict:
    figures = _overview(user)
    return {
        "value": figures["intake"]["today"],
        "unit": "",
        "previous": figures["intake"]["same_day_last_week"],
        "previous_label": _("same day last week"),
    }


def open_cases(user) -> dict:
    return {"value": _overview(user)["open"], "unit": ""}


def overdue_cases(user) -> dict:
    return {"value": _overview(user)["overdue"], "unit": ""}


def _scope(user):
    from rdec.analytics import report

    ids = visible_agency_ids(user)
    return report.Scope() if ids is None else report.Scope(frozenset(ids), None, "", "agency")


def _months(today: datetime.date | None = None):
    from rdec.analytics import report

    this = report.period_of(report.MONTH, today or timezone.localdate())
    return this, report.previous_period(this)


NAMES = {"agency": {}, "category": {}}  # codes and names are not shown on the component


def on_time_rate(user) -> dict:
    from rdec.analytics import report

    this, last = _months()
    scope, today = _scope(user), timezone.localdate()
    now, before = report.timeliness(scope, this, NAMES, today), report.timeliness(scope, last, NAMES, today)
    return {
        "value": now["on_time_pct"],
        "unit": "%",
        "previous": before["on_time_pct"],
        "previous_label": _("last month"),
        "note": _("%(n)s cases replied this month") % {"n": now["replied"]},
    }


def satisfaction(user) -> dict:
    from rdec.analytics import report

    this, last = _months()
    scope = _scope(user)
    now, before = report.satisfaction(scope, this, NAMES, 0), report.satisfaction(scope, last, NAMES, 0)
    return {
        "value": now["average"],
        "unit": "/5",
        "previous": before["average"],
        "previous_label": _("last month"),
        "note": _("%(n)s ratings this month") % {"n": now["ratings"]},
    }


def _overview_visible(user) -> bool:
    return check(user, "analytics.view_hotspots") and check(user, "petitions.view_inbox")


dc.register(
    "petitions.intake_today",
    gettext_lazy("Cases received today"),
    module="petitions",
    visible=lambda user: check(user, "analytics.view_hotspots"),
    data=intake_today,
    url_name="analytics:dashboard",
    refresh=60,
    order=10,
)
dc.register(
    "petitions.open",
    gettext_lazy("Open cases"),
    module="petitions",
    visible=_overview_visible,
    data=open_cases,
    url_name="petitions:inbox",
    refresh=60,
    order=20,
)
dc.register(
    "petitions.overdue",
    gettext_lazy("Overdue cases"),
    module="petitions",
    visible=_overview_visible,
    data=overdue_cases,
    url_name="petitions:inbox",
    query={"due": "overdue"},
    refresh=60,
    order=30,
)
dc.register(
    "petitions.on_time_rate",
    gettext_lazy("Replied on time this month"),
    module="petitions",
    visible=lambda user: check(user, "analytics.view_reports"),
    data=on_time_rate,
    url_name="analytics:report-list",
    refresh=900,
    order=40,
)
dc.register(
    "petitions.satisfaction",
    gettext_lazy("Satisfaction this month"),
    module="petitions",
    visible=lambda user: check(user, "analytics.view_reports"),
    data=satisfaction,
    url_name="analytics:report-list",
    refresh=900,
    order=50,
)
