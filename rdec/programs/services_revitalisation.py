"""Write use cases of 地方創生 (regional revitalisation, issue 18 item 4; research §2.3): the scheme
catalogue, proposals (公所提案 / 多元徵案) filed as engine submissions to a revitalisation call, the
city's screening and decision through the engine, the 國發會 working meeting's decision, the
ministries' approval lines (補助 and 投資 kept apart), milestones, KPIs and the closeout. One
function each, keyword-only `actor`, atomic, permission-checked, audited; bad input raises
ValidationError with field names, codes and messages through the catalogue."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.models import Agency, District
from rdec.core.permissions import require
from rdec.programs import checks, services
from rdec.programs.models import (
    ApprovalLine,
    Call,
    FundingKind,
    Programme,
    ResourceRequest,
    RevitalisationKpi,
    RevitalisationMeasurement,
    RevitalisationMilestone,
    RevitalisationPartner,
    RevitalisationProposal,
    Scheme,
    Submission,
)

SCHEMES_FILE = Path(__file__).resolve().parent / "data" / "revitalisation-schemes.json"
MAX_AMOUNT = 10**14 - 1
Status = RevitalisationProposal.Status
Decision = RevitalisationProposal.MeetingDecision


def _names(values: Iterable) -> list[str]:
    return [str(v).strip() for v in values or [] if str(v).strip()]


def _amount(value) -> Decimal | None:
    """A whole number of NT$ from 1 up; None if it is not one."""
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number != number.to_integral_value() or not 1 <= number <= MAX_AMOUNT:
        return None
    return number.quantize(Decimal(1))


def _clean_lines(errors: dict, name: str, lines: Iterable[Mapping], *, required: bool) -> list[dict]:
    """Lines of {ministry, scheme (a Scheme or None), amount, kind}; errors go under `name`."""
    cleaned, problems = [], []
    for n, line in enumerate(lines or [], start=1):
        ministry = str(line.get("ministry") or "").strip()
        scheme = line.get("scheme")
        if not ministry and scheme is not None:
            ministry = scheme.ministry
        amount = _amount(line.get("amount"))
        kind = line.get("kind")
        if not ministry:
            problems.append(
                ValidationError(_("Line %(n)s: name the ministry."), code="required", params={"n": n})
            )
        if amount is None:
            problems.append(
                ValidationError(
                    _("Line %(n)s: the amount is a whole number of NT$ from 1 up."),
                    code="invalid_amount",
                    params={"n": n},
                )
            )
        if kind not in FundingKind.values:
            problems.append(
                ValidationError(
                    _("Line %(n)s: choose subsidy (補助) or investment (投資)."),
                    code="invalid_choice",
                    params={"n": n},
                )
            )
        if scheme is not None and ministry and scheme.ministry != ministry:
            problems.append(
                ValidationError(
                    _("Line %(n)s: the scheme belongs to %(ministry)s."),
                    code="other_ministry",
                    params={"n": n, "ministry": scheme.ministry},
                )
            )
        cleaned.append({"ministry": ministry, "scheme": scheme, "amount": amount, "kind": kind})
    if required and not cleaned and not problems:
        problems.append(ValidationError(_("Give at least one line."), code="required"))
    if problems:
        errors[name] = problems
    return cleaned


def _clean_partners(errors: dict, partners: Iterable[Mapping]) -> list[dict]:
    cleaned = []
    for item in partners or []:
        kind, name = item.get("kind"), str(item.get("name") or "").strip()
        if kind not in RevitalisationPartner.Kind.values or not name:
            errors["partners"] = [
                ValidationError(
                    _("Each partner needs its kind (CSR, USR, other) and its name."), code="invalid"
                )
            ]
            return []
        cleaned.append({"kind": kind, "name": name})
    return cleaned


def _reference(call: Call) -> str:
    n = call.submissions.count() + 1
    while call.submissions.filter(reference=f"RV-{n:04d}").exists():
        n += 1
    return f"RV-{n:04d}"


# --- the scheme catalogue --------------------------------------------------------------------------


@transaction.atomic
def save_scheme(
    *,
    actor,
    code: str,
    ministry: str,
    name: str,
    kind: str,
    url: str = "",
    notes: str = "",
    source: str = "",
    confirmed: bool = False,
) -> Scheme:
    """Add or update (by code) a scheme of the catalogue."""
    if actor is not None:
        require(actor, "programs.manage_revitalisation")
    errors: dict[str, list] = {}
    code = checks.required(errors, "code", code)
    ministry = checks.required(errors, "ministry", ministry)
    name = checks.required(errors, "name", name)
    if kind not in FundingKind.values:
        errors["kind"] = [
            ValidationError(_("Choose subsidy (補助) or investment (投資)."), code="invalid_choice")
        ]
    if errors:
        raise ValidationError(errors)
    scheme = Scheme.objects.filter(code=code).first() or Scheme(code=code)
    for attr, value in {
        "ministry": ministry,
        "name": name,
        "kind": kind,
        "url": url or "",
        "notes": notes or "",
        "source": source or "",
        "confirmed": bool(confirmed),
    }.items():
        setattr(scheme, attr, value)
    scheme.full_clean()
    scheme.save()
    return scheme


def load_schemes(path: Path | str = SCHEMES_FILE) -> int:
    """The shipped catalogue (rdec/programs/data/revitalisation-schemes.json), by code; the count."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    with transaction.atomic():
        for item in data["schemes"]:
            save_scheme(actor=None, **item)
    return len(data["schemes"])


# --- proposals -------------------------------------------------------------------------------------


def _office_district(errors: dict, type: str, district: District | None, office: Agency | None):
    if type not in RevitalisationProposal.Type.values:
        errors["type"] = [
            ValidationError(
                _("Choose a district office proposal or an open-call proposal."), code="invalid_choice"
            )
        ]
        return
    if district is None:
        errors["district"] = [ValidationError(_("Choose the district of the place."), code="required")]
    if type == RevitalisationProposal.Type.DISTRICT_OFFICE:
        if office is None:
            errors["district_office"] = [
                ValidationError(_("A district office proposal names its district office."), code="required")
            ]
        elif office.level != Agency.Level.DISTRICT_OFFICE:
            errors["district_office"] = [
                ValidationError(_("Choose a district office (區公所)."), code="not_office")
            ]
        elif district is not None and office.district_id not in (None, district.pk):
            errors["district_office"] = [
                ValidationError(
                    _("This office is not the office of the district chosen."), code="other_district"
                )
            ]


@transaction.atomic
def file_proposal(
    call: Call,
    *,
    actor,
    type: str,
    district: District | None,
    title: str,
    vision: str,
    proposers: Iterable[str],
    organisation: str,
    tax_id: str,
    businesses: Iterable[str] = (),
    partners: Iterable[Mapping] = (),
    requested: Iterable[Mapping] = (),
    district_office: Agency | None = None,
    now: datetime.datetime | None = None,
) -> RevitalisationProposal:
    """A proposal to an open revitalisation call, filed as the engine's submission (organisation and
    統一編號 of the lead proposer; refused after the call closes). A 公所提案 names its district
    office (of the district); a 多元徵案 needs none, but the place's district is always recorded."""
    require(actor, "programs.file_revitalisation", district_office if type == "district_office" else district)
    errors: dict[str, list] = {}
    if call.programme != Programme.REVITALISATION:
        errors["call"] = [ValidationError(_("This call is not a revitalisation call."), code="programme")]
    _office_district(errors, type, district, district_office)
    if type == RevitalisationProposal.Type.OPEN_CALL:
        district_office = None
    title = checks.required(errors, "title", title)
    vision = checks.required(errors, "vision", vision)
    proposer_names = _names(proposers)
    if not proposer_names:
        errors["proposers"] = [ValidationError(_("Name at least one proposer (事業體)."), code="required")]
    business_names = _names(businesses)
    cleaned_partners = _clean_partners(errors, partners)
    lines = _clean_lines(errors, "requested", requested, required=True)
    organisation = checks.required(errors, "organisation", organisation)
    if errors.get("call"):
        raise ValidationError(errors)
    try:
        submission = services.submit_to_call(
            call,
            actor=actor,
            reference=_reference(call),
            title=title or "-",
            organisation=organisation or "-",
            tax_id=tax_id,
            team="、".join(proposer_names),
            now=now,
        )
    except ValidationError as exc:
        for name, problems in exc.error_dict.items():
            errors.setdefault(name, []).extend(problems)
        submission = None
    if errors:
        raise ValidationError(errors)
    proposal = RevitalisationProposal(
        call=call,
        submission=submission,
        type=type,
        district=district,
        district_office=district_office,
        title=title,
        vision=vision,
        proposers=proposer_names,
        businesses=business_names,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    proposal.full_clean()
    proposal.save()
    RevitalisationPartner.objects.bulk_create(
        RevitalisationPartner(proposal=proposal, **p) for p in cleaned_partners
    )
    ResourceRequest.objects.bulk_create(ResourceRequest(proposal=proposal, **line) for line in lines)
    audit.record(
        "programs.revitalisation_filed",
        proposal,
        type=type,
        district=district.code,
        reference=submission.reference,
    )
    return proposal


@transaction.atomic
def screen_proposal(proposal: RevitalisationProposal, *, actor, eligible: bool, reasons: str = ""):
    """The city's eligibility screening, by the engine (not eligible needs its reasons)."""
    require(actor, "programs.manage_revitalisation", proposal)
    services.screen_submission(proposal.submission, actor=actor, eligible=eligible, reasons=reasons)
    proposal.status = Status.SUBMITTED if eligible else Status.SCREENED_OUT
    proposal.save(update_fields=["status"])
    return proposal


@transaction.atomic
def decide_for_meeting(proposal: RevitalisationProposal, *, actor, forward: bool, reason: str = ""):
    """The city's decision, by the engine: forward the proposal to the 國發會 working meeting, or
    not (with its reason)."""
    require(actor, "programs.manage_revitalisation", proposal)
    if proposal.submission.eligibility == Submission.Eligibility.INELIGIBLE:
        raise ValidationError(
            {
                "proposal": ValidationError(
                    _("This proposal was screened out as not eligible."), code="ineligible"
                )
            }
        )
    if proposal.meeting_decision:
        raise ValidationError(
            {"proposal": ValidationError(_("The working meeting has already decided."), code="decided")}
        )
    services.decide_submission(proposal.submission, actor=actor, selected=forward, reason=reason)
    proposal.status = Status.FORWARDED if forward else Status.REFUSED
    proposal.save(update_fields=["status"])
    return proposal


_BY_DECISION = {
    Decision.APPROVED: Status.APPROVED,
    Decision.CONDITIONAL: Status.CONDITIONAL,
    Decision.NOT_APPROVED: Status.NOT_APPROVED,
    Decision.DEFERRED: Status.DEFERRED,
}
APPROVING = (Decision.APPROVED, Decision.CONDITIONAL)


@transaction.atomic
def record_meeting(
    proposal: RevitalisationProposal,
    *,
    actor,
    meeting_date: datetime.date | None,
    decision: str,
    reason: str = "",
    approvals: Iterable[Mapping] = (),
) -> RevitalisationProposal:
    """The 國發會 working meeting's date and decision (approved, approved with conditions, not
    approved — its reason required —, deferred), with the ministries' approval lines of an approval
    (each line one ministry, one amount, 補助 or 投資). A deferred proposal may be decided again at a
    later meeting."""
    require(actor, "programs.manage_revitalisation", proposal)
    proposal = RevitalisationProposal.objects.select_for_update().get(pk=proposal.pk)
    errors: dict[str, list] = {}
    if proposal.status not in (Status.FORWARDED, Status.DEFERRED):
        errors["proposal"] = [
            ValidationError(
                _("Only a proposal the city forwarded (or one deferred) goes to the working meeting."),
                code="not_forwarded",
            )
        ]
    if meeting_date is None:
        errors["meeting_date"] = [
            ValidationError(_("Give the date of the working meeting."), code="required")
        ]
    elif meeting_date < timezone.localdate(proposal.submission.submitted_at):
        errors["meeting_date"] = [
            ValidationError(
                _("The working meeting cannot be before the proposal was filed (%(day)s).")
                % {"day": timezone.localdate(proposal.submission.submitted_at).isoformat()},
                code="before_filing",
            )
        ]
    reason = (reason or "").strip()
    if decision not in Decision.values:
        errors["decision"] = [
            ValidationError(_("Choose the working meeting's decision."), code="invalid_choice")
        ]
    elif decision == Decision.NOT_APPROVED and not reason:
        errors["reason"] = [ValidationError(_("A proposal not approved needs the reason."), code="required")]
    elif decision == Decision.CONDITIONAL and not reason:
        errors["reason"] = [ValidationError(_("State the conditions of the approval."), code="required")]
    approvals = list(approvals or [])
    if decision in APPROVING:
        lines = _clean_lines(errors, "approvals", approvals, required=False)
    else:
        lines = []
        if approvals:
            errors["approvals"] = [
                ValidationError(_("Approval lines go with an approval only."), code="not_approved")
            ]
    if errors:
        raise ValidationError(errors)
    proposal.meeting_date = meeting_date
    proposal.meeting_decision = decision
    proposal.meeting_reason = reason
    proposal.status = _BY_DECISION[decision]
    proposal.save(update_fields=["meeting_date", "meeting_decision", "meeting_reason", "status"])
    for line in lines:
        ApprovalLine.objects.create(proposal=proposal, approved_on=meeting_date, created_by=actor, **line)
    audit.record(
        "programs.revitalisation_meeting",
        proposal,
        meeting_decision=decision,
        meeting_date=meeting_date,
    )
    return proposal


@transaction.atomic
def add_approval(
    proposal: RevitalisationProposal,
    *,
    actor,
    ministry: str,
    amount,
    kind: str,
    scheme: Scheme | None = None,
    approved_on: datetime.date | None = None,
) -> ApprovalLine:
    """One more ministry's approval line of an approved proposal (ministries approve one by one)."""
    require(actor, "programs.manage_revitalisation", proposal)
    errors: dict[str, list] = {}
    if proposal.meeting_decision not in APPROVING or proposal.status == Status.CLOSED:
        errors["proposal"] = [
            ValidationError(_("Approval lines go with an approval only."), code="not_approved")
        ]
    (line,) = _clean_lines(
        errors,
        "approvals",
        [{"ministry": ministry, "scheme": scheme, "amount": amount, "kind": kind}],
        required=True,
    )
    if errors:
        raise ValidationError(errors)
    approval = ApprovalLine.objects.create(
        proposal=proposal, approved_on=approved_on or proposal.meeting_date, created_by=actor, **line
    )
    audit.record("programs.revitalisation_approval", proposal, ministry=line["ministry"], kind=line["kind"])
    return approval


def _executing(proposal: RevitalisationProposal) -> None:
    if proposal.status not in (Status.APPROVED, Status.CONDITIONAL):
        raise ValidationError(
            {
                "proposal": ValidationError(
                    _("Milestones and KPIs are kept for an approved proposal until its closeout."),
                    code="not_executing",
                )
            }
        )


@transaction.atomic
def add_milestone(proposal: RevitalisationProposal, *, actor, title: str, due_on: datetime.date):
    require(actor, "programs.log_revitalisation", proposal)
    _executing(proposal)
    errors: dict[str, list] = {}
    title = checks.required(errors, "title", title)
    if errors:
        raise ValidationError(errors)
    return RevitalisationMilestone.objects.create(proposal=proposal, title=title, due_on=due_on)


@transaction.atomic
def complete_milestone(milestone: RevitalisationMilestone, *, actor, done_on: datetime.date):
    require(actor, "programs.log_revitalisation", milestone.proposal)
    _executing(milestone.proposal)
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    return milestone


def _whole(errors: dict, name: str, value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        number = None
    if (
        number is None
        or not number.is_finite()
        or number != number.to_integral_value()
        or abs(number) > MAX_AMOUNT
    ):
        errors[name] = [ValidationError(_("Enter a whole number."), code="invalid")]
        return None
    return number.quantize(Decimal(1))


@transaction.atomic
def set_kpi(
    proposal: RevitalisationProposal, *, actor, indicator: str, baseline, target
) -> RevitalisationKpi:
    """The baseline and target of one of the four indicators (set again: replaced)."""
    require(actor, "programs.log_revitalisation", proposal)
    _executing(proposal)
    errors: dict[str, list] = {}
    if indicator not in RevitalisationKpi.Indicator.values:
        errors["indicator"] = [
            ValidationError(_("Choose population, jobs, visitors or revenue."), code="invalid_choice")
        ]
    base = _whole(errors, "baseline", baseline)
    goal = _whole(errors, "target", target)
    if errors:
        raise ValidationError(errors)
    kpi, _created = RevitalisationKpi.objects.update_or_create(
        proposal=proposal, indicator=indicator, defaults={"baseline": base, "target": goal}
    )
    return kpi


@transaction.atomic
def record_kpi_measurement(
    proposal: RevitalisationProposal, *, actor, indicator: str, value, measured_on: datetime.date
) -> RevitalisationMeasurement:
    """A measurement of an indicator whose baseline and target are set."""
    require(actor, "programs.log_revitalisation", proposal)
    _executing(proposal)
    errors: dict[str, list] = {}
    kpi = proposal.kpis.filter(indicator=indicator).first()
    if kpi is None:
        errors["indicator"] = [
            ValidationError(_("Set this indicator's baseline and target first."), code="no_kpi")
        ]
    number = _whole(errors, "value", value)
    if measured_on is None:
        errors["measured_on"] = [ValidationError(_("This field is required."), code="required")]
    if errors:
        raise ValidationError(errors)
    return RevitalisationMeasurement.objects.create(kpi=kpi, value=number, measured_on=measured_on)


@transaction.atomic
def close_out(
    proposal: RevitalisationProposal, *, actor, closed_on: datetime.date | None = None, summary: str
) -> RevitalisationProposal:
    """The closeout (結案) of an approved proposal, with its summary."""
    require(actor, "programs.manage_revitalisation", proposal)
    _executing(proposal)
    errors: dict[str, list] = {}
    summary = checks.required(errors, "summary", summary)
    if errors:
        raise ValidationError(errors)
    proposal.status = Status.CLOSED
    proposal.closed_on = closed_on or timezone.localdate()
    proposal.closeout_summary = summary
    proposal.save(update_fields=["status", "closed_on", "closeout_summary"])
    audit.record("programs.revitalisation_closed", proposal, closed_on=proposal.closed_on)
    return proposal
