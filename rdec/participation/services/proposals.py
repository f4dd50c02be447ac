"""提點子: write use cases. The contract the pages (views/proposals.py), the API
(api/proposals.py) and the tasks call; every function checks permission with
`rdec.core.permissions.require`, is atomic, writes the audit trail and raises
`django.core.exceptions.ValidationError` with a dict of field errors (zh-Hant via gettext) on bad input.

Status flow (Proposal.Status): checking → rejected | endorsing; endorsing → established |
not_established (at `endorse_until` on the office calendar, by `close_due_endorsements`);
established → responded.
"""

from __future__ import annotations

import datetime

__all__ = [
    "submit_proposal",
    "check_proposal",
    "endorse_proposal",
    "review_endorsement",
    "close_due_endorsements",
    "assign_proposal",
    "record_proposal_meeting",
    "extend_proposal_response",
    "respond_to_proposal",
]


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
    raise NotImplementedError


def check_proposal(proposal, *, actor, accept: bool, ground: str = "", reason: str = ""):
    """The RDEC's 管理小組 checks (檢核). accept → endorsing with endorse_from = today, endorse_until =
    today + rule.endorse_days; refuse → rejected with a HidingGround and the reason shown to the proposer.
    Notifies the proposer."""
    raise NotImplementedError


def endorse_proposal(proposal, *, actor, ip_address: str = ""):
    """One support (附議) by a verified citizen while endorsing and before endorse_until. A second
    support raises `AlreadyEndorsed` (→ HTTP 409). Counts exactly (F() update in the same transaction);
    flags bursts from one network and supports from new accounts for review. Returns the Endorsement."""
    raise NotImplementedError


def review_endorsement(endorsement, *, actor, keep: bool, note: str = ""):
    """The RDEC keeps or voids a flagged support (a voided one leaves the count)."""
    raise NotImplementedError


def close_due_endorsements(*, today: datetime.date | None = None) -> dict:
    """Run daily: endorsing proposals whose endorse_until has passed become established (count ≥
    threshold) or not_established; proposal reaching the threshold earlier is established at once by
    endorse_proposal. Returns {"established": n, "not_established": m}."""
    raise NotImplementedError


def assign_proposal(proposal, *, actor, lead_agency, co_agencies=()):
    """The RDEC assigns the responsible agency (主辦/協辦) of an established proposal: response_due =
    established day + rule.response_months; a tracked item (列管, source "proposal") is created in the
    tracking module with that deadline. Notifies proposer, supporters, followers and the agency."""
    raise NotImplementedError


def record_proposal_meeting(proposal, *, actor, held_on, record: str, place: str = "", attendees: str = ""):
    raise NotImplementedError


def extend_proposal_response(proposal, *, actor, new_due, reason: str):
    """展期: announced publicly on the proposal's timeline; moves the tracked item's deadline too."""
    raise NotImplementedError


def respond_to_proposal(proposal, *, actor, summary: str, points):
    """The responsible agency publishes the point-by-point response (points: [(point, response), …])
    → responded; the tracked item gets a progress report."""
    raise NotImplementedError
