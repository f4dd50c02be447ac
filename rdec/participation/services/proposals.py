"""提點子: write use cases. The contract the pages (views/proposals.py), the API
(api/proposals.py) and the tasks call; every function checks permission with
`rdec.core.permissions.require`, is atomic, writes the audit trail and raises
`django.core.exceptions.ValidationError` with a dict of field errors (zh-Hant via gettext) on bad input.

Status flow (Proposal.Status): checking → rejected | endorsing; endorsing → established |
not_established (at `endorse_until` on the office calendar, by `close_due_endorsements`);
established → responded.

Rules (docs/participation.md, "Proposals (提點子)"):
- a proposal is judged by the ProposalRule version in force on the day it was submitted;
- the proposer cannot support their own proposal; one support per account (a database constraint),
  never withdrawn (there is no service for it);
- a support from a burst on one network, or from an account made minutes before, is counted and
  flagged for the RDEC's review (`review = pending`); voiding one takes it off the count;
- reaching the threshold while open establishes the proposal at once; `close_due_endorsements`
  closes the rest the day after `endorse_until`;
- deadlines that fall on a day off (the response due date) move to the next working day.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import hmac
import ipaddress
import logging
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rdec.core import attachments as core_attachments
from rdec.core import audit, workdays
from rdec.core.dates import roc_date
from rdec.core.permissions import check, require
from rdec.core.rules import ProcessRuleBook
from rdec.core.verification import is_verified_citizen
from rdec.participation.models import (
    Endorsement,
    Follow,
    HidingGround,
    ModerationEntry,
    Notice,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalExtension,
    ProposalMeeting,
    ProposalNumber,
    ProposalRule,
    ResponsePoint,
)
from rdec.participation.services.consultations import display_name_error

logger = logging.getLogger(__name__)

__all__ = [
    "AlreadyEndorsed",
    "ProposalTransitionError",
    "submit_proposal",
    "check_proposal",
    "endorse_proposal",
    "review_endorsement",
    "close_due_endorsements",
    "assign_proposal",
    "record_proposal_meeting",
    "extend_proposal_response",
    "respond_to_proposal",
    "notify_proposal",
]

TITLE_MAX = 120
DISPLAY_NAME_MAX = 40
ATTACHMENT_MAX_FILES = 5
# 佐證資料: photos (stored without EXIF/GPS), PDFs and office documents, by content (core.attachments)
ATTACHMENT_KINDS = core_attachments.IMAGES | core_attachments.PDF | core_attachments.OFFICE
PUBLIC_STATUSES = (
    Proposal.Status.ENDORSING,
    Proposal.Status.ESTABLISHED,
    Proposal.Status.NOT_ESTABLISHED,
    Proposal.Status.RESPONDED,
)


class AlreadyEndorsed(ValidationError):
    """The citizen has already supported this proposal (the API answers 409)."""


class ProposalTransitionError(ValidationError):
    """The proposal is not in a state that allows this step (the API answers 400)."""


# --- helpers -----------------------------------------------------------------------------------------


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _require_verified(actor) -> None:
    if not is_verified_citizen(actor):
        raise PermissionDenied(
            _(
                "Only citizens whose phone and e-mail are verified can propose or support. "
                "Please verify your phone and e-mail first."
            )
        )


# the few rule versions, per process (read on every support): saving one drops the table at once in
# this process (participation/apps.py), another process sees the change within a minute
RULES: ProcessRuleBook[ProposalRule] = ProcessRuleBook(
    "participation.ProposalRule", before_first="earliest", default=ProposalRule, ttl=60.0
)


def rule_for(day: datetime.date) -> ProposalRule:
    """The rule version in force on `day` (before the first version: the first; none at all: the
    model's defaults, unsaved)."""
    return RULES.on(day)


def _rule_of(proposal: Proposal) -> ProposalRule:
    return rule_for(timezone.localdate(proposal.submitted_at))


def _lock(proposal: Proposal) -> Proposal:
    """Lock the proposal's row to the end of the transaction and bring the caller's instance up to
    date (the caller sees the step's result on the object it passed)."""
    Proposal.objects.select_for_update().filter(pk=proposal.pk).values_list("pk", flat=True).get()
    proposal.refresh_from_db()
    return proposal


def _next_number(today: datetime.date) -> str:
    year = today.year - 1911
    ProposalNumber.objects.get_or_create(year=year)
    ProposalNumber.objects.filter(year=year).update(last=F("last") + 1)
    last = ProposalNumber.objects.select_for_update().get(year=year).last
    return f"{year}-{last:04d}"


def _event(
    proposal: Proposal, kind: str, actor=None, text: str = "", *, public: bool = True
) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal, kind=kind, text=text, public=public, actor=_actor(actor)
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has fewer days (1/31 + 1 → 2/28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _on_working_day(day: datetime.date) -> datetime.date:
    """`day`, or the next working day when it is a day off."""
    return day if workdays.is_working_day(day) else workdays.add_working_days(day, 1)


def response_due_for(established_on: datetime.date, months: int) -> datetime.date:
    """成案 day + the rule's months, moved to the next working day when it falls on a day off."""
    return _on_working_day(add_months(established_on, months))


def network_key(ip_address: str) -> str:
    """A keyed hash (HMAC-SHA256 with SECRET_KEY) of the client's /24 (IPv4) or /48 (IPv6)
    network; the raw address is never stored. "" when there is no usable address."""
    try:
        address = ipaddress.ip_address((ip_address or "").strip())
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    return hmac.new(
        settings.SECRET_KEY.encode(), f"participation-network:{network}".encode(), hashlib.sha256
    ).hexdigest()


# --- notices -----------------------------------------------------------------------------------------


def _recipients(proposal: Proposal, *, include_supporters: bool, extra_users=()) -> list:
    from rdec.core.models import User

    ids = {proposal.proposer_id}
    if proposal.status in (Proposal.Status.CHECKING, Proposal.Status.REJECTED):
        # not public: received, accepted or not accepted is for the proposer alone (the reason for
        # not accepting is shown to no one else)
        return list(User.objects.filter(pk=proposal.proposer_id, is_active=True))
    ids.update(Follow.objects.filter(proposal=proposal).values_list("user_id", flat=True))
    if include_supporters:
        ids.update(
            Endorsement.objects.filter(proposal=proposal)
            .exclude(review=Endorsement.Review.VOIDED)
            .values_list("citizen_id", flat=True)
        )
    ids.update(u.pk for u in extra_users)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def notify_proposal(proposal: Proposal, subject: str, body: str, *, include_supporters=True, extra_users=()):
    """Tell the proposer, the followers (Follow) and, with `include_supporters`, every supporter
    whose support was not voided (plus `extra_users`, e.g. the responsible agency's staff) about a
    step of the proposal: one Notice row per person (channel "email") and one e-mail each to those
    with an address (never a shared To/Cc: supporters do not see each other). Addresses are never
    logged. Returns the number of notices stored. While the proposal is being checked or after it
    was not accepted (not public), only the proposer is told.

    Other channels (LINE, following) build on this: call it, or wrap it."""
    from django.core.mail import EmailMessage, get_connection

    users = _recipients(proposal, include_supporters=include_supporters, extra_users=extra_users)
    subject = str(subject)[:200]
    body = str(body)
    Notice.objects.bulk_create(
        [
            Notice(channel="email", recipient=user, proposal=proposal, subject=subject, body=body)
            for user in users
        ],
        batch_size=1000,
    )
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in users if user.email
    ]
    if messages:
        try:
            get_connection().send_messages(messages)
        except Exception as exc:  # the type only: a mail error may quote an address
            logger.error("proposal %s notices: e-mail failed (%s)", proposal.number, type(exc).__name__)
    return len(users)


def _announce(proposal: Proposal, subject: str, body: str, *, include_supporters=True, agency_staff=False):
    """Notify after the commit (a background job when a broker is set): the step is stored first."""
    from rdec.core.tasks import enqueue_on_commit
    from rdec.participation import tasks

    enqueue_on_commit(
        tasks.notify_proposal_step,
        proposal_id=proposal.pk,
        subject=str(subject),
        body=str(body),
        include_supporters=include_supporters,
        agency_staff=agency_staff,
    )


def _in_site_language():
    return translation.override(settings.LANGUAGE_CODE)


def _link(proposal: Proposal) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("participation:proposal-detail", args=[proposal.number])
    except NoReverseMatch:
        return ""
    return settings.SITE_URL.rstrip("/") + path if getattr(settings, "SITE_URL", "") else path


def _message(proposal: Proposal, text: str) -> tuple[str, str]:
    subject = _("Proposal %(number)s: %(title)s") % {"number": proposal.number, "title": proposal.title}
    link = _link(proposal)
    body = text + (f"\n\n{link}" if link else "")
    return subject[:200], body


# --- submission and checking ---------------------------------------------------------------------------


def _clean_attachments(files, errors: dict) -> list:
    files = [f for f in files or () if f]
    if len(files) > ATTACHMENT_MAX_FILES:
        errors["attachments"] = [
            _("At most %(count)s files can be attached.") % {"count": ATTACHMENT_MAX_FILES}
        ]
        return []
    cleaned = []
    for uploaded in files:
        try:
            cleaned.append(
                core_attachments.clean_upload(uploaded, allowed=ATTACHMENT_KINDS, field="attachments")
            )
        except ValidationError as exc:
            for messages in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
                errors.setdefault("attachments", []).extend(messages)
    return cleaned


@transaction.atomic
def submit_proposal(
    *,
    actor,
    title: str,
    content: str,
    benefits: str,
    display_name: str = "",
    suggested_agencies=(),
    attachments=(),
):
    """A verified citizen (phone and e-mail verified) submits a proposal (主題 / 內容或建議事項 /
    利益與影響 / 佐證資料). Number 115-0001; status checking; `check_due` = submitted day + the rule's
    working days; `threshold` copied from the rule in force. Returns the Proposal."""
    _require_verified(actor)
    require(actor, "participation.submit_proposal")
    errors: dict = {}
    title = (title or "").strip()
    content = (content or "").strip()
    benefits = (benefits or "").strip()
    display_name = (display_name or "").strip()
    if not display_name:  # the account's name when it may be shown, else 一位市民
        own = (actor.display_name or "").strip()
        display_name = own if own and not display_name_error(own, actor) else _("A citizen")
    if not title:
        errors["title"] = [_("Give the proposal a subject.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("The subject is at most %(count)s characters.") % {"count": TITLE_MAX}]
    if not content:
        errors["content"] = [_("Describe the content or suggestion.")]
    if not benefits:
        errors["benefits"] = [_("Describe the benefits and impact.")]
    if len(display_name) > DISPLAY_NAME_MAX:
        errors["display_name"] = [
            _("The name shown is at most %(count)s characters.") % {"count": DISPLAY_NAME_MAX}
        ]
    elif name_error := display_name_error(display_name, actor):  # as a commenter's (眾開講)
        errors["display_name"] = [name_error]
    cleaned = _clean_attachments(attachments, errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    today = timezone.localdate(now)
    rule = rule_for(today)
    proposal = Proposal.objects.create(
        number=_next_number(today),
        title=title,
        content=content,
        benefits=benefits,
        proposer=actor,
        display_name=display_name,
        submitted_at=now,
        check_due=workdays.add_working_days(today, rule.check_working_days),
        threshold=rule.threshold,
        search_text=f"{title}\n{content}",
    )
    agencies = [a for a in suggested_agencies or () if a is not None]
    if agencies:
        proposal.suggested_agencies.set(agencies[:3])
    from django.core.files.base import ContentFile

    for clean in cleaned:
        attachment = ProposalAttachment(proposal=proposal, name=clean.name, size=len(clean.data))
        attachment.file.save(f"{uuid.uuid4().hex}.{clean.ext}", ContentFile(clean.data), save=False)
        attachment.save()
    _event(proposal, "submitted", actor)
    audit.record("proposal.submitted", proposal, check_due=proposal.check_due, threshold=proposal.threshold)
    with _in_site_language():
        subject, body = _message(
            proposal,
            _("We received your proposal. The RDEC checks it by %(date)s; you will be told the result.")
            % {"date": roc_date(proposal.check_due)},
        )
    _announce(proposal, subject, body, include_supporters=False)
    return proposal


@transaction.atomic
def check_proposal(proposal, *, actor, accept: bool, ground: str = "", reason: str = ""):
    """The RDEC's 管理小組 checks (檢核). accept → endorsing with endorse_from = today, endorse_until =
    today + rule.endorse_days; refuse → rejected with a HidingGround and the reason shown to the proposer.
    Notifies the proposer."""
    proposal = _lock(proposal)
    require(actor, "participation.check_proposal", proposal)
    if proposal.status != Proposal.Status.CHECKING:
        raise ProposalTransitionError(_("This proposal has already been checked."))
    now = timezone.now()
    today = timezone.localdate(now)
    reason = (reason or "").strip()
    if accept:
        rule = _rule_of(proposal)
        proposal.status = Proposal.Status.ENDORSING
        proposal.endorse_from = today
        proposal.endorse_until = today + datetime.timedelta(days=rule.endorse_days)
    else:
        errors: dict = {}
        if ground not in HidingGround.values:
            errors["ground"] = [_("Choose the ground for not accepting the proposal.")]
        if not reason:
            errors["reason"] = [_("Give the reason; it is shown to the proposer.")]
        if errors:
            raise ValidationError(errors)
        proposal.status = Proposal.Status.REJECTED
        proposal.rejection_ground = ground
        proposal.rejection_reason = reason
    proposal.checked_at = now
    proposal.checked_by = _actor(actor)
    proposal.save(
        update_fields=[
            "status",
            "endorse_from",
            "endorse_until",
            "rejection_ground",
            "rejection_reason",
            "checked_at",
            "checked_by",
        ]
    )
    with _in_site_language():
        if accept:
            text = _(
                "Accepted after checking; open for support from %(start)s to %(end)s (%(count)s supports needed)."
            ) % {
                "start": roc_date(proposal.endorse_from),
                "end": roc_date(proposal.endorse_until),
                "count": f"{proposal.threshold:,}",
            }
            _event(proposal, "opened", actor, text)
            audit.record("proposal.accepted", proposal, endorse_until=proposal.endorse_until)
        else:
            text = _("Not accepted (%(ground)s): %(reason)s") % {
                "ground": HidingGround(ground).label,
                "reason": reason,
            }
            _event(proposal, "rejected", actor, text)
            ModerationEntry.objects.create(
                target=ModerationEntry.Target.PROPOSAL,
                target_id=proposal.pk,
                ground=ground,
                note=reason,
                moderator=actor,
            )
            audit.record("proposal.rejected", proposal, ground=ground)
        subject, body = _message(proposal, text)
    _announce(proposal, subject, body, include_supporters=False)
    return proposal


# --- 附議 ------------------------------------------------------------------------------------------------


def _flags(proposal: Proposal, actor, network: str, now: datetime.datetime, rule: ProposalRule) -> list[str]:
    reasons = []
    joined = getattr(actor, "date_joined", None)
    if joined is not None and now - joined < datetime.timedelta(minutes=rule.new_account_minutes):
        reasons.append(
            _("account made %(minutes)s minutes or less before supporting")
            % {"minutes": rule.new_account_minutes}
        )
    if network and rule.burst_same_network:
        since = now - datetime.timedelta(minutes=rule.burst_window_minutes)
        n = rule.burst_same_network
        # "at least n already": one row fetched at most (offset n - 1), not a count of them all
        if (
            Endorsement.objects.filter(proposal=proposal, network=network, created_at__gte=since)
            .order_by()[n - 1 : n]
            .exists()
        ):
            reasons.append(
                _("more than %(count)s supports from one network within %(minutes)s minutes")
                % {"count": n, "minutes": rule.burst_window_minutes}
            )
    return reasons


def _count_one_more(pk: int) -> int | None:
    """endorsement_count + 1 on an endorsing proposal, returning the new count in the same statement
    (UPDATE … RETURNING, PostgreSQL and SQLite ≥ 3.35; Django's update() returns only the number of
    rows); None when the proposal is no longer endorsing."""
    qn = connection.ops.quote_name
    table, count, status = qn(Proposal._meta.db_table), qn("endorsement_count"), qn("status")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {count} = {count} + 1 WHERE {qn('id')} = %s AND {status} = %s "  # noqa: S608 - quoted names
            f"RETURNING {count}",
            [pk, Proposal.Status.ENDORSING.value],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _not_open() -> ProposalTransitionError:
    return ProposalTransitionError(
        {"proposal": [_("This proposal is not open for support.")]}, code="not_open"
    )


def _establish(proposal: Proposal, now: datetime.datetime, text: str) -> bool:
    """endorsing → established (once: a concurrent close or support finds it already done)."""
    done = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.ENDORSING).update(
        status=Proposal.Status.ESTABLISHED, established_at=now, closed_at=now
    )
    if not done:
        return False
    proposal.status, proposal.established_at, proposal.closed_at = Proposal.Status.ESTABLISHED, now, now
    _event(proposal, "established", None, text)
    audit.record("proposal.established", proposal, supports=proposal.endorsement_count)
    subject, body = _message(proposal, text)
    _announce(proposal, subject, body, include_supporters=True)
    # the update() above sends no signal: the 成案 is announced on LINE here, after the commit
    transaction.on_commit(lambda pk=proposal.pk: _announce_step(pk, Proposal.Status.ESTABLISHED))
    return True


def _announce_step(pk: int, status: str) -> None:
    """following.announce_proposal_step (LINE) for a step stored with a queryset update(), if the
    proposal is still at that step; a notice failing never undoes the step."""
    from rdec.participation.services.following import announce_proposal_step

    proposal = Proposal.objects.filter(pk=pk, status=status).first()
    if proposal is None:
        return
    try:
        announce_proposal_step(proposal)
    except Exception as exc:
        logger.error("proposal %s step notice failed (%s)", proposal.number, type(exc).__name__)


@transaction.atomic
def endorse_proposal(proposal, *, actor, ip_address: str = ""):
    """One support (附議) by a verified citizen while endorsing and before endorse_until. A second
    support raises `AlreadyEndorsed` (→ HTTP 409). Counts exactly (one UPDATE … RETURNING in the same transaction);
    flags bursts from one network and supports from new accounts for review. Returns the Endorsement."""
    _require_verified(actor)
    if proposal.proposer_id == actor.pk:
        raise ValidationError({"proposal": [_("You cannot support your own proposal.")]}, code="own_proposal")
    require(actor, "participation.endorse_proposal", proposal)
    now = timezone.now()
    today = timezone.localdate(now)
    if (
        proposal.status != Proposal.Status.ENDORSING
        or proposal.endorse_until is None
        or not (proposal.endorse_from <= today <= proposal.endorse_until)
    ):
        raise _not_open()
    network = network_key(ip_address)
    reasons = _flags(proposal, actor, network, now, _rule_of(proposal))
    try:
        endorsement = Endorsement.objects.create(
            proposal=proposal,
            citizen=actor,
            created_at=now,
            network=network,
            review=Endorsement.Review.PENDING if reasons else Endorsement.Review.NONE,
            flag_reason="; ".join(reasons)[:200],
        )
    except IntegrityError:
        raise AlreadyEndorsed(
            {"proposal": [_("You have already supported this proposal; each account supports once.")]},
            code="already_endorsed",
        ) from None
    # the count, exactly: the row is locked from this update to the commit, and a proposal that
    # was established or closed meanwhile takes no more supports (the insert is rolled back)
    count = _count_one_more(proposal.pk)
    if count is None:
        raise _not_open()
    proposal.endorsement_count = count
    if proposal.endorsement_count >= proposal.threshold:
        with _in_site_language():
            text = _("Established: %(count)s supports reached the threshold of %(threshold)s.") % {
                "count": f"{proposal.endorsement_count:,}",
                "threshold": f"{proposal.threshold:,}",
            }
            _establish(proposal, now, text)
    return endorsement


@transaction.atomic
def review_endorsement(endorsement, *, actor, keep: bool, note: str = ""):
    """The RDEC keeps or voids a flagged support (a voided one leaves the count). Voiding that takes
    an established proposal (not yet assigned) below its threshold reopens it while its period
    lasts, and makes it not established after."""
    require(actor, "participation.review_endorsement", endorsement)
    Endorsement.objects.select_for_update().filter(pk=endorsement.pk).values_list("pk", flat=True).get()
    endorsement.refresh_from_db()
    if endorsement.review != Endorsement.Review.PENDING:
        raise ProposalTransitionError(_("This support is not waiting for review."))
    now = timezone.now()
    endorsement.review = Endorsement.Review.KEPT if keep else Endorsement.Review.VOIDED
    endorsement.reviewed_by = _actor(actor)
    endorsement.reviewed_at = now
    endorsement.save(update_fields=["review", "reviewed_by", "reviewed_at"])
    proposal = Proposal.objects.select_for_update().get(pk=endorsement.proposal_id)
    note = (note or "").strip()
    if keep:
        audit.record("endorsement.kept", proposal, endorsement=endorsement.pk, note=note)
        return endorsement
    Proposal.objects.filter(pk=proposal.pk).update(endorsement_count=F("endorsement_count") - 1)
    proposal.refresh_from_db(fields=["endorsement_count"])
    audit.record("endorsement.voided", proposal, endorsement=endorsement.pk, note=note)
    with _in_site_language():
        _event(
            proposal,
            "support_voided",
            actor,
            _("One support was voided after review; supports: %(count)s.")
            % {"count": f"{proposal.endorsement_count:,}"},
        )
        if (
            proposal.status == Proposal.Status.ESTABLISHED
            and proposal.tracked_item_id is None
            and proposal.endorsement_count < proposal.threshold
        ):
            still_open = (
                proposal.endorse_until is not None and timezone.localdate(now) <= proposal.endorse_until
            )
            proposal.status = Proposal.Status.ENDORSING if still_open else Proposal.Status.NOT_ESTABLISHED
            proposal.established_at = None
            proposal.closed_at = None if still_open else now
            proposal.save(update_fields=["status", "established_at", "closed_at"])
            text = (
                _("Below the threshold after review: open for support again until %(date)s.")
                % {"date": roc_date(proposal.endorse_until)}
                if still_open
                else _("Below the threshold after review: not established.")
            )
            _event(proposal, "reopened" if still_open else "not_established", actor, text)
            subject, body = _message(proposal, text)
            _announce(proposal, subject, body, include_supporters=True)
    return endorsement


@transaction.atomic
def close_due_endorsements(*, today: datetime.date | None = None, actor=None) -> dict:
    """Run daily: endorsing proposals whose endorse_until has passed become established (count ≥
    threshold) or not_established; proposal reaching the threshold earlier is established at once by
    endorse_proposal. Returns {"established": n, "not_established": m}.

    On the office calendar: a proposal whose last day is D is closed by the first run after D.
    Idempotent (a second run finds nothing to close). `actor` (optional): an RDEC officer running
    it by hand; the scheduled job runs without one."""
    if actor is not None:
        require(actor, "participation.check_proposal")
    today = today or timezone.localdate()
    now = timezone.now()
    result = {"established": 0, "not_established": 0}
    due = Proposal.objects.select_for_update().filter(
        status=Proposal.Status.ENDORSING, endorse_until__lt=today
    )
    for proposal in due.order_by("endorse_until", "pk"):
        with _in_site_language():
            if proposal.endorsement_count >= proposal.threshold:
                text = _("Established: %(count)s supports by %(date)s (threshold %(threshold)s).") % {
                    "count": f"{proposal.endorsement_count:,}",
                    "date": roc_date(proposal.endorse_until),
                    "threshold": f"{proposal.threshold:,}",
                }
                if _establish(proposal, now, text):
                    result["established"] += 1
                continue
            proposal.status = Proposal.Status.NOT_ESTABLISHED
            proposal.closed_at = now
            proposal.save(update_fields=["status", "closed_at"])
            text = _(
                "Not established: %(count)s supports by %(date)s, short of the threshold of %(threshold)s."
            ) % {
                "count": f"{proposal.endorsement_count:,}",
                "date": roc_date(proposal.endorse_until),
                "threshold": f"{proposal.threshold:,}",
            }
            _event(proposal, "not_established", actor, text)
            audit.record("proposal.not_established", proposal, supports=proposal.endorsement_count)
            subject, body = _message(proposal, text)
        _announce(proposal, subject, body, include_supporters=True)
        result["not_established"] += 1
    return result


# --- 成案: assignment, meetings, 展期, response -----------------------------------------------------------


def _tracked_item(proposal: Proposal, actor):
    if proposal.tracked_item_id is None:
        return None
    from rdec.tracking import selectors as tracking_selectors

    return tracking_selectors.items_visible_to(actor).filter(pk=proposal.tracked_item_id).first()


@transaction.atomic
def assign_proposal(proposal, *, actor, lead_agency, co_agencies=()):
    """The RDEC assigns the responsible agency (主辦/協辦) of an established proposal: response_due =
    established day + rule.response_months; a tracked item (列管, source "proposal") is created in the
    tracking module with that deadline. Notifies proposer, supporters, followers and the agency.

    Assigning again (another agency) changes the proposal's and the tracked item's agencies; the
    response due date stays."""
    proposal = _lock(proposal)
    require(actor, "participation.assign_proposal", proposal)
    if proposal.status != Proposal.Status.ESTABLISHED:
        raise ProposalTransitionError(
            _("Only an established proposal awaiting its response can be assigned.")
        )
    if lead_agency is None:
        raise ValidationError({"lead_agency": [_("Choose the responsible agency.")]})
    co = [a for a in co_agencies or () if a is not None and a.pk != lead_agency.pk]
    from rdec.tracking import services as tracking_services

    first = proposal.lead_agency_id is None
    proposal.lead_agency = lead_agency
    if first:
        established_on = timezone.localdate(proposal.established_at or timezone.now())
        proposal.response_due = response_due_for(established_on, _rule_of(proposal).response_months)
    proposal.save(update_fields=["lead_agency", "response_due"])
    proposal.co_agencies.set(co)
    item = _tracked_item(proposal, actor)
    if item is None:
        link = _link(proposal)
        item = tracking_services.create_item(
            actor=actor,
            source="proposal",
            title=(
                _("Citizen proposal %(number)s: %(title)s")
                % {"number": proposal.number, "title": proposal.title}
            )[:200],
            owner=lead_agency,
            co_agencies=co,
            deadline=proposal.response_due,
            description=_(
                "Established citizen proposal %(number)s (%(count)s supports); publish the point-by-point response on the platform by %(date)s."
            )
            % {
                "number": proposal.number,
                "count": f"{proposal.endorsement_count:,}",
                "date": roc_date(proposal.response_due),
            }
            + (f"\n{link}" if link else ""),
        )
        proposal.tracked_item_id = item.pk
        proposal.save(update_fields=["tracked_item_id"])
    else:
        tracking_services.update_item(item, actor=actor, owner=lead_agency, co_agencies=co)
    with _in_site_language():
        names = "、".join(a.name for a in co)
        text = (
            _("Assigned to %(lead)s (co-responsible: %(co)s); response due %(date)s.")
            if names
            else _("Assigned to %(lead)s; response due %(date)s.")
        ) % {"lead": lead_agency.name, "co": names, "date": roc_date(proposal.response_due)}
        _event(proposal, "assigned", actor, text)
        subject, body = _message(proposal, text)
    audit.record("proposal.assigned", proposal, lead=lead_agency.code, tracked_item=item.number)
    _announce(proposal, subject, body, include_supporters=True, agency_staff=True)
    return proposal


def _require_established(proposal: Proposal) -> None:
    if proposal.status != Proposal.Status.ESTABLISHED or proposal.lead_agency_id is None:
        raise ProposalTransitionError(
            _("This step is for an established proposal assigned to an agency and not yet answered.")
        )


@transaction.atomic
def record_proposal_meeting(proposal, *, actor, held_on, record: str, place: str = "", attendees: str = ""):
    """A meeting of the responsible agency with the proposer, recorded on the public timeline."""
    proposal = _lock(proposal)
    require(actor, "participation.record_proposal_meeting", proposal)
    _require_established(proposal)
    errors: dict = {}
    record = (record or "").strip()
    if held_on is None:
        errors["held_on"] = [_("Give the date of the meeting.")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("The meeting date cannot be in the future.")]
    if not record:
        errors["record"] = [_("Write the record of the meeting.")]
    if errors:
        raise ValidationError(errors)
    meeting = ProposalMeeting.objects.create(
        proposal=proposal,
        held_on=held_on,
        place=(place or "").strip()[:120],
        attendees=(attendees or "").strip(),
        record=record,
        recorded_by=actor,
    )
    with _in_site_language():
        text = _("Meeting with the proposer on %(date)s.") % {"date": roc_date(held_on)}
        _event(proposal, "meeting", actor, text)
        subject, body = _message(proposal, text)
    audit.record("proposal.meeting", proposal, held_on=held_on)
    _announce(proposal, subject, body, include_supporters=False)
    return meeting


@transaction.atomic
def extend_proposal_response(proposal, *, actor, new_due, reason: str):
    """展期: announced publicly on the proposal's timeline; moves the tracked item's deadline too.

    A new date on a day off moves to the next working day. The tracked item's deadline moves only
    through tracking's own review (the RDEC's 繼續列管 with a new deadline): when the lead agency asks
    for the extension, it is filed on the tracked item as a progress report for that review."""
    proposal = _lock(proposal)
    require(actor, "participation.extend_proposal_response", proposal)
    _require_established(proposal)
    errors: dict = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Give the reason for the extension; it is announced publicly.")]
    if new_due is None:
        errors["new_due"] = [_("Give the new response due date.")]
    else:
        new_due = _on_working_day(new_due)
        if proposal.response_due is not None and new_due <= proposal.response_due:
            errors["new_due"] = [
                _("The new due date must be later than the current one (%(date)s).")
                % {"date": roc_date(proposal.response_due)}
            ]
    if errors:
        raise ValidationError(errors)
    extension = ProposalExtension.objects.create(
        proposal=proposal,
        previous_due=proposal.response_due,
        new_due=new_due,
        reason=reason,
        requested_by=actor,
    )
    proposal.response_due = new_due
    proposal.save(update_fields=["response_due"])
    with _in_site_language():
        text = _("Response deadline extended from %(old)s to %(new)s: %(reason)s") % {
            "old": roc_date(extension.previous_due),
            "new": roc_date(new_due),
            "reason": reason,
        }
        _event(proposal, "extended", actor, text)
        item = _tracked_item(proposal, actor)
        if item is not None and check(actor, "tracking.report_progress", item):
            from rdec.tracking import services as tracking_services

            tracking_services.submit_report(item, actor=actor, text=text, percent=item.percent or 0)
        subject, body = _message(proposal, text)
    audit.record("proposal.extended", proposal, previous_due=extension.previous_due, new_due=new_due)
    _announce(proposal, subject, body, include_supporters=True)
    return extension


@transaction.atomic
def respond_to_proposal(proposal, *, actor, summary: str, points):
    """The responsible agency publishes the point-by-point response (points: [(point, response), …])
    → responded; the tracked item gets a progress report (100 %, release proposed, for the RDEC's
    review)."""
    proposal = _lock(proposal)
    require(actor, "participation.respond_to_proposal", proposal)
    _require_established(proposal)
    errors: dict = {}
    summary = (summary or "").strip()
    pairs = [((p or "").strip(), (r or "").strip()) for p, r in points or ()]
    pairs = [(p, r) for p, r in pairs if p or r]
    if not summary:
        errors["summary"] = [_("Write the summary of the response.")]
    if not pairs:
        errors["points"] = [_("Answer at least one point raised by the proposal.")]
    elif any(not p or not r for p, r in pairs):
        errors["points"] = [_("Each point needs both the point raised and the response.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    ResponsePoint.objects.bulk_create(
        [
            ResponsePoint(proposal=proposal, order=i, point=p, response=r)
            for i, (p, r) in enumerate(pairs, start=1)
        ]
    )
    proposal.status = Proposal.Status.RESPONDED
    proposal.responded_at = now
    proposal.response_summary = summary
    proposal.save(update_fields=["status", "responded_at", "response_summary"])
    with _in_site_language():
        late = proposal.response_due is not None and timezone.localdate(now) > proposal.response_due
        text = _("%(agency)s published its point-by-point response.") % {"agency": proposal.lead_agency.name}
        _event(proposal, "responded", actor, text)
        item = _tracked_item(proposal, actor)
        if item is not None and check(actor, "tracking.report_progress", item):
            from rdec.tracking import services as tracking_services

            tracking_services.submit_report(
                item,
                actor=actor,
                text=_("The response to the proposal was published: %(summary)s") % {"summary": summary},
                percent=100,
                propose_release=True,
            )
        subject, body = _message(proposal, text + "\n\n" + summary)
    audit.record("proposal.responded", proposal, points=len(pairs), late=late)
    _announce(proposal, subject, body, include_supporters=True)
    return proposal
