"""Background jobs of the open data module."""

from __future__ import annotations

import time

from celery import shared_task
from django.conf import settings

from rdec.core.dates import roc_date
from rdec.opendata import services
from rdec.opendata.models import BADGE_ORDER, Resource


@shared_task
def check_resource_quality(resource_id: int) -> None:
    """Check a new or changed upload or link (queued by the services on commit; a link is fetched
    here, through fetch.py)."""
    from rdec.opendata import quality_run

    resource = Resource.objects.select_related("dataset").filter(pk=resource_id).first()
    if resource is not None and resource.state == Resource.State.ACTIVE:
        check = services.check_resource_quality(resource, actor=None)
        old, new = check.dataset_badge_before, check.dataset_badge_after
        if BADGE_ORDER.index(new) < BADGE_ORDER.index(old):
            quality_run.notify_lower_badges({resource.dataset.agency_id: [(resource.dataset, old, new)]})


@shared_task(bind=True, max_retries=None)
def push_to_portal(self, dataset_id: int, attempt: int = 0) -> str:
    """Send a dataset to the national portal (portal.py); a transient failure is tried again up to
    RDEC_OPENDATA_PORTAL_RETRIES times, waiting RDEC_OPENDATA_PORTAL_RETRY_DELAY seconds, doubled
    each time (in-process without a broker: the same loop, sleeping)."""
    from rdec.opendata import portal
    from rdec.opendata.models import Dataset, PortalSync

    dataset = Dataset.objects.select_related("agency").filter(pk=dataset_id).first()
    if dataset is None or not portal.enabled():
        return "skipped"
    retries = int(getattr(settings, "RDEC_OPENDATA_PORTAL_RETRIES", 3))
    delay = float(getattr(settings, "RDEC_OPENDATA_PORTAL_RETRY_DELAY", 30))
    while True:
        sync, _created = PortalSync.objects.get_or_create(dataset=dataset)
        try:
            answer = portal.push(dataset, sync)
        except portal.PortalError as exc:
            portal.record(sync, error=exc)
            if not exc.transient or attempt >= retries:
                return sync.status
            wait = delay * 2**attempt
            attempt += 1
            if not self.request.is_eager:
                raise self.retry(
                    countdown=wait, kwargs={"dataset_id": dataset_id, "attempt": attempt}
                ) from exc
            time.sleep(wait)
            continue
        portal.record(sync, answer=answer)
        return sync.status


def send_feedback_reminders(today=None) -> int:
    """Comments and data requests not yet answered: from the rule's `remind_days_before` days before
    the deadline, one reminder; after the deadline, one overdue notice (逾期未回復) — by e-mail to the
    staff and supervisors of the agency addressed. Hidden items are skipped. Returns the number of
    items reminded or noticed."""
    import datetime
    from collections import defaultdict

    from django.core.mail import send_mail
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from rdec.core.models import Role, User
    from rdec.opendata import feedback as voice
    from rdec.opendata.models import Feedback

    today = today or timezone.localdate()
    now = timezone.now()
    open_items = (
        Feedback.objects.select_related("agency")
        .filter(answered_at__isnull=True)
        .exclude(moderation=Feedback.Moderation.HIDDEN)
    )
    before = voice.rule_on(today).remind_days_before
    due = list(
        open_items.filter(
            reminded_at__isnull=True, due_on__gte=today, due_on__lte=today + datetime.timedelta(days=before)
        )
    )
    overdue = list(open_items.filter(overdue_notice_at__isnull=True, due_on__lt=today))
    people: dict[int, list[str]] = defaultdict(list)
    agencies = {i.agency_id for i in due + overdue}
    for user in User.objects.filter(
        agency_id__in=agencies, role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR], is_active=True
    ).exclude(email=""):
        people[user.agency_id].append(user.email)
    for kind, items, stamp in (("due", due, "reminded_at"), ("overdue", overdue, "overdue_notice_at")):
        by_agency: dict[int, list[Feedback]] = defaultdict(list)
        for item in items:
            by_agency[item.agency_id].append(item)
        for agency_id, group in by_agency.items():
            values = {"count": len(group)}
            subject = (
                _("Open data: %(count)s comments or data requests to answer soon") % values
                if kind == "due"
                else _("Open data: %(count)s comments or data requests are overdue") % values
            )
            lines = [
                f"- {roc_date(i.due_on)} {i.get_kind_display()}：{i.title} "
                f"{settings.SITE_URL}/opendata/feedback/{i.pk}/"
                for i in group
            ]
            if people.get(agency_id):
                send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, people[agency_id])
            Feedback.objects.filter(pk__in=[i.pk for i in group]).update(**{stamp: now})
    return len(due) + len(overdue)


@shared_task
def nightly() -> dict:
    """The nightly job (Celery beat "opendata-nightly"; `rdec check_quality --snapshot` from cron in
    the embedded setup): reminders of comments and requests due or overdue, the quality run over
    the whole catalog (agencies told of lower badges), then today's snapshot by agency."""
    from rdec.opendata import quality_run

    reminded = send_feedback_reminders()
    result = quality_run.run()
    agencies = quality_run.take_snapshot()
    return {
        "reminded": reminded,
        "checked": result.checked,
        "badges": result.badges,
        "agencies_told": result.notified,
        "snapshots": agencies,
        "seconds": round(result.seconds, 1),
    }
