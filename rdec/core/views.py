from __future__ import annotations

import calendar as pycalendar
import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rdec.core import geo, selectors, workdays
from rdec.core.forms import AuditFilterForm, PointForm, WorkingDaysForm
from rdec.core.models import Agency, CalendarDay
from rdec.core.permissions import require

# The city's 1999 hotline as the home page shows it to citizens (臺中市 1999 市民當家熱線).
HOTLINE = {"number": "1999", "outside": "04-2228-9111"}


def home(request):
    """Each role lands on its work: staff and RDEC officers on their queue (rdec.core.worklist,
    each number linking to the filtered list), call agents on the 1999 console and their queue,
    citizens and visitors on 我要陳情, 案件查詢, the 1999 hotline and what is open for them."""
    from rdec.core import worklist
    from rdec.core.models import Role

    user = request.user
    today = timezone.localdate()
    info = {"today": today}
    try:
        info["is_working_day"] = workdays.is_working_day(today)
        info["note"] = workdays.day_note(today)
    except workdays.CalendarRangeError:
        info["calendar_missing"] = True
    public = not user.is_authenticated or user.role == Role.CITIZEN
    participation = worklist.work_for(user, groups=(worklist.PARTICIPATE,))
    context = {
        "info": info,
        "public": public,
        "call_agent": user.is_authenticated and user.role == Role.CALL_AGENT,
        "queue": [] if public else worklist.work_for(user, groups=worklist.WORK_GROUPS),
        "participation": participation[0]["entries"] if participation else [],
        "hotline": HOTLINE,
    }
    return render(request, "core/home.html", context)


def agency_list(request):
    return render(request, "core/agency_list.html", {"tree": selectors.agency_tree()})


def district_list(request):
    districts = selectors.districts_public().prefetch_related("villages")
    return render(request, "core/district_list.html", {"districts": districts})


def district_detail(request, code: str):
    district = get_object_or_404(selectors.districts_public(), code=code)
    villages = district.villages.defer("geometry")
    offices = Agency.objects.filter(district=district)
    return render(
        request, "core/district_detail.html", {"district": district, "villages": villages, "offices": offices}
    )


def district_resolve(request):
    """Which district and village a point lies in (a fragment for HTMX, or a whole page)."""
    form = PointForm(request.GET)
    place = geo.resolve(form.cleaned_data["lat"], form.cleaned_data["lon"]) if form.is_valid() else None
    context = {"form": form, "place": place}
    if request.headers.get("HX-Request"):
        return render(request, "core/_place.html", context)
    return render(request, "core/district_resolve.html", context, status=200 if form.is_valid() else 400)


def office_calendar(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        first = datetime.date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc
    days = {d.date: d for d in CalendarDay.objects.filter(date__year=year, date__month=month)}
    weeks = []
    for week in pycalendar.Calendar(firstweekday=6).monthdatescalendar(year, month):
        weeks.append([{"date": d, "in_month": d.month == month, "entry": days.get(d)} for d in week])
    prev_month = (first - datetime.timedelta(days=1)).replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    form = WorkingDaysForm(request.GET if "start" in request.GET else None)
    result = error = None
    if form.is_bound and form.is_valid():
        try:
            result = workdays.add_working_days(form.cleaned_data["start"], form.cleaned_data["days"])
        except workdays.CalendarRangeError as exc:
            error = str(exc)
    context = {
        "first": first,
        "weeks": weeks,
        "prev": prev_month,
        "next": next_month,
        "today": today,
        "loaded": bool(days),
        "form": form,
        "result": result,
        "error": error,
        "weekdays": [_("Sun"), _("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat")],
    }
    template = "core/_working_days_result.html" if request.headers.get("HX-Request") else "core/calendar.html"
    return render(request, template, context)


@login_required
def audit_list(request):
    require(request.user, "core.view_audit")
    entries = selectors.audit_entries_visible_to(request.user)
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["target_type"]:
            entries = entries.filter(target_type=data["target_type"].strip())
        if data["actor"]:
            entries = entries.filter(actor_label=data["actor"].strip())
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["since"]:
            entries = entries.filter(at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(at__date__lte=data["until"])
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_list.html", {"page": page, "form": form, "query": query.urlencode()})


@login_required
def rule_set_list(request):
    """Every module's dated rule sets: the versions with their sources, the one in force today and
    the next change, each linking to the module's own page for editing them."""
    from django.urls import NoReverseMatch, reverse

    from rdec.core import rules

    require(request.user, "core.view_rule_sets")
    today = timezone.localdate()
    sets = []
    for entry in rules.rule_sets():
        book = entry.model.objects.book(before_first=None)
        in_force = book.on(today)
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            url = ""
        versions = [
            {"version": v, "values": entry.describe(v), "in_force": v is in_force}
            for v in reversed(book.versions)
        ]
        sets.append(
            {
                "entry": entry,
                "url": url,
                "versions": versions,
                "in_force": in_force,
                "next": book.next_change(today),
            }
        )
    return render(request, "core/rule_set_list.html", {"sets": sets, "today": today})


@login_required
def audit_detail(request, pk: int):
    entry = get_object_or_404(selectors.audit_entries_visible_to(request.user), pk=pk)
    return render(request, "core/audit_detail.html", {"entry": entry})


@never_cache
def healthz(request):
    """JSON health: the database (503 without it), the broker, the workers and the queue (named in
    "degraded" when they fail, still 200): rdec/core/health.py."""
    from rdec.core import health

    state, status = health.check()
    return JsonResponse(state, status=status)
