"""Every write of tenders: rule versions, tenders, their change orders and extensions, monthly
progress (one month at a time, or a whole workbook). Each service checks permission with
require(), validates with zh-Hant field messages (ValidationError), and leaves an audit trail."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.models import Agency
from rdec.core.permissions import check, require
from rdec.tenders import importer, reports, rules, selectors
from rdec.tenders.models import ChangeOrder, Extension, MonthlyProgress, RuleVersion, Tender

TENDER_FIELDS = (
    "name",
    "plan",
    "type",
    "budget_amount",
    "contract_amount",
    "contractor",
    "announced_on",
    "awarded_on",
    "started_on",
    "planned_completion_on",
    "actual_completion_on",
    "status",
    "failed_count",
)


def _validated(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def save_rule_version(rule: RuleVersion, *, actor) -> RuleVersion:
    """Create or change a rule version (from the admin). The version in force on a date decides."""
    require(actor, "tenders.edit_rules", rule)
    if not (rule.source_citation or "").strip():
        raise ValidationError({"source_citation": [_("Cite the source of these rules.")]})
    _validated(rule)
    rule.save()
    return rule


@transaction.atomic
def create_tender(*, actor, number: str, name: str, agency: Agency | None, type: str, **fields) -> Tender:
    require(actor, "tenders.manage_tender", agency)
    unknown = set(fields) - set(TENDER_FIELDS)
    if unknown:
        raise TypeError(f"unknown tender fields: {sorted(unknown)}")
    errors = {}
    number = (number or "").strip()
    if not number:
        errors["number"] = [_("Give the tender number.")]
    elif Tender.objects.filter(number=number).exists():
        errors["number"] = [_("A tender with this number already exists.")]
    if agency is None:
        errors["agency"] = [_("Choose the agency.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    tender = Tender(
        number=number,
        name=(name or "").strip(),
        agency=agency,
        type=type,
        created_at=now,
        updated_at=now,
        **fields,
    )
    _validated(tender)
    tender.save()
    return tender


@transaction.atomic
def update_tender(tender: Tender, *, actor, **fields) -> Tender:
    require(actor, "tenders.manage_tender", tender)
    unknown = set(fields) - set(TENDER_FIELDS)
    if unknown:
        raise TypeError(f"unknown tender fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(tender, key, value)
    tender.updated_at = timezone.now()
    _validated(tender)
    tender.save(update_fields=[*fields, "updated_at"])
    return tender


@transaction.atomic
def add_change_order(
    tender: Tender, *, actor, approved_on: datetime.date, description: str, amount_change: Decimal
) -> ChangeOrder:
    require(actor, "tenders.manage_tender", tender)
    order = ChangeOrder(
        tender=tender,
        approved_on=approved_on,
        description=(description or "").strip(),
        amount_change=amount_change,
    )
    _validated(order)
    order.save()
    return order


@transaction.atomic
def add_extension(tender: Tender, *, actor, approved_on: datetime.date, days: int, reason: str) -> Extension:
    require(actor, "tenders.manage_tender", tender)
    extension = Extension(tender=tender, approved_on=approved_on, days=days, reason=(reason or "").strip())
    _validated(extension)
    extension.save()
    if tender.planned_completion_on:
        audit.record("tender.extended", tender, days=days)
    return extension


@transaction.atomic
def record_progress(
    tender: Tender,
    *,
    actor,
    month: datetime.date,
    planned_pct: Decimal,
    actual_pct: Decimal,
    budget_executed: Decimal | None = None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> MonthlyProgress:
    """Enter (or correct) the cumulative progress of `month`. Late when entered after the due day
    of the next month under the rules in force for that month."""
    require(actor, "tenders.enter_progress", tender)
    now = now or timezone.now()
    month = month.replace(day=1)
    errors: dict = {}
    if month > timezone.localdate(now).replace(day=1):
        errors["month"] = [_("Progress cannot be entered for a month that has not begun.")]
    for name, value in (("planned_pct", planned_pct), ("actual_pct", actual_pct)):
        if value is None or not Decimal(0) <= Decimal(value) <= Decimal(100):
            errors[name] = [_("Give a percentage between 0 and 100.")]
    reason = (reason or "").strip()
    if not errors and Decimal(actual_pct) < Decimal(planned_pct) and not reason:
        errors["reason"] = [_("The actual progress is below the plan: give the reason for the delay.")]
    if errors:
        raise ValidationError(errors)
    rule = rules.RuleBook().for_month(month)
    late = timezone.localdate(now) > rules.due_date(rule, month)
    progress, _created = MonthlyProgress.objects.update_or_create(
        tender=tender,
        month=month,
        defaults={
            "planned_pct": Decimal(planned_pct),
            "actual_pct": Decimal(actual_pct),
            "budget_executed": budget_executed,
            "reason": reason,
            "entered_at": now,
            "entered_by": actor if getattr(actor, "pk", None) else None,
            "is_late": late,
        },
    )
    return progress


def import_tender_progress(data: bytes, *, actor, filename: str = "") -> importer.ImportResult:
    """Import a progress workbook or CSV, all or nothing. An agency's staff may only import rows of
    their own agencies; other rows are reported as errors in the agency column."""
    require(actor, "tenders.import_progress")
    return importer.import_file(
        data,
        filename,
        actor=actor,
        may_write=lambda agency_id: check(actor, "tenders.manage_tender", agency_id),
    )


@transaction.atomic
def open_control_meeting(
    month: datetime.date, *, actor, held_at: datetime.datetime, chair_name: str, place: str = ""
):
    """Record the month's city control meeting (標案進度管制會報) in tracking, with the agenda
    built from the control report and the agencies concerned attending. Its decisions are then
    added on the tracking meeting page and become tracked items (列管案件) there."""
    require(actor, "tenders.open_control_meeting")
    from rdec.tracking import services as tracking_services

    report = selectors.control_report(actor, month)
    agencies = {a.agency.pk: a.agency for a in report.flagged}
    agencies.update({r.agency.pk: r.agency for r in report.seriously_lagging})
    return tracking_services.create_meeting(
        actor=actor,
        type="tenders",
        title=reports.report_title(report),
        held_at=held_at,
        chair_name=chair_name,
        place=place,
        agencies=list(agencies.values()),
        agenda=reports.agenda_text(report),
        is_public=False,
    )
