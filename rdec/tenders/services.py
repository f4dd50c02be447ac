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

from rdec.core import attachments, audit
from rdec.core.models import Agency
from rdec.core.permissions import check, require
from rdec.tenders import deficiency_list, importer, inspection_rules, reports, rules, selectors
from rdec.tenders.models import (
    ChangeOrder,
    Consequence,
    Deficiency,
    Extension,
    Finding,
    ImprovementReport,
    Inspection,
    InspectionPhoto,
    InspectionRule,
    MonthlyProgress,
    RuleVersion,
    Tender,
)

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
    if not (rule.source or "").strip():
        raise ValidationError({"source": [_("Cite the source of these rules.")]})
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


# --- construction quality inspections (工程施工查核) ------------------------------------------------

PHOTO_MAX_FILES = 20
PHOTO_KINDS = frozenset({"jpeg", "png"})  # checked by content, stored without metadata (core.attachments)


def _regrade(since: datetime.date) -> int:
    """Grade again every inspection from `since` by the version in force on its date."""
    book = inspection_rules.InspectionRuleBook()
    changed = 0
    for inspection in Inspection.objects.filter(inspected_on__gte=since):
        grade = inspection_rules.grade(book.on(inspection.inspected_on), inspection.score)
        if grade != inspection.grade:
            inspection.grade = grade
            inspection.save(update_fields=["grade"])
            changed += 1
    return changed


@transaction.atomic
def save_inspection_rule(rule: InspectionRule, *, actor) -> InspectionRule:
    """Create or change an inspection rule version (from the admin). Inspections from the version's
    date (or its former date) are graded again by the version in force on their own date."""
    require(actor, "tenders.edit_inspection_rules", rule)
    errors = {}
    if not (rule.source or "").strip():
        errors["source"] = [_("Cite the source of these rules.")]
    if rule.grade_b_min is not None and rule.grade_a_min is not None and rule.grade_b_min > rule.grade_a_min:
        errors["grade_b_min"] = [_("Grade B cannot start above grade A.")]
    if errors:
        raise ValidationError(errors)
    _validated(rule)
    previous = InspectionRule.objects.filter(pk=rule.pk).values_list("effective_from", flat=True).first()
    rule.save()
    since = min(filter(None, [rule.effective_from, previous]))
    changed = _regrade(since)
    audit.record("inspection_rule.saved", rule, regraded=changed)
    return rule


def load_deficiencies(data: bytes, *, actor, filename: str = "") -> deficiency_list.LoadResult:
    """Load the deficiency list from a CSV or JSON file, all or nothing (LoadFailed lists the errors)."""
    require(actor, "tenders.load_deficiencies")
    rows = deficiency_list.parse(data, filename)
    with transaction.atomic():
        result = deficiency_list.store(rows, Deficiency)
        first = Deficiency.objects.order_by("code").first()
        if first is not None:
            audit.record(
                "deficiency_list.loaded", first, created=result.created, updated=result.updated,
                retired=result.retired, filename=filename,
            )  # fmt: skip
    return result


def _store_photo(inspection: Inspection, uploaded, *, caption: str = "", finding=None) -> InspectionPhoto:
    import uuid

    from django.core.files.base import ContentFile

    clean = attachments.clean_upload(uploaded, allowed=PHOTO_KINDS, field="photos")
    data, content_type, ext = clean.data, clean.content_type, clean.ext
    photo = InspectionPhoto(
        inspection=inspection,
        finding=finding,
        content_type=content_type,
        size=len(data),
        caption=caption[:200],
    )
    photo.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
    photo.save()
    return photo


@transaction.atomic
def record_inspection(
    *,
    actor,
    tender: Tender,
    inspected_on: datetime.date,
    members: str,
    score: Decimal,
    work_type: str = Inspection.WorkType.OTHER,
    progress_pct: Decimal | None = None,
    strengths: str = "",
    notes: str = "",
    findings: list[dict] | None = None,
    photos: list | None = None,
    today: datetime.date | None = None,
) -> Inspection:
    """Record an inspection of a works tender with its score (graded by the bands in force on the
    inspection's date), its findings (`{"code", "points"?, "note"?, "party"?}`; points default to
    the list's), its photos (JPEG/PNG ≤ 10 MB), and an improvement report due from each party with
    findings (deadline: the rule's days after the inspection)."""
    require(actor, "tenders.record_inspection", tender)
    today = today or timezone.localdate()
    findings = findings or []
    photos = photos or []
    errors: dict = {}
    if tender.type != Tender.Type.WORKS:
        errors["tender"] = [_("Only works tenders are inspected.")]
    if inspected_on is None:
        errors["inspected_on"] = [_("Give the inspection date.")]
    elif inspected_on > today:
        errors["inspected_on"] = [_("The inspection date cannot be in the future.")]
    members_list = [line.strip() for line in (members or "").splitlines() if line.strip()]
    if not members_list:
        errors["members"] = [_("Give the members of the inspection group.")]
    if score is None or not Decimal(0) <= Decimal(score) <= Decimal(100):
        errors["score"] = [_("Give a score between 0 and 100.")]
    if work_type not in Inspection.WorkType.values:
        errors["work_type"] = [_("Choose a work type from the list.")]
    if len(photos) > PHOTO_MAX_FILES:
        errors["photos"] = [_("At most 20 photos per inspection.")]
    codes = {str(f.get("code", "")).strip() for f in findings}
    known = {d.code: d for d in Deficiency.objects.filter(code__in=codes)}
    finding_rows = []
    for index, item in enumerate(findings, start=1):
        code = str(item.get("code", "")).strip()
        deficiency = known.get(code)
        if deficiency is None:
            errors.setdefault("findings", []).append(
                _("Finding %(n)s: no deficiency has the code %(code)s.") % {"n": index, "code": code or "—"}
            )
            continue
        points = item.get("points")
        points = deficiency.points if points in (None, "") else Decimal(str(points))
        if not Decimal(0) <= points <= Decimal(100):
            errors.setdefault("findings", []).append(
                _("Finding %(n)s: give points from 0 to 100.") % {"n": index}
            )
        party = item.get("party") or deficiency.party
        if party not in Deficiency.Party.values:
            errors.setdefault("findings", []).append(
                _("Finding %(n)s: choose the responsible party.") % {"n": index}
            )
        finding_rows.append((deficiency, points, party, str(item.get("note") or "").strip()))
    if errors:
        raise ValidationError(errors)
    book = inspection_rules.InspectionRuleBook()
    rule = book.on(inspected_on)
    inspection = Inspection(
        tender=tender,
        inspected_on=inspected_on,
        work_type=work_type,
        members="\n".join(members_list),
        progress_pct=progress_pct,
        score=Decimal(score),
        grade=inspection_rules.grade(rule, Decimal(score)),
        strengths=(strengths or "").strip(),
        notes=(notes or "").strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    _validated(inspection)
    inspection.save()
    parties = []
    for deficiency, points, party, note in finding_rows:
        Finding.objects.create(
            inspection=inspection, deficiency=deficiency, points=points, party=party, note=note
        )
        if party not in parties:
            parties.append(party)
    due = inspection_rules.improvement_due(rule, inspected_on)
    for party in parties:
        ImprovementReport.objects.create(inspection=inspection, party=party, due_on=due)
    for uploaded in photos:
        _store_photo(inspection, uploaded)
    audit.record(
        "inspection.recorded", inspection, tender=tender.number, score=str(inspection.score),
        grade=inspection.grade, findings=len(finding_rows),
    )  # fmt: skip
    return inspection


@transaction.atomic
def add_inspection_photo(
    inspection: Inspection, *, actor, uploaded, caption: str = "", finding: Finding | None = None
) -> InspectionPhoto:
    """Add a photo to a recorded inspection, of the whole site or of one of its findings."""
    require(actor, "tenders.record_inspection", inspection)
    if inspection.photos.count() >= PHOTO_MAX_FILES:
        raise ValidationError({"photos": [_("At most 20 photos per inspection.")]})
    if finding is not None and finding.inspection_id != inspection.pk:
        raise ValidationError({"finding": [_("Choose a finding of this inspection.")]})
    photo = _store_photo(inspection, uploaded, caption=caption, finding=finding)
    audit.record("inspection.photo_added", inspection, finding=finding.pk if finding else None)
    return photo


@transaction.atomic
def submit_improvement(
    report: ImprovementReport,
    *,
    actor,
    submitted_on: datetime.date,
    content: str,
    today: datetime.date | None = None,
) -> ImprovementReport:
    """Enter the contractor's or supervisor's improvement report (已改善; late when after the deadline)."""
    require(actor, "tenders.follow_up_inspection", report.inspection)
    today = today or timezone.localdate()
    errors = {}
    if submitted_on is None or submitted_on > today:
        errors["submitted_on"] = [_("Give a date that is not in the future.")]
    elif submitted_on < report.inspection.inspected_on:
        errors["submitted_on"] = [_("The report cannot precede the inspection.")]
    if not (content or "").strip():
        errors["content"] = [_("Describe the improvement.")]
    if errors:
        raise ValidationError(errors)
    report.submitted_on = submitted_on
    report.content = content.strip()
    report.submitted_by = actor if getattr(actor, "pk", None) else None
    report.save(update_fields=["submitted_on", "content", "submitted_by"])
    audit.record("inspection.improved", report.inspection, party=report.party, late=report.is_late)
    return report


@transaction.atomic
def record_consequence(
    inspection: Inspection, *, actor, kind: str, decided_on: datetime.date, description: str = ""
) -> Consequence:
    """Record what followed a 丙等 inspection (only a grade C inspection has consequences)."""
    require(actor, "tenders.follow_up_inspection", inspection)
    errors = {}
    if inspection.grade != Inspection.Grade.C:
        errors["kind"] = [_("Only a grade C inspection has consequences to record.")]
    if kind not in Consequence.Kind.values:
        errors["kind"] = [_("Choose a consequence from the list.")]
    if decided_on is None or decided_on < inspection.inspected_on:
        errors["decided_on"] = [_("The decision cannot precede the inspection.")]
    if errors:
        raise ValidationError(errors)
    consequence = Consequence.objects.create(
        inspection=inspection,
        kind=kind,
        decided_on=decided_on,
        description=(description or "").strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record("inspection.consequence", inspection, kind=kind)
    return consequence
