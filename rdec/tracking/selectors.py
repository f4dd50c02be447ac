"""Reads of tracking, scoped to the user: oversight sees everything; an agency's members the items
their agency (or an agency under it) owns or co-handles, and the meetings it attended or has items
from; the public the public meetings and what was decided there."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rdec.core.permissions import is_oversight, require, visible_agency_ids
from rdec.tracking import rules
from rdec.tracking.models import (
    CouncilSession,
    CouncilText,
    Item,
    Meeting,
    Notification,
    ProgressReport,
    Resolution,
)


def _items_base() -> QuerySet[Item]:
    return Item.objects.select_related("owner", "meeting", "council_session").prefetch_related("co_agencies")


def items_visible_to(user) -> QuerySet[Item]:
    qs = _items_base()
    if is_oversight(user):
        return qs
    ids = visible_agency_ids(user)
    if not ids:
        return qs.none()
    co = Item.co_agencies.through.objects.filter(item_id=OuterRef("pk"), agency_id__in=ids)
    return qs.filter(Q(owner__in=ids) | Exists(co))


def get_item_for_user(user, number: str) -> Item:
    item = items_visible_to(user).filter(number=number).first()
    if item is None:
        raise Http404
    return item


def filter_items(
    qs: QuerySet[Item],
    *,
    source: str = "",
    agency: str = "",
    status: str = "",
    overdue: bool | None = None,
    due: str = "",
    report: str = "",
    review: str = "",
    q: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Item]:
    """status: one Item.Status value, or "open" (every status under control); due "soon": open
    items due today or within the reminder window; report "missing": open items without a report
    in the current cycle; review "waiting": open items with a progress report not yet reviewed."""
    today = today or timezone.localdate()
    if due == "soon":
        qs = _open(qs).filter(deadline__gte=today, deadline__lte=rules.remind_until(today))
    if report == "missing":
        qs = _no_report_since(_open(qs), rules.cycle_start(today))
    if review == "waiting":
        qs = awaiting_review(qs)
    if source:
        qs = qs.filter(source=source)
    if agency:
        qs = qs.filter(Q(owner__code=agency) | Q(co_agencies__code=agency)).distinct()
    if status == "open":
        qs = qs.filter(status__in=Item.OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if overdue is True:
        qs = qs.filter(status__in=Item.OPEN_STATUSES, deadline__lt=today)
    elif overdue is False:
        qs = qs.exclude(status__in=Item.OPEN_STATUSES, deadline__lt=today)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(description__icontains=q))
    return qs


def item_page_data(item: Item) -> dict:
    reports = list(
        ProgressReport.objects.filter(item=item)
        .select_related("agency", "submitted_by", "reviewed_by")
        .order_by("submitted_at", "id")
    )
    return {
        "reports": reports,
        "pending": next((r for r in reversed(reports) if not r.decision), None),
        "co_agencies": list(item.co_agencies.all()),
    }


# --- the board and the to-do list -----------------------------------------------------------------


def _open(qs):
    return qs.filter(status__in=Item.OPEN_STATUSES)


def _no_report_since(qs, since: datetime.date):
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    return qs.filter(Q(last_report_at__isnull=True) | Q(last_report_at__lt=start), created_at__lt=start)


def awaiting_review(qs):
    pending = ProgressReport.objects.filter(item_id=OuterRef("pk"), decision="")
    return _open(qs).filter(Exists(pending))


def board_for(user, *, today: datetime.date | None = None) -> dict:
    """The RDEC's control board: everything due or overdue this week, by agency; reports awaiting
    review; items without a report in the current cycle; minutes due or overdue."""
    require(user, "tracking.view_board")
    today = today or timezone.localdate()
    monday, sunday = rules.week_bounds(today)
    items = _open(items_visible_to(user))
    due_week = list(
        items.filter(deadline__lte=sunday).order_by("owner__sort_order", "owner__code", "deadline")
    )
    by_agency: dict = defaultdict(lambda: {"overdue": [], "due": []})
    for item in due_week:
        by_agency[item.owner]["overdue" if item.deadline < today else "due"].append(item)
    groups = [
        {"agency": agency, "overdue": rows["overdue"], "due": rows["due"]}
        for agency, rows in sorted(by_agency.items(), key=lambda kv: (kv[0].sort_order, kv[0].code))
    ]
    cycle = rules.cycle_start(today)
    return {
        "today": today,
        "week": (monday, sunday),
        "groups": groups,
        "overdue_count": sum(len(g["overdue"]) for g in groups),
        "due_count": sum(len(g["due"]) for g in groups),
        "review": list(awaiting_review(items_visible_to(user)).order_by("deadline")[:200]),
        "cycle_start": cycle,
        "no_report": list(_no_report_since(items, cycle).order_by("owner__sort_order", "deadline")[:200]),
        "minutes": list(
            Meeting.objects.filter(minutes_published_at__isnull=True, minutes_due_on__isnull=False)
            .filter(minutes_due_on__lte=rules.remind_until(today))
            .order_by("minutes_due_on")
        ),
    }


def todo_for(user, *, today: datetime.date | None = None) -> dict:
    """An agency's to-do list: its open items by urgency, those still missing this cycle's report,
    and the council texts it owes for the next session."""
    require(user, "tracking.view_todo")
    today = today or timezone.localdate()
    items = _open(items_visible_to(user))
    until = rules.remind_until(today)
    cycle = rules.cycle_start(today)
    session = next_council_session(today)
    missing_texts = []
    if session is not None:
        written = CouncilText.objects.filter(session=session).values_list("item_id", flat=True)
        missing_texts = list(council_items(session, base=items_visible_to(user)).exclude(pk__in=written))
    return {
        "today": today,
        "overdue": list(items.filter(deadline__lt=today).order_by("deadline")),
        "due": list(items.filter(deadline__gte=today, deadline__lte=until).order_by("deadline")),
        "no_report": list(_no_report_since(items, cycle).order_by("deadline")),
        "cycle_start": cycle,
        "all_open": items.count(),
        "session": session,
        "missing_texts": missing_texts,
    }


# --- meetings --------------------------------------------------------------------------------------


def meetings_visible_to(user) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("district").defer("district__geometry")
    if is_oversight(user):
        return qs
    ids = visible_agency_ids(user)
    if not ids:
        return qs.none()
    attended = Meeting.agencies.through.objects.filter(meeting_id=OuterRef("pk"), agency_id__in=ids)
    owned = Item.objects.filter(meeting_id=OuterRef("pk")).filter(Q(owner__in=ids) | Q(co_agencies__in=ids))
    return qs.filter(Q(Exists(attended)) | Q(Exists(owned)))


def get_meeting_for_user(user, pk: int) -> Meeting:
    meeting = meetings_visible_to(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def meeting_resolutions(meeting: Meeting) -> list[Resolution]:
    return list(
        Resolution.objects.filter(meeting=meeting)
        .select_related("item", "item__owner")
        .prefetch_related("item__co_agencies")
        .order_by("number")
    )


def meetings_public() -> QuerySet[Meeting]:
    return Meeting.objects.filter(is_public=True).select_related("district").defer("district__geometry")


def get_public_meeting(pk: int) -> Meeting:
    meeting = meetings_public().filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def public_meeting_view(meeting: Meeting) -> dict:
    """What anyone may see of a public meeting (陽光政治): the decisions and each item's progress —
    the agencies' report texts and percent, the RDEC's decision, never the review comments."""
    resolutions = meeting_resolutions(meeting)
    item_ids = [r.item.pk for r in resolutions if hasattr(r, "item")]
    reports: dict[int, list] = defaultdict(list)
    for report in (
        ProgressReport.objects.filter(item_id__in=item_ids)
        .select_related("agency")
        .order_by("submitted_at", "id")
    ):
        reports[report.item_id].append(
            {
                "reported_on": report.reported_on,
                "agency": report.agency,
                "text": report.text,
                "percent": report.percent,
                "decision": report.get_decision_display() if report.decision else "",
            }
        )
    rows = []
    for resolution in resolutions:
        item = getattr(resolution, "item", None)
        rows.append(
            {"resolution": resolution, "item": item, "reports": reports.get(item.pk, []) if item else []}
        )
    return {
        "meeting": meeting,
        "rows": rows,
        "representatives": list(meeting.representatives.all()),
        "agencies": list(meeting.agencies.all()),
    }


# --- council ---------------------------------------------------------------------------------------


def council_sessions_visible_to(user) -> QuerySet[CouncilSession]:
    require(user, "tracking.view_council")
    return CouncilSession.objects.all()


def previous_session(session: CouncilSession) -> CouncilSession | None:
    return CouncilSession.objects.filter(opens_on__lt=session.opens_on).order_by("-opens_on").first()


def next_council_session(today: datetime.date | None = None) -> CouncilSession | None:
    """The next session whose written report is not yet due (or due today)."""
    today = today or timezone.localdate()
    for session in CouncilSession.objects.filter(opens_on__gte=today).order_by("opens_on"):
        if session.report_due_on >= today:
            return session
    return None


def council_items(session: CouncilSession, *, base: QuerySet[Item] | None = None) -> QuerySet[Item]:
    """The council resolutions the written report to `session` covers, in the council's order:
    every resolution of an earlier session still under control, and those released since the
    previous session's report was due (reported once as done)."""
    qs = (base if base is not None else _items_base()).filter(
        source=Item.Source.COUNCIL_RESOLUTION, council_session__opens_on__lt=session.opens_on
    )
    previous = previous_session(session)
    released_since = None
    if previous is not None:
        released_since = timezone.make_aware(
            datetime.datetime.combine(previous.report_due_on, datetime.time.min)
        )
    cond = Q(status__in=Item.OPEN_STATUSES)
    if released_since is not None:
        cond |= Q(status=Item.Status.RELEASED, released_at__gte=released_since)
    else:
        cond |= Q(status=Item.Status.RELEASED)
    return qs.filter(cond).order_by("council_session__opens_on", "council_number", "id")


def council_report_rows(session: CouncilSession) -> list[dict]:
    items = list(council_items(session).select_related("council_session"))
    texts = {t.item_id: t for t in CouncilText.objects.filter(session=session, item__in=items)}
    latest: dict[int, ProgressReport] = {}
    for report in ProgressReport.objects.filter(item__in=items).order_by("submitted_at", "id"):
        latest[report.item_id] = report
    rows = []
    for item in items:
        text = texts.get(item.pk)
        rows.append(
            {
                "item": item,
                "text": text.text if text else "",
                "has_text": text is not None,
                "latest": latest.get(item.pk),
            }
        )
    return rows


def council_page_data(user, session: CouncilSession) -> dict:
    require(user, "tracking.view_council")
    rows = council_report_rows(session)
    visible = set(
        items_visible_to(user).filter(pk__in=[r["item"].pk for r in rows]).values_list("pk", flat=True)
    )
    rows = [r for r in rows if r["item"].pk in visible]
    return {
        "session": session,
        "previous": previous_session(session),
        "rows": rows,
        "missing": sum(1 for r in rows if not r["has_text"]),
    }


# --- notifications -------------------------------------------------------------------------------


def notifications_for(user) -> QuerySet[Notification]:
    if not (user and user.is_authenticated):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).select_related("item")


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def meetings_list(user, *, type: str = "", year: int | None = None) -> QuerySet[Meeting]:
    require(user, "tracking.view_meeting")
    qs = meetings_visible_to(user).prefetch_related(
        Prefetch("resolutions", queryset=Resolution.objects.select_related("item"))
    )
    if type:
        qs = qs.filter(type=type)
    if year:
        qs = qs.filter(held_at__year=year)
    return qs


# --- counts for the home page's work queue (rdec.core.worklist) ---------------------------------------
# Each counts exactly what the item list shows with the same filter parameters.


def overdue_count(user) -> int:
    return filter_items(items_visible_to(user), overdue=True).order_by().count()


def due_soon_count(user) -> int:
    return filter_items(items_visible_to(user), due="soon").order_by().count()


def report_missing_count(user) -> int:
    return filter_items(items_visible_to(user), report="missing").order_by().count()


def review_waiting_count(user) -> int:
    return filter_items(items_visible_to(user), review="waiting").order_by().count()


def release_proposed_count(user) -> int:
    return filter_items(items_visible_to(user), status=Item.Status.RELEASE_PROPOSED).order_by().count()
