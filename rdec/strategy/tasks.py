"""Reminders (on the platform and by e-mail): agencies with unreported targets when a KPI window is
about to close; agencies whose monthly subsidy report is due or late, and the RDEC about the late
ones. `reminders()` is the plain function; the Celery task and `rdec strategy_reminders` call it."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.dates import roc_date
from rdec.core.models import AGENCY_ROLES, Agency, User
from rdec.strategy.models import (
    QuarterlyReport,
    Reminder,
    ReportingWindow,
    SubsidyCycle,
    SubsidyMonth,
    Target,
)

DAYS_BEFORE = 3  # remind this many calendar days before a closing date or a due date


def _send(agency: Agency, key: str, subject: str, body: str, link: str = "") -> bool:
    """Keep a Reminder (once per key) and e-mail the agency's staff and supervisors."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                agency=agency, key=key[:120], subject=subject[:200], body=body, link=link
            )
    except IntegrityError:
        return False
    emails = list(
        User.objects.filter(agency=agency, role__in=AGENCY_ROLES, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if emails:
        url = settings.SITE_URL.rstrip("/") + link if link and getattr(settings, "SITE_URL", "") else link
        send_mail(subject, f"{body}\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, emails, fail_silently=True)
        reminder.emailed_to = len(emails)
        reminder.save(update_fields=["emailed_to"])
    return True


def _kpi_reminders(today: datetime.date) -> int:
    sent = 0
    windows = ReportingWindow.objects.filter(
        closed_at__isnull=True, opens_on__lte=today, closes_on__gte=today,
        closes_on__lte=today + datetime.timedelta(days=DAYS_BEFORE),
    )  # fmt: skip
    for window in windows:
        reported = set(QuarterlyReport.objects.filter(window=window).values_list("target_id", flat=True))
        missing: dict[Agency, int] = {}
        for target in Target.objects.filter(
            year=window.year, plan__active=True, live_source=""
        ).select_related("plan__agency"):
            if target.pk not in reported:
                missing[target.plan.agency] = missing.get(target.plan.agency, 0) + 1
        for agency, count in missing.items():
            subject = _("Quarterly KPI report %(period)s: %(count)s target(s) not reported") % {
                "period": window.label,
                "count": count,
            }
            body = _("The reporting window closes on %(date)s. Please report the quarter's values.") % {
                "date": roc_date(window.closes_on)
            }
            sent += _send(
                agency, f"kpi:{window.pk}:{agency.pk}:{window.closes_on}", subject, body, "/strategy/report/"
            )
    return sent


def _subsidy_reminders(today: datetime.date) -> int:
    sent = 0
    rdec = Agency.objects.filter(code="rdec").first()
    late_lines = []
    for cycle in SubsidyCycle.objects.filter(year__in=[today.year, today.year - 1]):
        months = SubsidyMonth.objects.filter(
            project__cycle=cycle, project__status="selected", reported_at__isnull=True
        ).select_related("project", "project__agency", "project__cycle")
        for row in months:
            due = cycle.report_due_on(row.month)
            if (cycle.year, row.month) > (today.year, today.month) or due - today > datetime.timedelta(
                days=DAYS_BEFORE
            ):
                continue
            late = today > due
            values = {
                "project": row.project.title,
                "year": cycle.year,
                "month": row.month,
                "date": roc_date(due),
            }
            if late:
                subject = _("Subsidy project %(project)s: the report on %(year)s/%(month)s is late") % values
                late_lines.append(
                    f"{row.project.agency.short_name} {row.project.title} {cycle.year}/{row.month}"
                )
            else:
                subject = _("Subsidy project %(project)s: report on %(year)s/%(month)s by %(date)s") % values
            body = _("Report the month's cumulative progress and spending by %(date)s.") % values
            kind = "late" if late else "due"
            sent += _send(
                row.project.agency,
                f"subsidy:{row.project_id}:{row.month}:{kind}",
                subject,
                body,
                f"/strategy/subsidies/{row.project_id}/",
            )
    if late_lines and rdec is not None:
        subject = _("Late subsidy reports: %(count)s") % {"count": len(late_lines)}
        sent += _send(
            rdec, f"subsidy-late:{today.isoformat()}", subject, "\n".join(late_lines), "/strategy/subsidies/"
        )
    return sent


def send_reminders(today: datetime.date | None = None) -> int:
    """Send what is due today (idempotent: each reminder once). Returns how many were made."""
    today = today or timezone.localdate()
    return _kpi_reminders(today) + _subsidy_reminders(today)


@shared_task
def reminders() -> None:
    send_reminders()
