"""Write use cases of 簡政創新: one function each, keyword-only `actor`, atomic, permission-checked,
audited; bad input raises ValidationError with field names and a message saying what to fix.

Rules (臺中市政府簡政創新實施計畫 GL003794, research §2.2): a digest at least once a month; each item
by 函 to agencies with a due date; a cross-agency item has exactly one lead agency (the one with the
larger share), the others co-agencies; each agency answers adopt (measures and a schedule) / partially
(likewise) / not adopt (reasons required); an adopted or partially adopted item is put under control
(列管) in rdec.tracking. The year-end review of innovation entries goes through the engine
(rdec.programs.services): entries are submissions, reviewers score them there, the ranking is the
engine's, and the RDEC's award also records the engine's decision.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.models import Agency
from rdec.core.permissions import require
from rdec.programs import selectors, services
from rdec.programs.models import Call, Programme, Submission
from rdec.programs.models_innovation import (
    Assessment,
    Award,
    Digest,
    DigestItem,
    InnovationEntry,
    ProcessReform,
    Referral,
)


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


# --- digests ---------------------------------------------------------------------------------------


@transaction.atomic
def create_digest(*, actor, year: int, month: int, title: str = "") -> Digest:
    require(actor, "programs.manage_innovation")
    errors: dict[str, list] = {}
    if not 1 <= int(month) <= 12:
        errors["month"] = [ValidationError(_("Choose a month from 1 to 12."), code="invalid")]
    if not 2000 <= int(year) <= 2200:
        errors["year"] = [ValidationError(_("Give a year from 2000 to 2200."), code="invalid")]
    if not errors and Digest.objects.filter(year=year, month=month).exists():
        errors["month"] = [
            ValidationError(_("This month already has a digest; add the items to it."), code="unique")
        ]
    if errors:
        raise ValidationError(errors)
    digest = Digest.objects.create(year=year, month=month, title=(title or "").strip(), created_by=actor)
    audit.record("programs.digest_created", digest)
    return digest


@transaction.atomic
def update_digest(digest: Digest, *, actor, title: str) -> Digest:
    require(actor, "programs.manage_innovation", digest)
    digest.title = (title or "").strip()
    digest.save(update_fields=["title"])
    return digest


def _clean_item(headline: str, kind: str, source_url: str) -> dict[str, list]:
    errors: dict[str, list] = {}
    if not (headline or "").strip():
        errors["headline"] = [ValidationError(_("Give the item a headline."), code="required")]
    if kind not in DigestItem.Kind.values:
        errors["kind"] = [
            ValidationError(
                _("Choose the type: news, a councillor's question or citizen feedback."),
                code="invalid_choice",
            )
        ]
    if source_url and not str(source_url).startswith(("http://", "https://")):
        errors["source_url"] = [
            ValidationError(_("Give the source as a web address (https://…)."), code="invalid")
        ]
    return errors


@transaction.atomic
def add_item(
    digest: Digest,
    *,
    actor,
    headline: str,
    kind: str,
    source_url: str = "",
    place: str = "",
    summary: str = "",
) -> DigestItem:
    require(actor, "programs.manage_innovation", digest)
    errors = _clean_item(headline, kind, source_url)
    if errors:
        raise ValidationError(errors)
    item = DigestItem(
        digest=digest,
        headline=headline.strip(),
        kind=kind,
        source_url=source_url or "",
        place=(place or "").strip(),
        summary=(summary or "").strip(),
        position=digest.items.count(),
    )
    item.full_clean()
    item.save()
    audit.record("programs.digest_item_added", digest, item=item.pk)
    return item


@transaction.atomic
def update_item(
    item: DigestItem,
    *,
    actor,
    headline: str,
    kind: str,
    source_url: str = "",
    place: str = "",
    summary: str = "",
) -> DigestItem:
    require(actor, "programs.manage_innovation", item.digest)
    errors = _clean_item(headline, kind, source_url)
    if errors:
        raise ValidationError(errors)
    item.headline, item.kind, item.source_url = headline.strip(), kind, source_url or ""
    item.place, item.summary = (place or "").strip(), (summary or "").strip()
    item.full_clean()
    item.save(update_fields=["headline", "kind", "source_url", "place", "summary"])
    return item


@transaction.atomic
def remove_item(item: DigestItem, *, actor) -> None:
    require(actor, "programs.manage_innovation", item.digest)
    if item.referrals.exists():
        raise _error(
            "item", _("This item was already sent to agencies; it can no longer be removed."), "sent"
        )
    audit.record("programs.digest_item_removed", item.digest, item=item.pk)
    item.delete()


def _clean_agencies(
    agencies: Iterable[Agency], lead: Agency | None
) -> tuple[list[Agency], Agency | None, dict]:
    """The agencies of one item and its lead: exactly one lead among them (a single agency leads)."""
    agencies = list(dict.fromkeys(agencies))
    errors: dict[str, list] = {}
    if not agencies:
        errors["agencies"] = [
            ValidationError(_("Choose at least one agency to refer the item to."), code="required")
        ]
    elif len(agencies) == 1 and lead is None:
        lead = agencies[0]
    elif lead is None:
        errors["lead"] = [
            ValidationError(
                _("An item referred to several agencies needs exactly one lead agency; choose it."),
                code="required",
            )
        ]
    elif lead not in agencies:
        errors["lead"] = [
            ValidationError(
                _("The lead agency must be one of the agencies the item goes to."), code="invalid"
            )
        ]
    return agencies, lead, errors


@transaction.atomic
def send_digest(
    digest: Digest,
    *,
    actor,
    routing: Mapping[DigestItem, tuple[Iterable[Agency], Agency | None]],
    letter_number: str,
    due_on: datetime.date,
    sent_on: datetime.date | None = None,
) -> Digest:
    """Send the digest by 函: each item to its agencies (one lead, the rest co-agencies), all due on
    `due_on`. Every item must go to at least one agency."""
    require(actor, "programs.manage_innovation", digest)
    sent_on = sent_on or timezone.localdate()
    errors: dict[str, list] = {}
    digest = Digest.objects.select_for_update().get(pk=digest.pk)
    if digest.is_sent:
        errors["digest"] = [ValidationError(_("This digest was already sent."), code="sent")]
    items = list(digest.items.all())
    if not items:
        errors["digest"] = [
            ValidationError(_("Add at least one item before sending the digest."), code="empty")
        ]
    if not (letter_number or "").strip():
        errors["letter_number"] = [
            ValidationError(_("Give the number of the 函 that sends the digest."), code="required")
        ]
    if due_on is None or due_on < sent_on:
        errors["due_on"] = [
            ValidationError(
                _("The answers are due on or after the day the digest is sent."), code="before_sent"
            )
        ]
    cleaned = {}
    for item in items:
        agencies, lead, problems = _clean_agencies(*routing.get(item, ((), None)))
        for key, msgs in problems.items():
            errors.setdefault(f"{key}_{item.pk}", []).extend(msgs)
        cleaned[item] = (agencies, lead)
    if errors:
        raise ValidationError(errors)
    for item, (agencies, lead) in cleaned.items():
        Referral.objects.bulk_create(
            Referral(
                item=item,
                agency=agency,
                lead=agency == lead,
                letter_number=letter_number.strip(),
                sent_on=sent_on,
                due_on=due_on,
            )
            for agency in agencies
        )
    digest.sent_on = sent_on
    digest.sent_by = actor
    digest.save(update_fields=["sent_on", "sent_by"])
    audit.record("programs.digest_sent", digest, referrals=sum(len(a) for a, _lead in cleaned.values()))
    return digest


# --- the agencies' answers ---------------------------------------------------------------------------


@transaction.atomic
def assess_referral(
    referral: Referral,
    *,
    actor,
    decision: str,
    reason: str = "",
    measures: str = "",
    target_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Assessment:
    """The agency's answer to a referral. Not adopting needs the reasons; adopting (fully or partly)
    needs the measures and the target date, and puts the item under control (列管) in the tracking
    module, owned by the agency, due on the target date, linked back on the assessment."""
    require(actor, "programs.assess_referral", referral)
    now = now or timezone.now()
    reason, measures = (reason or "").strip(), (measures or "").strip()
    errors: dict[str, list] = {}
    if decision not in Assessment.Decision.values:
        errors["decision"] = [
            ValidationError(_("Choose adopt, partially adopt or not adopt."), code="invalid_choice")
        ]
    elif decision == Assessment.Decision.NOT_ADOPT:
        if not reason:
            errors["reason"] = [
                ValidationError(_("Give the reasons for not adopting the item."), code="required")
            ]
    else:
        if not measures:
            errors["measures"] = [
                ValidationError(_("Describe the measures the agency will take."), code="required")
            ]
        if target_on is None:
            errors["target_on"] = [
                ValidationError(_("Give the target date of the schedule."), code="required")
            ]
        elif target_on < timezone.localdate(now):
            errors["target_on"] = [ValidationError(_("The target date cannot be in the past."), code="past")]
    if Assessment.objects.filter(referral=referral).exists():
        errors["referral"] = [ValidationError(_("This referral is already answered."), code="answered")]
    if errors:
        raise ValidationError(errors)
    adopted = decision != Assessment.Decision.NOT_ADOPT
    assessment = Assessment(
        referral=referral,
        decision=decision,
        reason=reason,
        measures=measures if adopted else "",
        target_on=target_on if adopted else None,
        assessed_by=actor,
        assessed_at=now,
    )
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        raise _error("referral", _("This referral is already answered."), "answered") from None
    if adopted:
        assessment.tracking_item = _track(assessment, actor=actor)
        assessment.save(update_fields=["tracking_item"])
    audit.record("programs.referral_assessed", referral, decision=decision)
    return assessment


def _track(assessment: Assessment, *, actor):
    from rdec.tracking import services as tracking
    from rdec.tracking.models import Item

    referral = assessment.referral
    item = referral.item
    description = "\n".join(
        part
        for part in (
            _("Innovation digest %(year)d-%(month)02d")
            % {"year": item.digest.year, "month": item.digest.month},
            item.summary,
            _("Measures: %(measures)s") % {"measures": assessment.measures},
            item.source_url,
        )
        if part
    )
    return tracking.create_item(
        actor=actor,
        source=Item.Source.INNOVATION,
        title=item.headline,
        owner=referral.agency,
        deadline=assessment.target_on,
        level=Item.Level.SELF,
        description=description,
        expected_outcome=assessment.measures,
    )


# --- process reforms -------------------------------------------------------------------------------

_MEASURES = ("days", "documents", "visits")


@transaction.atomic
def record_process_reform(
    *, actor, agency: Agency, year: int, item: str, strategy: str, **measures
) -> ProcessReform:
    """One key item of an agency's 行政流程改造 of the year, with its before/after measures
    (working days, documents, counter visits; whole numbers, 0 or more)."""
    require(actor, "programs.post_for_agency", agency)
    errors: dict[str, list] = {}
    if not (item or "").strip():
        errors["item"] = [ValidationError(_("Name the reform item."), code="required")]
    if not (strategy or "").strip():
        errors["strategy"] = [
            ValidationError(
                _("Give the strategy (e.g. review of rules or processes, use of tools)."), code="required"
            )
        ]
    values = {}
    for name in _MEASURES:
        for when in ("before", "after"):
            key = f"{name}_{when}"
            value = measures.get(key)
            if value is None or int(value) < 0:
                errors[key] = [ValidationError(_("Give a whole number, 0 or more."), code="invalid")]
            else:
                values[key] = int(value)
    if errors:
        raise ValidationError(errors)
    reform = ProcessReform(
        agency=agency, year=year, item=item.strip(), strategy=strategy.strip(), created_by=actor, **values
    )
    reform.full_clean()
    reform.save()
    audit.record("programs.process_reform_recorded", reform)
    return reform


# --- the year-end review: entries through the engine, awards -----------------------------------------


@transaction.atomic
def enter_innovation(
    call: Call,
    *,
    actor,
    agency: Agency,
    title: str,
    description: str,
    tax_id: str,
    now: datetime.datetime | None = None,
) -> InnovationEntry:
    """An agency's entry to the year-end review: an engine submission (its window and late refusal,
    the 統一編號's check) plus the entry's body."""
    require(actor, "programs.post_for_agency", agency)
    if call.programme != Programme.INNOVATION:
        raise _error("call", _("This call is not an innovation review."), "programme")
    errors: dict[str, list] = {}
    if not (title or "").strip():
        errors["title"] = [ValidationError(_("Give the entry a title."), code="required")]
    if not (description or "").strip():
        errors["description"] = [ValidationError(_("Describe the innovation."), code="required")]
    if errors:
        raise ValidationError(errors)
    reference = f"IN{call.submissions.count() + 1:04d}"
    submission = services.submit_to_call(
        call,
        actor=actor,
        reference=reference,
        title=title.strip(),
        organisation=agency.name,
        tax_id=tax_id,
        now=now,
    )
    entry = InnovationEntry.objects.create(
        agency=agency,
        year=timezone.localtime(call.closes).year,
        title=title.strip(),
        description=description.strip(),
        submission=submission,
        created_by=actor,
    )
    audit.record("programs.innovation_entered", entry)
    return entry


@transaction.atomic
def give_award(
    entry: InnovationEntry, *, actor, level: str, awarded_on: datetime.date | None = None
) -> Award:
    """The RDEC's award after the engine's ranking: the entry must be ranked; its rank is copied from
    the ranking, and the engine records the entry as selected."""
    call = entry.submission.call
    require(actor, "programs.manage_innovation", call)
    if level not in Award.Level.values:
        raise _error("level", _("Choose the award: distinction, excellent or merit."), "invalid_choice")
    ranking = selectors.ranking(call, selectors.default_round(call), names=False)
    rank = next((e.rank for e in ranking if e.reference == entry.submission.reference), None)
    if rank is None:
        raise _error("entry", _("This entry has no score yet; awards follow the ranking."), "unranked")
    if Award.objects.filter(entry=entry).exists():
        raise _error("entry", _("This entry already has its award."), "awarded")
    if entry.submission.decision != Submission.Decision.SELECTED:
        services.decide_submission(entry.submission, actor=actor, selected=True, reason=_("Awarded"))
    award = Award.objects.create(
        entry=entry, level=level, rank=rank, awarded_on=awarded_on or timezone.localdate(), awarded_by=actor
    )
    audit.record("programs.innovation_awarded", entry, level=level, rank=rank)
    return award
