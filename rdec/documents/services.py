"""Every write of document timeliness: rule versions (and the recount they cause), imports of the
document system's export, the monthly ranking's follow-up (improvement reports asked of the
agencies over the threshold, and their receipt), and the on-site checks of the year's bottom
agencies. Each service checks permission with require(), validates with zh-Hant field messages
(ValidationError), and leaves an audit trail."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.permissions import require
from rdec.core.tasks import enqueue_on_commit
from rdec.documents import importer, rules, selectors
from rdec.documents.models import ImprovementReport, RuleVersion, SiteCheck


@transaction.atomic
def save_rule_version(rule: RuleVersion, *, actor) -> RuleVersion:
    """Create or change a rule version. The documents received from the earlier of its old and new
    start are counted again (after commit, as a task)."""
    require(actor, "documents.edit_rules", rule)
    if not (rule.source or "").strip():
        raise ValidationError({"source": [_("Cite the source of these rules.")]})
    try:
        rule.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    before = RuleVersion.objects.filter(pk=rule.pk).values_list("effective_from", flat=True).first()
    rule.save()
    since = min(d for d in (before, rule.effective_from) if d is not None)
    from rdec.documents.tasks import recount_documents

    enqueue_on_commit(recount_documents, since=since.isoformat())
    return rule


def recount_documents(*, actor, since: datetime.date | None = None) -> int:
    """Count documents again under the current rules and calendar (after a calendar change)."""
    require(actor, "documents.edit_rules")
    done = importer.recount(since)
    latest = RuleVersion.objects.first()
    if latest is not None:
        audit.record("documents.recounted", latest, since=str(since or ""), rows=done)
    return done


def import_documents(data: bytes, *, actor, filename: str = "") -> importer.ImportResult:
    """Import the document system's export (CSV or .xlsx), all or nothing; the same document
    number of the same agency is updated."""
    require(actor, "documents.import_documents")
    return importer.import_file(data, filename, actor=actor)


@transaction.atomic
def publish_ranking(month: datetime.date, *, actor) -> list[ImprovementReport]:
    """Publish the month's ranking: every agency over the threshold is asked for an improvement
    report (檢討改進措施). Asking again keeps the reports already received."""
    require(actor, "documents.manage_follow_up")
    month = month.replace(day=1)
    if month > selectors.previous_month():
        raise ValidationError({"month": [_("A month can be ranked only after it has ended.")]})
    kpis = selectors.monthly_kpis(actor, month)
    asked = []
    for k in kpis.flagged:
        report, created = ImprovementReport.objects.get_or_create(
            agency=k.agency, month=month, defaults={"overdue_ratio": k.overdue_ratio}
        )
        if not created and report.received_on is None and report.overdue_ratio != k.overdue_ratio:
            report.overdue_ratio = k.overdue_ratio
            report.save(update_fields=["overdue_ratio"])
        asked.append(report)
    audit.record(
        "documents.ranking_published",
        kpis.rule,
        month=f"{month:%Y-%m}",
        flagged=[k.agency.code for k in kpis.flagged],
    )
    return asked


@transaction.atomic
def record_improvement_report(
    report: ImprovementReport, *, actor, received_on: datetime.date, note: str = ""
) -> ImprovementReport:
    require(actor, "documents.manage_follow_up", report)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("The date cannot be in the future.")]})
    report.received_on = received_on
    report.note = (note or "").strip()
    report.save(update_fields=["received_on", "note"])
    return report


@transaction.atomic
def select_site_checks(year: int, *, actor, through: datetime.date | None = None) -> list[SiteCheck]:
    """Choose the year's bottom agencies of each group (by the ordinary performance up to
    `through`) for on-site document checks; choosing again replaces the unchecked choices."""
    require(actor, "documents.manage_follow_up")
    rows = selectors.year_performance(actor, year, through=through)
    rule = rules.RuleBook().on(through or datetime.date(year, 12, 31))
    SiteCheck.objects.filter(year=year, checked_on__isnull=True).delete()
    kept = set(SiteCheck.objects.filter(year=year).values_list("agency_id", flat=True))
    chosen = []
    for group, bottom in selectors.bottom_of_year(rows, rule.site_check_count).items():
        for k in bottom:
            if k.agency.pk in kept:
                continue
            chosen.append(
                SiteCheck.objects.create(
                    year=year, agency=k.agency, group=group, rank=k.rank, overdue_ratio=k.overdue_ratio
                )
            )
    return chosen


@transaction.atomic
def record_site_check(check: SiteCheck, *, actor, checked_on: datetime.date) -> SiteCheck:
    require(actor, "documents.manage_follow_up", check)
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": [_("The date cannot be in the future.")]})
    check.checked_on = checked_on
    check.save(update_fields=["checked_on"])
    return check
