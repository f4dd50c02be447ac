"""Background jobs of the petitions module (Celery; in-process when no broker is set).

Tasks take ids, re-fetch, are idempotent and store what they did (Notification, CaseEvent).
`run_deadline_checks()` is the periodic job: Celery beat in production, `rdec petition_deadlines`
from cron in the embedded setup.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import workdays
from rdec.core.dates import roc_date
from rdec.core.models import Role, User
from rdec.petitions import deadlines, notify
from rdec.petitions.models import Case, CaseEvent, DutyContact, Extension, Reply

logger = logging.getLogger(__name__)


def _case(case_id):
    return Case.objects.select_related("agency", "category").filter(pk=case_id).first()


def _track_url(case) -> str:
    from rdec.petitions.tracking import tracking_token

    return settings.SITE_URL + reverse("petitions:track-link", args=[tracking_token(case)])


@shared_task
def send_receipt(case_id: int) -> None:
    case = _case(case_id)
    if case is None or case.notifications.filter(subject__startswith="[受理]").exists():
        return
    notify.notify_petitioner(
        case,
        _("[Received] Your petition %(number)s") % {"number": case.number},
        _(
            "Your petition has been received and assigned to %(agency)s. It will be answered by %(due)s. "
            "Follow it at %(url)s"
        )
        % {"agency": case.agency.name, "due": roc_date(case.due_date), "url": _track_url(case)},
    )


@shared_task
def send_receipts(case_ids: list[int]) -> None:
    """The receipts of a batch of cases filed together (queued intake)."""
    for case_id in case_ids:
        send_receipt(case_id)


@shared_task
def dispatch_urgent(case_id: int) -> None:
    """Urgent cases go at once to the agency's duty contact (公務訊息對口) with an acknowledgement deadline."""
    case = _case(case_id)
    if case is None or case.events.filter(verb="dispatched").exists():
        return
    contact = DutyContact.objects.filter(agency=case.agency, active=True).order_by("-primary").first()
    local_ack = timezone.localtime(case.ack_due_at) if case.ack_due_at else None
    ack = f"{roc_date(local_ack)} {local_ack:%H:%M}" if local_ack else "—"
    if contact is not None:
        notify.notify_official(
            contact.email,
            _("[Urgent] %(number)s %(subject)s") % {"number": case.number, "subject": case.subject},
            _("Urgent case for %(agency)s: %(category)s at %(address)s. Acknowledge by %(ack)s.")
            % {
                "agency": case.agency.name,
                "category": case.category,
                "address": case.address or "—",
                "ack": ack,
            },
            case=case,
        )
    CaseEvent.objects.create(
        case=case,
        verb="dispatched",
        agency=case.agency,
        data={
            "contact": contact.name if contact else None,
            "phone": contact.phone if contact else None,
            "ack_due_at": case.ack_due_at.isoformat() if case.ack_due_at else None,
        },
    )


@shared_task
def notify_transfer(case_id: int) -> None:
    case = _case(case_id)
    if case is None:
        return
    notify.notify_petitioner(
        case,
        _("[Transferred] Your petition %(number)s") % {"number": case.number},
        _("Your petition has been transferred to %(agency)s, which is responsible for it.")
        % {"agency": case.agency.name},
    )


@shared_task
def notify_extension(case_id: int, extension_id: int) -> None:
    case = _case(case_id)
    ext = Extension.objects.filter(pk=extension_id, case_id=case_id).first()
    if case is None or ext is None:
        return
    notify.notify_petitioner(
        case,
        _("[Extension] Your petition %(number)s") % {"number": case.number},
        _("The answer to your petition is extended to %(due)s. Reason: %(reason)s")
        % {"due": roc_date(ext.requested_due_date), "reason": ext.reason},
    )


@shared_task
def send_reply(case_id: int, reply_id: int) -> None:
    from rdec.petitions.tracking import rating_token

    case = _case(case_id)
    reply = Reply.objects.filter(pk=reply_id).first()
    if (
        case is None
        or reply is None
        or case.notifications.filter(body__contains=f"#reply-{reply_id}").exists()
    ):
        return
    rate_url = settings.SITE_URL + reverse("petitions:rate", args=[rating_token(case)])
    notify.notify_petitioner(
        case,
        _("[Reply] Your petition %(number)s") % {"number": case.number},
        _("%(body)s\n\nPlease rate this reply: %(url)s") % {"body": reply.body, "url": rate_url}
        + f"\n#reply-{reply_id}",
    )


def run_deadline_checks(today=None) -> dict[str, int]:
    """屆期 reminders to the handler (N working days before due) and 逾期 escalation to the
    agency's supervisors and to RDEC. Each case is reminded and escalated once per day at most."""
    today = today or timezone.localdate()
    counts = {"reminded": 0, "escalated": 0}
    window = deadlines.reminder_working_days(today)
    try:
        remind_until = workdays.add_working_days(today, window)
    except workdays.CalendarRangeError:
        remind_until = today
    open_cases = Case.objects.filter(status__in=Case.OPEN_STATUSES).select_related("agency", "handler")
    for case in open_cases.filter(due_date__gte=today, due_date__lte=remind_until).exclude(reminded_on=today):
        to = case.handler.email if case.handler and case.handler.email else ""
        notify.notify_official(
            to,
            _("[Due soon] %(number)s") % {"number": case.number},
            _("Case %(number)s is due on %(due)s.") % {"number": case.number, "due": roc_date(case.due_date)},
            case=case,
        )
        CaseEvent.objects.create(
            case=case, verb="reminded", agency=case.agency, data={"due": case.due_date.isoformat()}
        )
        Case.objects.filter(pk=case.pk).update(reminded_on=today)
        counts["reminded"] += 1
    overseers = list(User.objects.filter(role=Role.RDEC_OFFICER, is_active=True).exclude(email=""))
    for case in open_cases.filter(due_date__lt=today).exclude(escalated_on=today):
        supervisors = User.objects.filter(role=Role.SUPERVISOR, agency=case.agency, is_active=True).exclude(
            email=""
        )
        for person in [*supervisors, *overseers]:
            notify.notify_official(
                person.email,
                _("[Overdue] %(number)s") % {"number": case.number},
                _("Case %(number)s of %(agency)s was due on %(due)s and is overdue.")
                % {"number": case.number, "agency": case.agency.name, "due": roc_date(case.due_date)},
                case=case,
            )
        CaseEvent.objects.create(
            case=case, verb="escalated", agency=case.agency, data={"due": case.due_date.isoformat()}
        )
        Case.objects.filter(pk=case.pk).update(escalated_on=today)
        counts["escalated"] += 1
    return counts


@shared_task
def deadline_checks() -> None:
    run_deadline_checks()


# --- queued intake -----------------------------------------------------------------------------------

_last_request = 0.0
REQUEST_INTERVAL = 0.2  # seconds: one filing job queued per process per interval is enough


def request_filing() -> None:
    """After a queued submission commits: ask for a filing run. In-process (no broker) the run
    happens at once; with a broker, a burst of submissions queues one job per interval (the job
    files everything waiting), and the periodic job catches anything left."""
    global _last_request
    if settings.CELERY_TASK_ALWAYS_EAGER:
        file_waiting_submissions.delay()
        return
    now = time.monotonic()
    if now - _last_request >= REQUEST_INTERVAL:
        _last_request = now
        try:
            file_waiting_submissions.apply_async(countdown=REQUEST_INTERVAL)
        except Exception as exc:  # noqa: BLE001 - the submission is stored: the periodic job files it
            logger.warning(
                "filing could not be queued (%s); the periodic job will file it", type(exc).__name__
            )


class FilingPace:
    """Taking submissions comes first: while they keep arriving faster than
    RDEC_FILING_YIELD_RATE a second (a burst from connected systems; the 1999 centre's busiest hour
    is far below), the filing works at most RDEC_FILING_YIELD_DUTY_PERCENT of the time and pauses
    between batches, so that the database and the CPU serve the intake first. The worker's own
    low priority (nice) does not reach the database's work done for it. After the burst the filing
    runs at full speed again and catches up. A rate of 0 turns the pacing off."""

    MAX_PAUSE = 5.0  # seconds: a long batch never stops the filing for long

    def __init__(self):
        self.clock, self.sleep = time.monotonic, time.sleep
        self.last_id, self.last_at = self.latest_id(), self.clock()

    @staticmethod
    def latest_id() -> int:
        from rdec.petitions.models import Submission

        return Submission.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def __call__(self, took: float) -> None:
        rate_floor = settings.RDEC_FILING_YIELD_RATE
        if rate_floor <= 0:
            return
        latest, now = self.latest_id(), self.clock()
        arrivals = (latest - self.last_id) / max(now - self.last_at, 0.001)
        self.last_id, self.last_at = latest, now
        duty = min(max(settings.RDEC_FILING_YIELD_DUTY_PERCENT, 1), 100) / 100
        if arrivals >= rate_floor and duty < 1:
            self.sleep(min(took * (1 / duty - 1), self.MAX_PAUSE))


@shared_task
def file_waiting_submissions() -> int:
    from rdec.petitions import services

    pace = None if settings.CELERY_TASK_ALWAYS_EAGER else FilingPace()
    return services.file_submissions(actor=None, pause=pace)
