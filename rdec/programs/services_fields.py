"""Write use cases of 場域驗證 (smart-city field validation, issue 18 item 2): needs and fields
posted by agencies, proposals (the body of an engine Submission), matches, validations with their
milestones, KPI measurements and incidents, results and follow-ons. One function each, keyword-only
`actor`, atomic, permission-checked, audited; bad input raises ValidationError with field names,
codes and Traditional Chinese messages (through the catalogue)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.permissions import require
from rdec.programs import checks, periods, services
from rdec.programs.models import (
    Call,
    Field,
    FollowOn,
    Incident,
    Match,
    Measurement,
    Milestone,
    Need,
    Programme,
    Proposal,
    Result,
    Submission,
    Validation,
)


@transaction.atomic
def post_need(*, actor, agency, title: str, description: str, survey_year: int) -> Need:
    """A need (出題) of the agency in the year's needs survey."""
    require(actor, "programs.post_for_agency", agency)
    errors: dict[str, list] = {}
    title = checks.required(errors, "title", title)
    description = checks.required(errors, "description", description)
    if errors:
        raise ValidationError(errors)
    need = Need(
        agency=agency, title=title, description=description, survey_year=survey_year, created_by=actor
    )
    need.full_clean()
    need.save()
    audit.record("programs.need_posted", need, agency=agency.pk)
    return need


def _decimal(errors: dict, name: str, value, low: int, high: int, places: str = "") -> Decimal | None:
    """A number from `low` to `high`; with `places` ("1", "0.01") it must have no more decimals,
    without it it is rounded to 6 (a coordinate: about 0.1 m)."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or not low <= number <= high:
        errors[name] = [
            ValidationError(
                _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}, code="invalid"
            )
        ]
        return None
    if not places:
        return number.quantize(Decimal("0.000001"))
    if number != number.quantize(Decimal(places)):
        message = (
            _("Enter a whole number.")
            if places == "1"
            else _("Enter at most %(places)s decimals.") % {"places": -Decimal(places).as_tuple().exponent}
        )
        errors[name] = [ValidationError(message, code="invalid")]
        return None
    return number.quantize(Decimal(places))


@transaction.atomic
def post_field(
    *,
    actor,
    agency,
    name: str,
    latitude,
    longitude,
    address: str,
    available_from: datetime.date,
    available_until: datetime.date,
    data_offered: str = "",
    infrastructure_offered: str = "",
    constraints: str = "",
    need: Need | None = None,
    published: bool = False,
) -> Field:
    """A field (場域) the agency offers: a point and its address, the period it is available, the data
    and infrastructure offered and its constraints."""
    require(actor, "programs.post_for_agency", agency)
    errors: dict[str, list] = {}
    name = checks.required(errors, "name", name)
    address = checks.required(errors, "address", address)
    lat = _decimal(errors, "latitude", latitude, -90, 90)
    lon = _decimal(errors, "longitude", longitude, -180, 180)
    if available_from and available_until and available_until < available_from:
        errors["available_until"] = [
            ValidationError(
                _("The field must be available until a day after it becomes available."), code="before_from"
            )
        ]
    if need is not None and need.agency_id != agency.pk:
        errors["need"] = [ValidationError(_("Choose a need of the same agency."), code="other_agency")]
    if errors:
        raise ValidationError(errors)
    field = Field(
        agency=agency,
        need=need,
        name=name,
        latitude=lat,
        longitude=lon,
        address=address,
        available_from=available_from,
        available_until=available_until,
        data_offered=data_offered or "",
        infrastructure_offered=infrastructure_offered or "",
        constraints=constraints or "",
        published=bool(published),
        created_by=actor,
    )
    field.full_clean()
    field.save()
    audit.record("programs.field_posted", field, agency=agency.pk, published=field.published)
    return field


@transaction.atomic
def publish_field(field: Field, *, actor, published: bool = True) -> Field:
    require(actor, "programs.post_for_agency", field)
    field.published = bool(published)
    field.save(update_fields=["published"])
    audit.record("programs.field_published" if published else "programs.field_unpublished", field)
    return field


def _clean_kpis(errors: dict, kpis: Iterable) -> list[dict]:
    cleaned = []
    for item in kpis or []:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, Mapping) or not str(item.get("name", "")).strip():
            errors["kpis"] = [ValidationError(_("Each KPI needs a name."), code="required")]
            return []
        cleaned.append({k: str(item.get(k, "")).strip() for k in ("name", "target", "unit")})
    if not cleaned:
        errors["kpis"] = [ValidationError(_("Give at least one KPI."), code="required")]
    return cleaned


@transaction.atomic
def save_proposal(
    call: Call,
    *,
    actor,
    title: str,
    solution: str,
    technology: str,
    kpis: Iterable,
    budget,
    funding: str,
    privacy_security_plan: str,
    need: Need | None = None,
    theme: str = "",
    now: datetime.datetime | None = None,
) -> Proposal:
    """A draft proposal to an open field-validation call, answering a need or an open theme (one of
    the call's themes). Drafts are not proposals yet: `submit_proposal` submits them."""
    require(actor, "programs.submit_to_call", call)
    now = now or timezone.now()
    errors: dict[str, list] = {}
    if call.programme != Programme.FIELD_VALIDATION:
        errors["call"] = [ValidationError(_("This call is not a field-validation call."), code="programme")]
    elif now > call.closes:
        errors["call"] = [ValidationError(_("This call is closed."), code="closed")]
    elif now < call.opens:
        errors["call"] = [ValidationError(_("This call is not open yet."), code="not_open")]
    title = checks.required(errors, "title", title)
    solution = checks.required(errors, "solution", solution)
    technology = checks.required(errors, "technology", technology)
    privacy_security_plan = checks.required(errors, "privacy_security_plan", privacy_security_plan)
    theme = (theme or "").strip()
    if need is None and not theme:
        errors["need"] = [ValidationError(_("Answer a need or choose an open theme."), code="required")]
    elif need is not None and theme:
        errors["theme"] = [
            ValidationError(_("Answer either a need or an open theme, not both."), code="both")
        ]
    elif need is not None and need.status != Need.Status.OPEN:
        errors["need"] = [ValidationError(_("This need is closed."), code="closed")]
    elif theme and call.themes and theme not in call.themes:
        errors["theme"] = [ValidationError(_("Choose one of the call's themes."), code="invalid_choice")]
    if funding not in Proposal.Funding.values:
        errors["funding"] = [ValidationError(_("Choose self-funded or subsidised."), code="invalid_choice")]
    cleaned_budget = _decimal(errors, "budget", budget, 0, 10**12 - 1, places="1")
    cleaned_kpis = _clean_kpis(errors, kpis)
    if errors:
        raise ValidationError(errors)
    proposal = Proposal(
        call=call,
        need=need,
        theme=theme,
        title=title,
        solution=solution,
        technology=technology,
        kpis=cleaned_kpis,
        budget=cleaned_budget,
        funding=funding,
        privacy_security_plan=privacy_security_plan,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def submit_proposal(
    proposal: Proposal,
    *,
    actor,
    reference: str,
    organisation: str,
    tax_id: str,
    team: str = "",
    now: datetime.datetime | None = None,
) -> Submission:
    """Submit a draft: the engine's submission (refused after the call closes, a bad 統一編號, a
    reference taken)."""
    require(actor, "programs.edit_proposal", proposal)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_draft:
        raise ValidationError(
            {"proposal": ValidationError(_("This proposal is already submitted."), code="submitted")}
        )
    errors: dict[str, list] = {}
    organisation = checks.required(errors, "organisation", organisation)
    try:
        submission = services.submit_to_call(
            proposal.call,
            actor=actor,
            reference=reference,
            title=proposal.title,
            organisation=organisation or "-",
            tax_id=tax_id,
            team=team,
            now=now,
        )
    except ValidationError as exc:
        for name, problems in exc.error_dict.items():
            errors.setdefault(name, []).extend(problems)
        submission = None
    if errors:
        raise ValidationError(errors)
    proposal.submission = submission
    proposal.save(update_fields=["submission"])
    audit.record("programs.proposal_submitted", submission, proposal=proposal.pk)
    return submission


@transaction.atomic
def match_proposal(
    proposal: Proposal, field: Field, *, actor, agreed_on: datetime.date | None = None, mou=None
) -> Match:
    """Match a selected proposal to a field (the agreement date when signed; the MOU of the
    transparency register when there is one)."""
    require(actor, "programs.manage_validations", proposal)
    if proposal.is_draft or proposal.submission.decision != Submission.Decision.SELECTED:
        raise ValidationError(
            {
                "proposal": ValidationError(
                    _("Only a selected proposal can be matched to a field."), code="not_selected"
                )
            }
        )
    if Match.objects.filter(proposal=proposal, field=field).exists():
        raise ValidationError(
            {"field": ValidationError(_("This proposal is already matched to this field."), code="unique")}
        )
    if mou is None:
        mou = _draft_mou(proposal, field, actor=actor)
    match = Match.objects.create(
        proposal=proposal, field=field, agreed_on=agreed_on, mou=mou, created_by=actor
    )
    audit.record("programs.matched", match, proposal=proposal.pk, field=field.pk, mou=mou.pk if mou else None)
    return match


UNIVERSITY_WORDS = ("大學", "學院", "學校", "科技大學", "研究院")
NONPROFIT_WORDS = ("協會", "基金會", "學會", "公會", "促進會", "合作社")


def party_kind(organisation: str) -> str:
    """The MOU party kind of a proposer, from its name (a proposal does not say): a university or
    school, a non-profit, otherwise a company."""
    if any(word in organisation for word in UNIVERSITY_WORDS):
        return "university"
    if any(word in organisation for word in NONPROFIT_WORDS):
        return "ngo"
    return "company"


def _draft_mou(proposal: Proposal, field: Field, *, actor):
    """The agreement of a match as a draft in the transparency register's MOU register (合作備忘錄專區),
    led by the field's agency with the proposer as the other party; from there it goes through the
    register's gates, signing and publication like any MOU. None when the transparency module is not
    installed."""
    from rdec.core import registry

    mous = registry.optional_module("rdec.transparency.services.mous")
    if mous is None:
        return None
    submission = proposal.submission
    return mous.create_mou(
        actor=actor,
        lead_agency=field.agency,
        title=(
            _("Field validation of “%(title)s” at %(field)s")
            % {"title": submission.title, "field": field.name}
        )[: mous.TITLE_MAX],
        summary=proposal.solution,
        cooperation_items=_("Validation at %(field)s (%(address)s): %(technology)s")
        % {"field": field.name, "address": field.address, "technology": proposal.technology},
        parties=[{"name": submission.organisation, "kind": party_kind(submission.organisation)}],
        source=f"場域驗證 {submission.call.slug} {submission.reference}",
    )


@transaction.atomic
def start_validation(
    match: Match,
    *,
    actor,
    starts_on: datetime.date,
    months: int = periods.DEFAULT_MONTHS,
    ends_on: datetime.date | None = None,
) -> Validation:
    """The validation on the matched field: by default five months, the end date included
    (2022-08-01 → 2022-12-31); its report is due on the end date."""
    require(actor, "programs.manage_validations", match)
    errors: dict[str, list] = {}
    if hasattr(match, "validation"):
        errors["match"] = [ValidationError(_("This match already has a validation."), code="unique")]
    if match.agreed_on is None:
        errors["match"] = [
            ValidationError(_("Record the agreement date before the validation starts."), code="no_agreement")
        ]
    if ends_on is None:
        ends_on = periods.inclusive_end(starts_on, months)
    if ends_on < starts_on:
        errors["ends_on"] = [
            ValidationError(_("A validation ends on or after the day it starts."), code="before_start")
        ]
    field = match.field
    if starts_on < field.available_from or ends_on > field.available_until:
        errors["starts_on"] = [
            ValidationError(
                _("The field is available from %(start)s to %(end)s.")
                % {"start": field.available_from.isoformat(), "end": field.available_until.isoformat()},
                code="field_unavailable",
            )
        ]
    if errors:
        raise ValidationError(errors)
    validation = Validation.objects.create(match=match, starts_on=starts_on, ends_on=ends_on)
    audit.record("programs.validation_started", validation, starts_on=starts_on, ends_on=ends_on)
    return validation


def _open(validation: Validation) -> None:
    if validation.status in (Validation.Status.CLOSED, Validation.Status.WITHDRAWN):
        raise ValidationError({"validation": ValidationError(_("This validation is closed."), code="closed")})


@transaction.atomic
def add_milestone(validation: Validation, *, actor, title: str, due_on: datetime.date) -> Milestone:
    require(actor, "programs.log_validation", validation)
    _open(validation)
    errors: dict[str, list] = {}
    title = checks.required(errors, "title", title)
    if errors:
        raise ValidationError(errors)
    return Milestone.objects.create(validation=validation, title=title, due_on=due_on)


@transaction.atomic
def record_measurement(
    validation: Validation,
    *,
    actor,
    kpi: str,
    value,
    measured_on: datetime.date,
    unit: str = "",
    note: str = "",
) -> Measurement:
    require(actor, "programs.log_validation", validation)
    _open(validation)
    errors: dict[str, list] = {}
    kpi = checks.required(errors, "kpi", kpi)
    number = _decimal(errors, "value", value, -(10**11), 10**11, places="0.01")
    if errors:
        raise ValidationError(errors)
    return Measurement.objects.create(
        validation=validation,
        kpi=kpi,
        value=number,
        unit=unit,
        measured_on=measured_on,
        note=note,
    )


@transaction.atomic
def record_incident(
    validation: Validation,
    *,
    actor,
    occurred_on: datetime.date,
    description: str,
    severity: str = Incident.Severity.MINOR,
    action_taken: str = "",
) -> Incident:
    require(actor, "programs.log_validation", validation)
    errors: dict[str, list] = {}
    description = checks.required(errors, "description", description)
    if severity not in Incident.Severity.values:
        errors["severity"] = [ValidationError(_("Choose minor or major."), code="invalid_choice")]
    if errors:
        raise ValidationError(errors)
    incident = Incident.objects.create(
        validation=validation,
        occurred_on=occurred_on,
        severity=severity,
        description=description,
        action_taken=action_taken,
    )
    audit.record("programs.incident_recorded", validation, severity=severity)
    return incident


@transaction.atomic
def receive_report(validation: Validation, *, actor, received_on: datetime.date | None = None) -> Validation:
    require(actor, "programs.log_validation", validation)
    _open(validation)
    validation.report_received_on = received_on or timezone.localdate()
    validation.status = Validation.Status.REPORTED
    validation.save(update_fields=["report_received_on", "status"])
    audit.record("programs.report_received", validation, received_on=validation.report_received_on)
    return validation


@transaction.atomic
def record_result(
    validation: Validation,
    *,
    actor,
    recommendation: str,
    reasons: str,
    kpis_achieved: str = "",
    decided_on: datetime.date | None = None,
) -> Result:
    """The result closes the validation: scale, procure or stop, with its reasons (after the report)."""
    require(actor, "programs.manage_validations", validation)
    _open(validation)
    errors: dict[str, list] = {}
    if recommendation not in Result.Recommendation.values:
        errors["recommendation"] = [
            ValidationError(_("Choose scale up, procure or stop."), code="invalid_choice")
        ]
    reasons = checks.required(errors, "reasons", reasons)
    if validation.report_received_on is None:
        errors["validation"] = [
            ValidationError(_("The validation's report has not been received yet."), code="no_report")
        ]
    if errors:
        raise ValidationError(errors)
    decided_on = decided_on or timezone.localdate()
    result = Result.objects.create(
        validation=validation,
        recommendation=recommendation,
        reasons=reasons,
        kpis_achieved=kpis_achieved,
        decided_on=decided_on,
        decided_by=actor,
    )
    validation.status = Validation.Status.CLOSED
    validation.closed_on = decided_on
    validation.save(update_fields=["status", "closed_on"])
    audit.record("programs.result_recorded", validation, recommendation=recommendation)
    return result


@transaction.atomic
def withdraw_validation(
    validation: Validation, *, actor, reason: str, on: datetime.date | None = None
) -> Validation:
    """Closed without a result (the proposer withdrew, the field was lost): it counts among the closed
    validations and not as landed."""
    require(actor, "programs.manage_validations", validation)
    _open(validation)
    errors: dict[str, list] = {}
    reason = checks.required(errors, "reason", reason)
    if errors:
        raise ValidationError(errors)
    validation.status = Validation.Status.WITHDRAWN
    validation.withdrawal_reason = reason
    validation.closed_on = on or timezone.localdate()
    validation.save(update_fields=["status", "withdrawal_reason", "closed_on"])
    audit.record("programs.validation_withdrawn", validation)
    return validation


def tender_by_number(actor, number: str):
    """The tender a follow-on names by its number, among the tenders `actor` sees (None for no
    number); an unknown number is an error on `tender_number`."""
    number = (number or "").strip()
    if not number:
        return None
    from rdec.core.registry import optional_module

    tenders = optional_module("rdec.tenders.selectors")
    tender = tenders.tenders_visible_to(actor).filter(number=number).first() if tenders else None
    if tender is None:
        raise ValidationError(
            {"tender_number": ValidationError(_("No tender has this number."), code="unknown")}
        )
    return tender


@transaction.atomic
def record_follow_on(
    result: Result,
    *,
    actor,
    kind: str,
    tender=None,
    description: str = "",
    recorded_on: datetime.date | None = None,
) -> FollowOn:
    """A tender of the tenders module, or a commercial deployment (described)."""
    require(actor, "programs.manage_validations", result)
    errors: dict[str, list] = {}
    description = (description or "").strip()
    if kind == FollowOn.Kind.TENDER:
        if tender is None:
            errors["tender"] = [ValidationError(_("Choose the tender."), code="required")]
    elif kind == FollowOn.Kind.COMMERCIAL:
        if not description:
            errors["description"] = [
                ValidationError(_("Describe the commercial deployment."), code="required")
            ]
        tender = None
    else:
        errors["kind"] = [
            ValidationError(_("Choose a tender or a commercial deployment."), code="invalid_choice")
        ]
    if result.recommendation == Result.Recommendation.STOP:
        errors["result"] = [
            ValidationError(_("A validation recommended to stop has no follow-on."), code="stopped")
        ]
    if errors:
        raise ValidationError(errors)
    follow_on = FollowOn.objects.create(
        result=result,
        kind=kind,
        tender=tender,
        description=description,
        recorded_on=recorded_on or timezone.localdate(),
    )
    audit.record("programs.follow_on_recorded", result.validation, kind=kind)
    return follow_on
