"""Background jobs of tenders (Celery; in-process when no broker is set).

`send_progress_reminders()` is the periodic job — Celery beat in production (CELERY_BEAT_SCHEDULE
"tender-reminders"), `rdec tender_reminders` from cron in the embedded setup. For last month's
progress (due by the rule's day of this month, PCC: the 10th):

- from RDEC_TENDERS_REMINDER_DAYS (default 3) days before the due day until it: a reminder to the
  staff and supervisors of each agency with tenders under contract whose month is not entered;
- after the due day: one overdue notice to them (lateness itself is recorded on each entry).

Each (agency, month, kind) is sent once (`Reminder`), so a repeated run sends nothing twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.dates import roc_date, roc_month
from rdec.core.models import Role, User
from rdec.tenders import rules, selectors
from rdec.tenders.models import MonthlyProgress, Reminder, Tender, month_end


def _missing_by_agency(month: datetime.date) -> dict[int, list[Tender]]:
    """Every agency's tenders without the month's progress (the system's view: no user scoping)."""
    found: dict[int, list[Tender]] = defaultdict(list)
    qs = (
        Tender.objects.select_related("agency")
        .filter(status__in=selectors.OPEN_STATUSES)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=month_end(month)))
        .exclude(pk__in=MonthlyProgress.objects.filter(month=month).values("tender_id"))
        .order_by("number")
    )
    for tender in qs:
        found[tender.agency_id].append(tender)
    return found


def send_progress_reminders(today: datetime.date | None = None) -> int:
    """Send the reminders due today; returns how many agencies were reminded."""
    today = today or timezone.localdate()
    month = selectors.previous_month(today)
    due = rules.due_date(rules.RuleBook().for_month(month), month)
    before = int(getattr(settings, "RDEC_TENDERS_REMINDER_DAYS", 3))
    if today > due:
        kind = "overdue"
    elif today >= due - datetime.timedelta(days=before):
        kind = "due"
    else:
        return 0
    sent = 0
    people: dict[int, list[User]] = defaultdict(list)
    missing = _missing_by_agency(month)
    for user in User.objects.filter(
        agency_id__in=missing, role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR], is_active=True
    ):
        people[user.agency_id].append(user)
    for agency_id, tenders in missing.items():
        try:
            with transaction.atomic():
                Reminder.objects.create(agency_id=agency_id, month=month, kind=kind, tenders=len(tenders))
        except IntegrityError:
            continue
        values = {"month": roc_month(month), "due": roc_date(due), "count": len(tenders)}
        subject = (
            _("Tender progress of %(month)s is due by %(due)s") % values
            if kind == "due"
            else _("Tender progress of %(month)s is overdue (due %(due)s)") % values
        )
        body = "\n".join(
            [_("%(count)s tenders have no progress for %(month)s:") % values]
            + [f"- {t.number} {t.name}" for t in tenders[:50]]
        )
        recipients = [u.email for u in people.get(agency_id, []) if u.email]
        if recipients:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
        sent += 1
    return sent


def send_improvement_reminders(today: datetime.date | None = None) -> int:
    """Improvement reports of inspections (缺失改善) not yet entered: from RDEC_TENDERS_REMINDER_DAYS
    days before the deadline, one reminder; after the deadline, one overdue notice (逾期未改善) —
    to the staff and supervisors of the tender's agency. Returns how many reports were reminded."""
    from rdec.tenders.models import ImprovementReport

    today = today or timezone.localdate()
    before = int(getattr(settings, "RDEC_TENDERS_REMINDER_DAYS", 3))
    now = timezone.now()
    open_reports = ImprovementReport.objects.select_related("inspection__tender__agency").filter(
        submitted_on__isnull=True
    )
    due = open_reports.filter(
        reminded_at__isnull=True, due_on__gte=today, due_on__lte=today + datetime.timedelta(days=before)
    )
    overdue = open_reports.filter(overdue_notice_at__isnull=True, due_on__lt=today)
    people: dict[int, list[str]] = defaultdict(list)
    for user in User.objects.filter(role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR], is_active=True).exclude(
        email=""
    ):
        people[user.agency_id].append(user.email)
    sent = 0
    for kind, qs, stamp in (("due", due, "reminded_at"), ("overdue", overdue, "overdue_notice_at")):
        for report in qs.order_by("due_on", "id"):
            # claim the report first, so that two runs never send the same notice twice
            claimed = ImprovementReport.objects.filter(pk=report.pk, **{f"{stamp}__isnull": True}).update(
                **{stamp: now}
            )
            if not claimed:
                continue
            tender = report.inspection.tender
            values = {
                "number": tender.number,
                "name": tender.name,
                "party": report.get_party_display(),
                "due": roc_date(report.due_on),
                "date": roc_date(report.inspection.inspected_on),
            }
            subject = (
                _("Inspection improvement report of %(number)s is due by %(due)s") % values
                if kind == "due"
                else _("Inspection improvement report of %(number)s is overdue (due %(due)s)") % values
            )
            body = (
                _(
                    "The %(party)s's improvement report for the deficiencies found in the inspection of "
                    "%(number)s %(name)s on %(date)s is due by %(due)s."
                )
                % values
            )
            recipients = people.get(tender.agency_id, [])
            if recipients:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
            sent += 1
    return sent


@shared_task
def reminders() -> None:
    send_progress_reminders()
    send_improvement_reminders()
