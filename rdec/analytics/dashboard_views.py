"""Dashboard pages: the overview (RDEC: the whole city; agency staff: their agency), its figures
refreshed by htmx without reloading, the hotspot map with a time slider over the last weeks, and
the hot words and topics of a period."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rdec.analytics import dashboard, selectors
from rdec.core.forms import DateInput
from rdec.core.permissions import check
from rdec.core.registry import module_url

REFRESH_SECONDS = 60


def _allowed(user) -> None:
    if not check(user, "analytics.view_hotspots"):
        raise PermissionDenied


@login_required
def overview(request):
    _allowed(request.user)
    context = {"figures": dashboard.overview(request.user), "refresh": REFRESH_SECONDS}
    return render(request, "analytics/dashboard.html", context)


@login_required
def overview_figures(request):
    """The figures alone, for the page's periodic refresh (htmx)."""
    _allowed(request.user)
    context = {"figures": dashboard.overview(request.user), "refresh": REFRESH_SECONDS}
    return render(request, "analytics/_dashboard_figures.html", context)


@login_required
def hotspot_map(request):
    """Opens on the week asked for (?week=), else on the latest week of the slider that has a
    hotspot — this week when it has one; an empty current week is said, with a link to it."""
    _allowed(request.user)
    weeks = dashboard.hotspot_weeks()
    latest = _latest_week_with_hotspots(request.user, weeks)
    week = _week_asked(request, weeks) if request.GET.get("week") else (latest or weeks[-1])
    context = {
        "weeks": weeks,
        "week": week,
        "week_index": weeks.index(week),
        "this_week": weeks[-1],
        "latest_with_hotspots": latest,
        **_week_context(request.user, week),
    }
    return render(request, "analytics/hotspot_map.html", context)


def _latest_week_with_hotspots(user, weeks: list[datetime.date]) -> datetime.date | None:
    """The latest of the slider's weeks with at least one hotspot, or None (each week scored as
    the slider scores it, newest first, stopping at the first found)."""
    today = timezone.localdate()
    for week in reversed(weeks):
        end = min(week + datetime.timedelta(days=6), today)
        if selectors.hotspots(user, start=week, end=end, limit=1):
            return week
    return None


def _week_asked(request, weeks: list[datetime.date]) -> datetime.date:
    try:
        week = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return weeks[-1]
    week = week - datetime.timedelta(days=week.weekday())
    return week if week in weeks else weeks[-1]


@login_required
def hotspot_week(request):
    """One week's hotspots (the list and the district scores for the map), for the slider."""
    _allowed(request.user)
    weeks = dashboard.hotspot_weeks()
    week = _week_asked(request, weeks)
    return render(
        request, "analytics/_hotspot_week.html", {"week": week, **_week_context(request.user, week)}
    )


def _week_context(user, week: datetime.date) -> dict:
    end = min(week + datetime.timedelta(days=6), timezone.localdate())
    found = selectors.hotspots(user, start=week, end=end, limit=100)
    by_district: dict[str, float] = {}
    for h in found:
        code = h["district"].code
        by_district[code] = max(by_district.get(code, 0.0), h["score"])
    from rdec.petitions.models import Category

    agencies = {
        c.pk: c.default_agency
        for c in Category.objects.select_related("default_agency").filter(
            pk__in={h["category"].pk for h in found}
        )
    }
    for h in found:
        h["track_url"] = _track_url(user, h, week, agencies.get(h["category"].pk))
    places = selectors.point_clusters(user, start=week, end=end, limit=30)
    markers = [
        {"lat": p["lat"], "lon": p["lon"], "count": p["count"], "label": f"{p['category'].name} {p['count']}"}
        for p in places
    ]
    return {
        "found": found,
        "places": places,
        "week_end": end,
        # embedded with json_script (escapes "<", so a name cannot close the <script> element)
        "district_scores": by_district,
        "place_markers": markers,
    }


def _track_url(user, h: dict, week: datetime.date, agency) -> str:
    """列管 an emerging issue: tracking's new-item form, prefilled for the category's agency."""
    category, district = h["category"], h["district"]
    title = _("Emerging issue: %(category)s in %(district)s, week of %(week)s") % {
        "category": category.name,
        "district": district.name,
        "week": week.isoformat(),
    }
    description = _(
        "%(count)s cases of %(category)s in %(district)s in the week of %(week)s, where %(expected)s were "
        "expected from the district's own history and season (score %(score)s)."
    ) % {
        "count": h["count"],
        "category": category.name,
        "district": district.name,
        "week": week.isoformat(),
        "expected": h["expected"],
        "score": h["score"],
    }
    query = {"source": "custom", "title": title[:200], "description": description}
    if agency is not None:
        query["owner"] = agency.code
    return module_url(user, "tracking", "tracking.create_item", "tracking:item-create", query=query)


class TopicsForm(forms.Form):
    # Lazy: a label made at import would keep the language of whoever imported the module first.
    start = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("To"), widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end cannot come before the start."))
            elif (end - start).days > 92:
                self.add_error("end", _("Ask for at most three months at a time."))
        return data


@login_required
def topics_page(request):
    """Hot words, rising words and spikes, and the topics of a period's petitions (default: the last
    7 days) against the period before and the same period last year."""
    if not check(request.user, "analytics.view_reports"):
        raise PermissionDenied
    from rdec.analytics import topics

    today = timezone.localdate()
    initial = {"start": today - datetime.timedelta(days=6), "end": today}
    form = TopicsForm(request.GET if "start" in request.GET else initial)
    result, status = None, 200
    if form.is_valid():
        result = topics.hot_topics(
            request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    else:
        status = 400
    return render(request, "analytics/topics.html", {"form": form, "result": result}, status=status)
