"""Write use cases of 跨域委託研究 (issue 18 item 5; research §2.4): topic proposals with their
duplicate check, projects with their GRB registration, deliverables, the report library, and the
recommendations' adoption records (an adopted one becomes a tracked item, 列管). One function each,
keyword-only `actor`, atomic, permission-checked, audited; bad input raises ValidationError with
field names and messages (through the catalogue)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.permissions import is_oversight, require
from rdec.core.rules import ProcessRuleBook
from rdec.core.textsearch import bigrams
from rdec.programs import checks
from rdec.programs.models import (
    Adoption,
    Deliverable,
    Project,
    Recommendation,
    Report,
    ResearchRule,
    TopicProposal,
)

RULES: ProcessRuleBook = ProcessRuleBook("programs.ResearchRule", before_first="earliest", ttl=60.0)


def rule_for(day: datetime.date) -> ResearchRule:
    """The version in force on `day` (before the first: the first; none at all: the defaults)."""
    return RULES.on(day) or ResearchRule()


# --- duplicate check ---------------------------------------------------------------------------------


def similarity(a: str, b: str) -> float:
    """Dice coefficient of two texts' character pairs and Latin words (rdec.core.textsearch.bigrams),
    0 to 1 (0 when either is empty)."""
    x, y = set(bigrams(a or "")), set(bigrams(b or ""))
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def duplicate_candidates(*, title: str, text: str = "", keywords: str = "", on: datetime.date) -> list[dict]:
    """Reports of the city's archive from the last N years (the report's year from `on`'s year − N
    to `on`'s year; N = the rule's duplicate_window_years) whose title + abstract + keywords are
    similar to the topic's: [{"report", "year", "similarity"}], most similar first. Similarity: the
    larger of title against title and the whole topic against the report's title, abstract and
    keywords (a long background would otherwise dilute a near-identical title)."""
    rule = rule_for(on)
    first_year = on.year - rule.duplicate_window_years
    threshold = float(rule.duplicate_similarity)
    topic = " ".join([title or "", keywords or "", text or ""])
    found = []
    for report in Report.objects.filter(year__gte=first_year, year__lte=on.year).select_related("agency"):
        archived = " ".join([report.title, report.keywords, report.abstract_zh])
        score = max(similarity(title, report.title), similarity(topic, archived))
        if score >= threshold:
            found.append({"report": report, "year": report.year, "similarity": round(score, 2)})
    found.sort(key=lambda d: -d["similarity"])
    return found


# --- topics ------------------------------------------------------------------------------------------


@transaction.atomic
def propose_topic(
    *,
    actor,
    proposer_kind: str,
    title: str,
    background: str,
    aims: str,
    kind: str,
    keywords: str = "",
    agency=None,
    proposer: str = "",
    proposed_on: datetime.date | None = None,
) -> TopicProposal:
    """A topic for commissioned research. Only research for service improvement or policy making
    may be commissioned: the kinds the 作業要點 excludes (an opinion poll, a statistical survey, a
    software, …) are refused. The possible duplicates found in the archive are kept with it."""
    require(actor, "programs.propose_research_topic")
    errors: dict[str, list] = {}
    title = checks.required(errors, "title", title)
    background = checks.required(errors, "background", background)
    aims = checks.required(errors, "aims", aims)
    if proposer_kind not in TopicProposal.ProposerKind.values:
        errors["proposer_kind"] = [
            ValidationError(_("Choose who proposes the topic."), code="invalid_choice")
        ]
    elif proposer_kind == TopicProposal.ProposerKind.AGENCY:
        if agency is None:
            errors["agency"] = [ValidationError(_("Choose the proposing agency."), code="required")]
        else:
            require(actor, "programs.post_for_agency", agency)
    elif not (proposer or "").strip():
        errors["proposer"] = [
            ValidationError(_("Name the university or the youth committee."), code="required")
        ]
    if kind in (TopicProposal.Kind.OPINION_POLL, TopicProposal.Kind.STATISTICAL_SURVEY):
        errors["kind"] = [
            ValidationError(
                _(
                    "Opinion polls and statistical surveys are not commissioned research "
                    "(委託研究計畫作業要點); file a poll in the opinion polls module."
                ),
                code="excluded",
            )
        ]
    elif kind in TopicProposal.Kind.values and kind != TopicProposal.Kind.RESEARCH:
        errors["kind"] = [
            ValidationError(
                _("%(kind)s is excluded from commissioned research by the city's 委託研究計畫作業要點.")
                % {"kind": TopicProposal.Kind(kind).label},
                code="excluded",
            )
        ]
    elif kind != TopicProposal.Kind.RESEARCH:
        errors["kind"] = [ValidationError(_("Choose the kind of study."), code="invalid_choice")]
    if errors:
        raise ValidationError(errors)
    proposed_on = proposed_on or timezone.localdate()
    duplicates = duplicate_candidates(title=title, text=aims, keywords=keywords, on=proposed_on)
    topic = TopicProposal.objects.create(
        proposer_kind=proposer_kind,
        agency=agency if proposer_kind == TopicProposal.ProposerKind.AGENCY else None,
        proposer=(proposer or "").strip(),
        title=title,
        background=background,
        aims=aims,
        keywords=(keywords or "").strip(),
        kind=kind,
        proposed_on=proposed_on,
        duplicates=[
            {
                "report": d["report"].pk,
                "title": d["report"].title,
                "year": d["year"],
                "similarity": d["similarity"],
            }
            for d in duplicates
        ],
        created_by=actor,
    )
    audit.record("programs.research_topic_proposed", topic, duplicates=len(duplicates))
    return topic


# --- projects ----------------------------------------------------------------------------------------


@transaction.atomic
def create_project(
    *,
    actor,
    title: str,
    lead_agency,
    contractor: str,
    budget,
    starts_on: datetime.date,
    ends_on: datetime.date,
    signed_on: datetime.date,
    pi_role: str = "",
    tender=None,
    topic: TopicProposal | None = None,
    topic_published_on: datetime.date | None = None,
) -> Project:
    require(actor, "programs.manage_research", lead_agency)
    errors: dict[str, list] = {}
    title = checks.required(errors, "title", title)
    contractor = checks.required(errors, "contractor", contractor)
    try:
        amount = Decimal(str(budget).strip())
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("1")):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["budget"] = [ValidationError(_("Enter the budget in whole NT dollars."), code="invalid")]
        amount = None
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [ValidationError(_("The end cannot be before the start."), code="invalid")]
    if errors:
        raise ValidationError(errors)
    project = Project.objects.create(
        title=title,
        lead_agency=lead_agency,
        contractor=contractor,
        budget=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        pi_role=(pi_role or "").strip(),
        tender=tender,
        topic=topic,
        topic_published_on=topic_published_on,
        created_by=actor,
    )
    audit.record("programs.research_project_created", project, agency=lead_agency.pk)
    return project


@transaction.atomic
def record_grb(
    project: Project,
    *,
    actor,
    grb_id: str = "",
    registered_on: datetime.date | None = None,
    confirmed_on: datetime.date | None = None,
) -> Project:
    """The contractor's GRB registration (its id and date) and the agency's confirmation."""
    require(actor, "programs.manage_research", project.lead_agency)
    errors: dict[str, list] = {}
    grb_id = (grb_id or "").strip() or project.grb_id
    registered_on = registered_on or project.grb_registered_on
    if registered_on and not grb_id:
        errors["grb_id"] = [ValidationError(_("Give the project's GRB id."), code="required")]
    if registered_on and registered_on < project.signed_on:
        errors["registered_on"] = [
            ValidationError(_("The registration cannot be before the signing."), code="invalid")
        ]
    if confirmed_on:
        if not registered_on:
            errors["confirmed_on"] = [
                ValidationError(_("The agency confirms a registration: record it first."), code="order")
            ]
        elif confirmed_on < registered_on:
            errors["confirmed_on"] = [
                ValidationError(_("The confirmation cannot be before the registration."), code="invalid")
            ]
    if errors:
        raise ValidationError(errors)
    project.grb_id = grb_id
    project.grb_registered_on = registered_on
    project.agency_confirmed_on = confirmed_on or project.agency_confirmed_on
    project.save(update_fields=["grb_id", "grb_registered_on", "agency_confirmed_on"])
    audit.record("programs.research_grb_recorded", project)
    return project


@transaction.atomic
def save_deliverable(
    project: Project,
    *,
    actor,
    stage: str,
    due_on: datetime.date,
    review_meeting_on: datetime.date | None = None,
    accepted_on: datetime.date | None = None,
) -> Deliverable:
    """A 期初/期中/期末 report's due date, review meeting and acceptance (one per stage)."""
    require(actor, "programs.manage_research", project.lead_agency)
    errors: dict[str, list] = {}
    if stage not in Deliverable.Stage.values:
        errors["stage"] = [ValidationError(_("Choose the stage."), code="invalid_choice")]
    if due_on is None:
        errors["due_on"] = [ValidationError(_("This field is required."), code="required")]
    if accepted_on and review_meeting_on and accepted_on < review_meeting_on:
        errors["accepted_on"] = [
            ValidationError(_("The acceptance cannot be before the review meeting."), code="invalid")
        ]
    if errors:
        raise ValidationError(errors)
    deliverable, _created = Deliverable.objects.update_or_create(
        project=project,
        stage=stage,
        defaults={"due_on": due_on, "review_meeting_on": review_meeting_on, "accepted_on": accepted_on},
    )
    audit.record("programs.research_deliverable_saved", project, stage=stage)
    return deliverable


# --- reports and recommendations ---------------------------------------------------------------------


@transaction.atomic
def add_report(
    *,
    actor,
    agency,
    title: str,
    year: int,
    abstract_zh: str = "",
    abstract_en: str = "",
    keywords: str = "",
    full_text: str = "",
    accepted_on: datetime.date | None = None,
    access: str = Report.Access.PUBLIC,
    restriction_item: int | None = None,
    restriction_reason: str = "",
    project: Project | None = None,
) -> Report:
    """A report into the library: public (政府資訊公開法 Art. 7(1)(5)), or restricted under an item of
    Art. 18 para 1 with its reason."""
    require(actor, "programs.manage_research", agency)
    errors: dict[str, list] = {}
    title = checks.required(errors, "title", title)
    if not year or not 1950 <= int(year) <= 2200:
        errors["year"] = [ValidationError(_("Enter the report's year (e.g. 2022)."), code="invalid")]
    if access not in Report.Access.values:
        errors["access"] = [ValidationError(_("Choose public or restricted."), code="invalid_choice")]
    elif access == Report.Access.RESTRICTED:
        if restriction_item not in range(1, 10):
            errors["restriction_item"] = [
                ValidationError(_("Choose the item of Art. 18 para 1 that restricts it."), code="required")
            ]
        if not (restriction_reason or "").strip():
            errors["restriction_reason"] = [
                ValidationError(_("Give the reason for the restriction."), code="required")
            ]
    if errors:
        raise ValidationError(errors)
    restricted = access == Report.Access.RESTRICTED
    report = Report.objects.create(
        project=project,
        agency=agency,
        title=title,
        year=int(year),
        abstract_zh=(abstract_zh or "").strip(),
        abstract_en=(abstract_en or "").strip(),
        keywords=(keywords or "").strip(),
        full_text=full_text or "",
        accepted_on=accepted_on,
        access=access,
        restriction_item=restriction_item if restricted else None,
        restriction_reason=(restriction_reason or "").strip() if restricted else "",
    )
    audit.record("programs.research_report_added", report, access=access)
    return report


@transaction.atomic
def add_recommendation(report: Report, *, actor, text: str, kind: str, agency) -> Recommendation:
    require(actor, "programs.manage_research", report.agency)
    errors: dict[str, list] = {}
    text = checks.required(errors, "text", text)
    if kind not in Recommendation.Kind.values:
        errors["kind"] = [ValidationError(_("Choose the type of recommendation."), code="invalid_choice")]
    if agency is None:
        errors["agency"] = [ValidationError(_("Choose the responsible agency."), code="required")]
    if errors:
        raise ValidationError(errors)
    recommendation = Recommendation.objects.create(report=report, text=text, kind=kind, agency=agency)
    audit.record("programs.research_recommendation_added", recommendation, agency=agency.pk)
    return recommendation


@transaction.atomic
def record_adoption(
    recommendation: Recommendation,
    *,
    actor,
    decision: str,
    reason: str = "",
    action: str = "",
    due_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
) -> Adoption:
    """The responsible agency's answer: 採行 or 部分採行 with the action and its due date (then the
    recommendation is followed up as a tracked item of the responsible agency), or 不採行 with the
    reason. A recommendation is decided once."""
    require(actor, "programs.answer_recommendation", recommendation)
    errors: dict[str, list] = {}
    reason, action = (reason or "").strip(), (action or "").strip()
    if Adoption.objects.filter(recommendation=recommendation).exists():
        errors["decision"] = [ValidationError(_("This recommendation is already decided."), code="decided")]
    elif decision not in Adoption.Decision.values:
        errors["decision"] = [
            ValidationError(_("Choose adopted, partially adopted or not adopted."), code="invalid_choice")
        ]
    elif decision == Adoption.Decision.NOT_ADOPTED:
        if not reason:
            errors["reason"] = [
                ValidationError(_("Give the reason for not adopting the recommendation."), code="required")
            ]
    else:
        if not action:
            errors["action"] = [
                ValidationError(_("Describe the action the agency will take."), code="required")
            ]
        if due_on is None:
            errors["due_on"] = [ValidationError(_("Give the action's due date."), code="required")]
    if errors:
        raise ValidationError(errors)
    decided_on = decided_on or timezone.localdate()
    adopted = decision != Adoption.Decision.NOT_ADOPTED
    if adopted and due_on < decided_on:
        raise ValidationError(
            {"due_on": [ValidationError(_("The due date cannot be before the decision."), code="invalid")]}
        )
    adoption = Adoption(
        recommendation=recommendation,
        decision=decision,
        reason=reason,
        action=action if adopted else "",
        due_on=due_on if adopted else None,
        decided_on=decided_on,
        decided_by=actor,
    )
    if adopted:
        from rdec.tracking import services as tracking
        from rdec.tracking.models import Item

        adoption.tracked_item = tracking.create_item(
            actor=actor,
            source=Item.Source.RESEARCH,
            title=_("Research recommendation: %(text)s") % {"text": recommendation.text[:150]},
            owner=recommendation.agency,
            deadline=due_on,
            level=Item.Level.RDEC if is_oversight(actor) else Item.Level.SELF,
            description=action,
            expected_outcome=_("From the report %(title)s (%(year)s).")
            % {"title": recommendation.report.title, "year": recommendation.report.year},
        )
    adoption.save()
    audit.record("programs.research_adoption_recorded", recommendation, decision=decision)
    return adoption
