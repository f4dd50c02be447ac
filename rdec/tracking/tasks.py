"""Background jobs of tracking (Celery; in-process when no broker is set).

`run_reminders()` is the periodic job — Celery beat in production (CELERY_BEAT_SCHEDULE
"tracking-reminders"), `rdec tracking_reminders` from cron in the embedded setup:

- before the deadline (N working days, RDEC_TRACKING_REMINDER_WORKING_DAYS): a reminder to the
  responsible agency's staff and supervisors;
- after it: an escalation to the agency's supervisors and to the RDEC officers;
- no progress report yet in this reporting cycle: a reminder to the agency, once per cycle;
- the council's written report: 14 and 7 days (RDEC_TRACKING_COUNCIL_REMINDER_DAYS) before it is
  due, a reminder to each agency that still owes execution texts.

Each message is a Notification on the platform plus an e-mail; its `key` (kind, item or session,
person, day) makes a repeated run on the same day send nothing twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.dates import roc_date
from rdec.core.models import Role, User
from rdec.tracking import rules, selectors
from rdec.tracking.models import CouncilText, Item, Notification


def _notify(user, *, kind: str, key: str, subject: str, body: str, item=None, session=None) -> bool:
    """Store the notification (once per key) and e-mail it; False when it was already sent."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=user,
                kind=kind,
                key=key[:120],
                subject=subject[:200],
                body=body,
                item=item,
                session=session,
            )
    except IntegrityError:
        return False
    if user.email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
        Notification.objects.filter(pk=note.pk).update(emailed=True)
    return True


def _members(agency_ids, roles) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(agency_id__in=agency_ids, role__in=roles, is_active=True):
        found[user.agency_id].append(user)
    return found


def _item_url(item) -> str:
    return settings.SITE_URL + reverse("tracking:item-detail", args=[item.number])


def run_reminders(today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"reminded": 0, "escalated": 0, "no_report": 0, "council": 0}
    open_items = Item.objects.filter(status__in=Item.OPEN_STATUSES).select_related("owner")
    until = rules.remind_until(today)
    stamp = today.isoformat()

    due = list(open_items.filter(deadline__gte=today, deadline__lte=until))
    overdue = list(open_items.filter(deadline__lt=today))
    cycle = rules.cycle_start(today)
    missing = list(selectors._no_report_since(open_items, cycle)) if today > cycle else []
    agency_ids = {i.owner_id for i in [*due, *overdue, *missing]}
    staff = _members(agency_ids, [Role.AGENCY_STAFF, Role.SUPERVISOR])
    supervisors = _members(agency_ids, [Role.SUPERVISOR])
    officers = list(User.objects.filter(role=Role.RDEC_OFFICER, is_active=True))

    for item in due:
        subject = _("[Due soon] Tracked item %(number)s") % {"number": item.number}
        body = _(
            "Tracked item %(number)s「%(title)s」 of %(agency)s is due on %(due)s. Please report progress: %(url)s"
        ) % {
            "number": item.number,
            "title": item.title,
            "agency": item.owner.name,
            "due": roc_date(item.deadline),
            "url": _item_url(item),
        }
        sent = [
            _notify(
                u,
                kind="reminder",
                key=f"reminder:{item.pk}:{u.pk}:{stamp}",
                subject=subject,
                body=body,
                item=item,
            )
            for u in staff.get(item.owner_id, [])
        ]
        counts["reminded"] += any(sent)

    for item in overdue:
        subject = _("[Overdue] Tracked item %(number)s") % {"number": item.number}
        body = _(
            "Tracked item %(number)s「%(title)s」 of %(agency)s was due on %(due)s and is overdue: %(url)s"
        ) % {
            "number": item.number,
            "title": item.title,
            "agency": item.owner.name,
            "due": roc_date(item.deadline),
            "url": _item_url(item),
        }
        people = {u.pk: u for u in [*supervisors.get(item.owner_id, []), *officers]}
        sent = [
            _notify(
                u,
                kind="escalation",
                key=f"escalation:{item.pk}:{u.pk}:{stamp}",
                subject=subject,
                body=body,
                item=item,
            )
            for u in people.values()
        ]
        counts["escalated"] += any(sent)

    for item in missing:
        subject = _("[Report missing] Tracked item %(number)s") % {"number": item.number}
        body = _(
            "No progress report on tracked item %(number)s「%(title)s」 since %(since)s. Please report: %(url)s"
        ) % {
            "number": item.number,
            "title": item.title,
            "since": roc_date(cycle),
            "url": _item_url(item),
        }
        sent = [
            _notify(
                u,
                kind="no_report",
                key=f"no_report:{item.pk}:{u.pk}:{cycle.isoformat()}",
                subject=subject,
                body=body,
                item=item,
            )
            for u in staff.get(item.owner_id, [])
        ]
        counts["no_report"] += any(sent)

    counts["council"] = _council_reminders(today)
    counts["council_reports"] = _council_reports_due(today)
    counts["minutes"] = _minutes_reminders(today)
    return counts


def _council_reports_due(today: datetime.date) -> int:
    """On the due date (7 days before the session opens) the written report is generated with every
    council resolution it covers, and the RDEC is told; a report already issued is not redone."""
    from rdec.tracking import services
    from rdec.tracking.models import CouncilReportIssue, CouncilSession

    made = 0
    for session in CouncilSession.objects.filter(opens_on__gt=today):
        if session.report_due_on > today or CouncilReportIssue.objects.filter(session=session).exists():
            continue
        issue = services.generate_council_report(session, actor=None)
        made += 1
        url = settings.SITE_URL + reverse("tracking:council-detail", args=[session.pk])
        for user in User.objects.filter(role=Role.RDEC_OFFICER, is_active=True):
            _notify(
                user,
                kind="council",
                key=f"council-issued:{issue.pk}:{user.pk}",
                subject=_("[Council report] %(session)s: the written report is ready") % {"session": session},
                body=_(
                    "The written report for %(session)s was generated with %(count)s council resolution(s), "
                    "%(missing)s of them without an execution text: %(url)s"
                )
                % {
                    "session": session,
                    "count": issue.resolutions,
                    "missing": issue.missing_texts,
                    "url": url,
                },
                session=session,
            )
    return made


def _minutes_reminders(today: datetime.date) -> int:
    """Minutes of meetings chaired at mayoral level are due 3 working days after the meeting: the
    RDEC is reminded on the due date and told once when they are overdue."""
    from rdec.tracking.models import Meeting

    sent = 0
    officers = list(User.objects.filter(role=Role.RDEC_OFFICER, is_active=True))
    pending = Meeting.objects.filter(
        chair_is_mayoral=True, minutes_published_at__isnull=True, minutes_due_on__lte=today
    )
    for meeting in pending:
        state = "overdue" if meeting.minutes_due_on < today else "due"
        url = settings.SITE_URL + reverse("tracking:meeting-detail", args=[meeting.pk])
        subject = (
            _("[Minutes overdue] %(meeting)s: due %(due)s")
            if state == "overdue"
            else _("[Minutes due today] %(meeting)s")
        ) % {"meeting": meeting.title, "due": roc_date(meeting.minutes_due_on)}
        body = _("The minutes of %(meeting)s were due on %(due)s and are not published yet: %(url)s") % {
            "meeting": meeting.title,
            "due": roc_date(meeting.minutes_due_on),
            "url": url,
        }
        for user in officers:
            sent += _notify(
                user,
                kind="minutes",
                key=f"minutes:{meeting.pk}:{state}:{user.pk}",
                subject=subject,
                body=body,
            )
    return sent


def _council_reminders(today: datetime.date) -> int:
    session = selectors.next_council_session(today)
    if session is None:
        return 0
    due = session.report_due_on
    reached = [d for d in rules.council_reminder_days() if today >= due - datetime.timedelta(days=d)]
    if not reached or today > due:
        return 0
    days = min(reached)
    written = CouncilText.objects.filter(session=session).values_list("item_id", flat=True)
    owed: dict[int, int] = defaultdict(int)
    for item in selectors.council_items(session).exclude(pk__in=written):
        owed[item.owner_id] += 1
    people = _members(owed.keys(), [Role.AGENCY_STAFF, Role.SUPERVISOR])
    url = settings.SITE_URL + reverse("tracking:council-detail", args=[session.pk])
    sent = 0
    for agency_id, count in owed.items():
        for user in people.get(agency_id, []):
            subject = _("[Council report] %(session)s: execution texts due by %(due)s") % {
                "session": session,
                "due": roc_date(due),
            }
            body = _(
                "The written report on the execution of council resolutions for %(session)s is due to the "
                "council on %(due)s. Your agency still owes %(count)s execution text(s): %(url)s"
            ) % {"session": session, "due": roc_date(due), "count": count, "url": url}
            sent += _notify(
                user,
                kind="council",
                key=f"council:{session.pk}:{user.pk}:{days}",
                subject=subject,
                body=body,
                session=session,
            )
    return sent


@shared_task
def reminders() -> None:
    run_reminders()
