"""Tracking use cases: one function each — atomic, permission-checked, audited (the models are
tracked by core.audit; named events are recorded with audit.record)."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import attachments, audit, workdays
from rdec.core.models import Agency, District
from rdec.core.permissions import require
from rdec.tracking import rules
from rdec.tracking.models import (
    CouncilReportIssue,
    CouncilSession,
    CouncilText,
    Item,
    ItemNumber,
    LocalRepresentative,
    Meeting,
    Notification,
    ProgressReport,
    Resolution,
)

# progress-report attachments: documents as they are, photos without their metadata (GPS)
ATTACHMENT_KINDS = attachments.PDF | attachments.OFFICE | {"jpeg", "png"}


class TransitionError(ValidationError):
    """The item is not in a state that allows this step."""


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _clean_text(value: str, field: str, message: str, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = [message]
    return value


# --- meetings --------------------------------------------------------------------------------------


def _meeting_errors(*, type, custom_type_name, title, held_at, chair_name, district) -> dict:
    errors: dict = {}
    if type not in Meeting.Type.values:
        errors["type"] = [_("Choose a meeting type from the list.")]
    if type == Meeting.Type.CUSTOM and not (custom_type_name or "").strip():
        errors["custom_type_name"] = [_("Name the meeting type.")]
    if type == Meeting.Type.MOBILE and district is None:
        errors["district"] = [_("A mobile city government meeting is held in a district: choose it.")]
    if not (title or "").strip():
        errors["title"] = [_("Give the meeting a title.")]
    if held_at is None:
        errors["held_at"] = [_("Give the date and time of the meeting.")]
    if not (chair_name or "").strip():
        errors["chair_name"] = [_("Name the chair of the meeting.")]
    return errors


def _representatives(meeting: Meeting, representatives) -> None:
    meeting.representatives.all().delete()
    for rep in representatives or ():
        name = (rep.get("name") or "").strip()
        if not name:
            continue
        role = rep.get("role") or LocalRepresentative.Role.VILLAGE_CHIEF
        if role not in LocalRepresentative.Role.values:
            raise ValidationError({"representatives": [_("Choose the representative's role from the list.")]})
        LocalRepresentative.objects.create(
            meeting=meeting, name=name[:60], role=role, note=(rep.get("note") or "").strip()[:100]
        )


def _minutes_due(held_at: datetime.datetime, mayoral: bool) -> datetime.date | None:
    if not mayoral:
        return None
    return rules.minutes_due_on(timezone.localtime(held_at).date())


@transaction.atomic
def create_meeting(
    *,
    actor,
    type: str,
    title: str,
    held_at: datetime.datetime,
    chair_name: str,
    chair_is_mayoral: bool = False,
    custom_type_name: str = "",
    place: str = "",
    district: District | None = None,
    agencies=(),
    representatives=(),
    agenda: str = "",
    livestream_url: str = "",
    is_public: bool = True,
) -> Meeting:
    """Record a meeting. Minutes of a meeting chaired at mayoral level are due 3 working days
    after it (the meeting day not counted)."""
    require(actor, "tracking.manage_meetings")
    errors = _meeting_errors(
        type=type,
        custom_type_name=custom_type_name,
        title=title,
        held_at=held_at,
        chair_name=chair_name,
        district=district,
    )
    if errors:
        raise ValidationError(errors)
    try:
        due = _minutes_due(held_at, chair_is_mayoral)
    except workdays.CalendarRangeError as exc:
        raise ValidationError({"held_at": [str(exc)]}) from exc
    meeting = Meeting.objects.create(
        type=type,
        custom_type_name=custom_type_name.strip() if type == Meeting.Type.CUSTOM else "",
        title=title.strip(),
        held_at=held_at,
        place=place.strip(),
        district=district,
        chair_name=chair_name.strip(),
        chair_is_mayoral=chair_is_mayoral,
        agenda=agenda.strip(),
        livestream_url=livestream_url.strip(),
        is_public=is_public,
        minutes_due_on=due,
        created_by=_actor(actor),
    )
    meeting.agencies.set(agencies)
    _representatives(meeting, representatives)
    return meeting


MEETING_FIELDS = {
    "type",
    "custom_type_name",
    "title",
    "held_at",
    "place",
    "district",
    "chair_name",
    "chair_is_mayoral",
    "agenda",
    "livestream_url",
    "is_public",
}


@transaction.atomic
def update_meeting(meeting: Meeting, *, actor, agencies=None, representatives=None, **fields) -> Meeting:
    """Change a meeting's details; the minutes' due date follows the date and the chair's level."""
    require(actor, "tracking.manage_meetings", meeting)
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise ValueError(f"unknown meeting fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    errors = _meeting_errors(
        type=meeting.type,
        custom_type_name=meeting.custom_type_name,
        title=meeting.title,
        held_at=meeting.held_at,
        chair_name=meeting.chair_name,
        district=meeting.district,
    )
    if errors:
        raise ValidationError(errors)
    if meeting.type != Meeting.Type.CUSTOM:
        meeting.custom_type_name = ""
    try:
        meeting.minutes_due_on = _minutes_due(meeting.held_at, meeting.chair_is_mayoral)
    except workdays.CalendarRangeError as exc:
        raise ValidationError({"held_at": [str(exc)]}) from exc
    meeting.save()
    if agencies is not None:
        meeting.agencies.set(agencies)
    if representatives is not None:
        _representatives(meeting, representatives)
    return meeting


@transaction.atomic
def publish_minutes(meeting: Meeting, *, actor, minutes: str) -> Meeting:
    """Publish the minutes (會議紀錄); the first publication's time is kept for the deadline."""
    require(actor, "tracking.manage_meetings", meeting)
    text = (minutes or "").strip()
    if not text:
        raise ValidationError({"minutes": [_("Write the minutes before publishing them.")]})
    meeting.minutes = text
    fields = ["minutes"]
    if meeting.minutes_published_at is None:
        meeting.minutes_published_at = timezone.now()
        fields.append("minutes_published_at")
    meeting.save(update_fields=fields)
    state = "late" if meeting.minutes_due_on and timezone.localdate() > meeting.minutes_due_on else "on_time"
    audit.record("meeting.minutes_published", meeting, state=state)
    return meeting


@transaction.atomic
def add_resolution(
    meeting: Meeting,
    *,
    actor,
    text: str,
    kind: str = Resolution.Kind.RESOLUTION,
    proposer: str = "",
    settled_on_site: bool = False,
    owner: Agency | None = None,
    co_agencies=(),
    deadline: datetime.date | None = None,
    level: str = Item.Level.RDEC,
    expected_outcome: str = "",
) -> Resolution:
    """Add a resolution (決議) or suggestion (建議) to a meeting. Unless it was settled at the
    meeting, it is put under control at once: an item for `owner` due on `deadline`."""
    require(actor, "tracking.manage_meetings", meeting)
    errors: dict = {}
    text = _clean_text(text, "text", _("Write the resolution."), errors)
    if kind not in Resolution.Kind.values:
        errors["kind"] = [_("Choose resolution or suggestion.")]
    if not settled_on_site:
        if owner is None:
            errors["owner"] = [_("Choose the responsible agency.")]
        if deadline is None:
            errors["deadline"] = [_("Give a deadline.")]
    if errors:
        raise ValidationError(errors)
    number = (meeting.resolutions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    resolution = Resolution.objects.create(
        meeting=meeting,
        number=number,
        kind=kind,
        text=text,
        proposer=(proposer or "").strip()[:100],
        settled_on_site=settled_on_site,
    )
    if not settled_on_site:
        _create_item(
            actor=actor,
            source=Item.Source.RESOLUTION,
            title=text[:200] if len(text) <= 200 else text[:199] + "…",
            description=text,
            owner=owner,
            co_agencies=co_agencies,
            deadline=deadline,
            level=level,
            expected_outcome=expected_outcome,
            meeting=meeting,
            resolution=resolution,
        )
    return resolution


# --- items ---------------------------------------------------------------------------------------


def _next_number(today: datetime.date) -> str:
    year = today.year - 1911
    ItemNumber.objects.get_or_create(year=year)
    ItemNumber.objects.filter(year=year).update(last=F("last") + 1)
    last = ItemNumber.objects.select_for_update().get(year=year).last
    return f"{year}-{last:05d}"


def _create_item(
    *, actor, source, title, owner, deadline, co_agencies=(), level=Item.Level.RDEC, **extra
) -> Item:
    co = [a for a in co_agencies if a is not None and a.pk != owner.pk]
    item = Item.objects.create(
        number=_next_number(timezone.localdate()),
        source=source,
        title=title,
        owner=owner,
        deadline=deadline,
        original_deadline=deadline,
        level=level,
        created_by=_actor(actor),
        **extra,
    )
    item.co_agencies.set(co)
    audit.record("item.put_under_control", item, owner=owner.code, deadline=deadline, source=source)
    return item


@transaction.atomic
def create_item(
    *,
    actor,
    source: str,
    title: str,
    owner: Agency | None,
    deadline: datetime.date | None = None,
    co_agencies=(),
    level: str = Item.Level.RDEC,
    description: str = "",
    expected_outcome: str = "",
    custom_source_name: str = "",
    meeting: Meeting | None = None,
    council_session: CouncilSession | None = None,
    council_number: int | None = None,
    councillor: str = "",
    asked_on: datetime.date | None = None,
    petition_number: str = "",
    petition_case_id: int | None = None,
) -> Item:
    """Put an item under control (列管). A councillor's interpellation question not answered at the
    sitting is due 7 days after it was asked unless a deadline is given; a council resolution needs
    its session and number (the report lists them in the council's order)."""
    require(actor, "tracking.create_item", (level, owner.pk if owner else None))
    errors: dict = {}
    title = _clean_text(title, "title", _("Give the item a subject."), errors)
    if source not in Item.Source.values or source == Item.Source.RESOLUTION:
        errors["source"] = [
            _("Choose a source from the list (meeting resolutions are added on the meeting).")
        ]
    if level not in Item.Level.values:
        errors["level"] = [_("Choose a control level from the list.")]
    if owner is None:
        errors["owner"] = [_("Choose the responsible agency.")]
    if source == Item.Source.CUSTOM and not (custom_source_name or "").strip():
        errors["custom_source_name"] = [_("Name the source.")]
    if source == Item.Source.COUNCIL_RESOLUTION:
        if council_session is None:
            errors["council_session"] = [_("Choose the council session of the resolution.")]
        if not council_number:
            errors["council_number"] = [_("Give the council's resolution number.")]
        elif (
            council_session is not None
            and Item.objects.filter(council_session=council_session, council_number=council_number).exists()
        ):
            errors["council_number"] = [_("This session already has a resolution with this number.")]
    if (
        source in (Item.Source.INTERPELLATION, Item.Source.COUNCILLOR_CONCERN)
        and not (councillor or "").strip()
    ):
        errors["councillor"] = [_("Name the councillor.")]
    if source == Item.Source.INTERPELLATION and asked_on is None:
        errors["asked_on"] = [_("Give the date the question was asked.")]
    if source == Item.Source.PETITION and not (petition_number or "").strip():
        errors["petition_number"] = [_("Give the petition case number.")]
    if deadline is None and source == Item.Source.INTERPELLATION and asked_on is not None:
        deadline = rules.interpellation_due_on(asked_on)
    if deadline is None:
        errors["deadline"] = [_("Give a deadline.")]
    if errors:
        raise ValidationError(errors)
    return _create_item(
        actor=actor,
        source=source,
        title=title,
        owner=owner,
        deadline=deadline,
        co_agencies=co_agencies,
        level=level,
        description=(description or "").strip(),
        expected_outcome=(expected_outcome or "").strip(),
        custom_source_name=(custom_source_name or "").strip() if source == Item.Source.CUSTOM else "",
        meeting=meeting,
        council_session=council_session if source == Item.Source.COUNCIL_RESOLUTION else None,
        council_number=council_number if source == Item.Source.COUNCIL_RESOLUTION else None,
        councillor=(councillor or "").strip(),
        asked_on=asked_on,
        petition_number=(petition_number or "").strip(),
        petition_case_id=petition_case_id,
    )


@transaction.atomic
def update_item(
    item: Item,
    *,
    actor,
    title: str | None = None,
    owner: Agency | None = None,
    co_agencies=None,
    level: str | None = None,
    expected_outcome: str | None = None,
    description: str | None = None,
) -> Item:
    """Change what an item is and who owns it (the deadline moves only through a review)."""
    require(actor, "tracking.edit_item", item)
    if not item.is_open:
        raise TransitionError(_("An item released from control can no longer be changed."))
    if title is not None:
        if not title.strip():
            raise ValidationError({"title": [_("Give the item a subject.")]})
        item.title = title.strip()
    if owner is not None:
        item.owner = owner
    if level is not None:
        if level not in Item.Level.values:
            raise ValidationError({"level": [_("Choose a control level from the list.")]})
        item.level = level
    if expected_outcome is not None:
        item.expected_outcome = expected_outcome.strip()
    if description is not None:
        item.description = description.strip()
    item.save()
    if co_agencies is not None:
        item.co_agencies.set([a for a in co_agencies if a.pk != item.owner_id])
    item._co_ids = None
    return item


@transaction.atomic
def submit_report(
    item: Item,
    *,
    actor,
    text: str,
    percent: int,
    reported_on: datetime.date | None = None,
    propose_release: bool = False,
    attachment=None,
    agency: Agency | None = None,
) -> ProgressReport:
    """A progress report (辦理情形) by the responsible agency or a co-agency. Proposing release
    (建議解除列管) asks the RDEC to decide; the item's progress becomes the latest percent."""
    require(actor, "tracking.report_progress", item)
    from django.core.files.base import ContentFile

    errors: dict = {}
    text = _clean_text(text, "text", _("Describe the progress."), errors)
    if percent is None or not 0 <= int(percent) <= 100:
        errors["percent"] = [_("Progress is a percentage from 0 to 100.")]
    today = timezone.localdate()
    reported_on = reported_on or today
    if reported_on > today:
        errors["reported_on"] = [_("The report date cannot be in the future.")]
    if propose_release and item.owner_id not in _actor_agencies(actor, item):
        errors["propose_release"] = [_("Only the responsible agency can propose release from control.")]
    if errors:
        raise ValidationError(errors)
    if agency is None:
        agency = item.owner if item.owner_id in _actor_agencies(actor, item) else _co_agency_of(actor, item)
    report = ProgressReport(
        item=item,
        agency=agency,
        reported_on=reported_on,
        text=text,
        percent=int(percent),
        propose_release=propose_release,
        submitted_by=_actor(actor),
    )
    if attachment is not None:
        clean = attachments.clean_upload(attachment, allowed=ATTACHMENT_KINDS, field="attachment")
        report.attachment_name = clean.name
        report.attachment.save(f"{uuid.uuid4().hex}.{clean.ext}", ContentFile(clean.data), save=False)
    report.save()
    item.percent = report.percent
    item.last_report_at = report.submitted_at
    fields = ["percent", "last_report_at"]
    if propose_release:
        item.status = Item.Status.RELEASE_PROPOSED
        fields.append("status")
    item.save(update_fields=fields)
    return report


def _actor_agencies(actor, item) -> set[int]:
    from rdec.core.permissions import visible_agency_ids

    ids = visible_agency_ids(actor)
    if ids is None:
        return {item.owner_id}
    return ids


def _co_agency_of(actor, item) -> Agency:
    ids = _actor_agencies(actor, item)
    co = item.co_agencies.filter(pk__in=ids).first()
    return co or item.owner


@transaction.atomic
def review_report(
    report: ProgressReport,
    *,
    actor,
    decision: str,
    comment: str,
    new_deadline: datetime.date | None = None,
) -> ProgressReport:
    """The RDEC's decision on a report: release (解除列管) or continue control (繼續列管), with a
    comment; continuing may set a new deadline (展期), which must be later than today."""
    item = report.item
    require(actor, "tracking.review", item)
    if report.decision:
        raise TransitionError(_("This report has already been reviewed."))
    if not item.is_open:
        raise TransitionError(_("The item is already released from control."))
    errors: dict = {}
    comment = _clean_text(comment, "comment", _("Write a review comment."), errors)
    if decision not in ProgressReport.Decision.values:
        errors["decision"] = [_("Decide: release from control or continue control.")]
    if new_deadline is not None:
        if decision != ProgressReport.Decision.CONTINUE:
            errors["new_deadline"] = [_("A new deadline goes with continued control only.")]
        elif new_deadline <= timezone.localdate():
            errors["new_deadline"] = [_("The new deadline must be after today.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    report.decision = decision
    report.review_comment = comment
    report.new_deadline = new_deadline
    report.reviewed_by = _actor(actor)
    report.reviewed_at = now
    report.save(update_fields=["decision", "review_comment", "new_deadline", "reviewed_by", "reviewed_at"])
    before = {"status": item.status, "deadline": item.deadline}
    if decision == ProgressReport.Decision.RELEASE:
        item.status = Item.Status.RELEASED
        item.released_at = now
    else:
        item.status = Item.Status.CONTINUED
        if new_deadline is not None:
            item.deadline = new_deadline
    item.save(update_fields=["status", "released_at", "deadline"])
    audit.record(
        f"item.{'released' if decision == ProgressReport.Decision.RELEASE else 'continued'}",
        item,
        report=report.pk,
        before_status=before["status"],
        before_deadline=before["deadline"],
        deadline=item.deadline,
    )
    return report


# --- council -------------------------------------------------------------------------------------


@transaction.atomic
def create_council_session(
    *, actor, term: int, number: int, opens_on: datetime.date, closes_on: datetime.date
) -> CouncilSession:
    require(actor, "tracking.manage_council")
    errors: dict = {}
    if not term or term < 1:
        errors["term"] = [_("Give the council's term.")]
    if not number or number < 1:
        errors["number"] = [_("Give the session number.")]
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = [_("The session cannot close before it opens.")]
    if CouncilSession.objects.filter(term=term, number=number).exists():
        errors["number"] = [_("This session is already recorded.")]
    if errors:
        raise ValidationError(errors)
    return CouncilSession.objects.create(term=term, number=number, opens_on=opens_on, closes_on=closes_on)


@transaction.atomic
def save_council_text(session: CouncilSession, item: Item, *, actor, text: str) -> CouncilText:
    """The responsible agency's text on the execution of one council resolution, for the written
    report to `session`; it can be revised until the report is due."""
    require(actor, "tracking.write_council_text", item)
    if item.source != Item.Source.COUNCIL_RESOLUTION:
        raise ValidationError({"item": [_("Only council resolutions go into the council report.")]})
    if item.council_session_id and item.council_session.opens_on >= session.opens_on:
        raise ValidationError({"item": [_("The resolution is not from a session before this one.")]})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Describe how the resolution has been carried out.")]})
    found = CouncilText.objects.filter(session=session, item=item).first()
    if found is None:
        return CouncilText.objects.create(session=session, item=item, text=text, updated_by=_actor(actor))
    found.text = text
    found.updated_by = _actor(actor)
    found.updated_at = timezone.now()
    found.save(update_fields=["text", "updated_by", "updated_at"])
    return found


# --- notifications ---------------------------------------------------------------------------------


@transaction.atomic
def mark_notification_read(notification: Notification, *, actor) -> Notification:
    require(actor, "tracking.read_notification", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def generate_council_report(session: CouncilSession, *, actor) -> CouncilReportIssue:
    """Build the written report to `session` in PDF, .odt and .docx and keep the files as issued:
    every council resolution the report covers, with the agency's execution text (or that none
    was written). The periodic job runs it on the due date; the RDEC may regenerate it."""
    require(actor, "tracking.generate_council_report", session)
    from django.core.files.base import ContentFile

    from rdec.tracking import reports, selectors

    rows = selectors.council_report_rows(session)
    issue = CouncilReportIssue(
        session=session,
        generated_by=actor if getattr(actor, "is_authenticated", False) else None,
        resolutions=len(rows),
        missing_texts=sum(1 for row in rows if not row["has_text"]),
    )
    stem = f"council-{session.term}-{session.number}-{timezone.localdate():%Y%m%d}"
    for fmt in ("pdf", "odt", "docx"):
        getattr(issue, fmt).save(
            f"{stem}.{fmt}", ContentFile(reports.build_council_report(session, fmt)), save=False
        )
    issue.save()
    audit.record(
        "tracking.council_report_generated",
        session,
        resolutions=issue.resolutions,
        missing_texts=issue.missing_texts,
    )
    return issue
