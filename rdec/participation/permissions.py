"""Who may do what in participation: `can_<action>(user, obj=None) -> bool` (rdec.core.permissions)."""

from __future__ import annotations

from rdec.core.models import Role  # noqa: F401
from rdec.core.permissions import has_role, is_oversight  # noqa: F401

# --- proposals (提點子) ---------------------------------------------------------------------------
# Verified citizens propose and support; the RDEC (管理小組: RDEC officers, administrators) checks,
# reviews flagged supports and assigns the responsible agency; the lead agency's staff and
# supervisors (and the RDEC) record meetings and ask for 展期; only the lead agency responds.


def _lead_agency_member(user, proposal) -> bool:
    from rdec.core.models import AGENCY_ROLES
    from rdec.core.permissions import visible_agency_ids

    if proposal is None or proposal.lead_agency_id is None or not has_role(user, *AGENCY_ROLES):
        return False
    ids = visible_agency_ids(user)
    return ids is not None and proposal.lead_agency_id in ids


def can_submit_proposal(user, obj=None) -> bool:
    from rdec.core.verification import is_verified_citizen

    return is_verified_citizen(user)


def can_endorse_proposal(user, proposal=None) -> bool:
    """附議: a verified citizen, not on their own proposal (open-ness is the service's 400)."""
    from rdec.core.verification import is_verified_citizen

    if not is_verified_citizen(user):
        return False
    return proposal is None or proposal.proposer_id != user.pk


def can_check_proposal(user, obj=None) -> bool:
    """檢核 by the RDEC's 管理小組."""
    return is_oversight(user)


def can_review_endorsement(user, obj=None) -> bool:
    return is_oversight(user)


def can_assign_proposal(user, obj=None) -> bool:
    return is_oversight(user)


def can_record_proposal_meeting(user, proposal=None) -> bool:
    return is_oversight(user) or _lead_agency_member(user, proposal)


def can_extend_proposal_response(user, proposal=None) -> bool:
    return is_oversight(user) or _lead_agency_member(user, proposal)


def can_respond_to_proposal(user, proposal=None) -> bool:
    """The point-by-point response: the lead agency's staff and supervisors."""
    return _lead_agency_member(user, proposal)


def can_view_proposal(user, proposal=None) -> bool:
    """Public once accepted; before (checking, rejected) its proposer and the RDEC only."""
    if proposal is None or proposal.is_public or is_oversight(user):
        return True
    return bool(user is not None and user.is_authenticated and proposal.proposer_id == user.pk)


# --- consultations (眾開講) -----------------------------------------------------------------------

# Who runs a consultation: the RDEC (any agency) or the staff and supervisors of the responsible
# agency (and of the agencies above it, which oversee their offices). Managing covers editing,
# publishing, moderating and the response report.


def _agency_staff_of(user, agency_id) -> bool:
    from rdec.core.models import AGENCY_ROLES
    from rdec.core.permissions import visible_agency_ids

    if not has_role(user, *AGENCY_ROLES):
        return False
    ids = visible_agency_ids(user)
    return agency_id is not None and ids is not None and agency_id in ids


def can_open_consultation(user, obj=None) -> bool:
    """Open a consultation; `obj` is the responsible agency (None: for any agency the user may)."""
    from rdec.core.models import AGENCY_ROLES

    if is_oversight(user):
        return True
    if obj is None:
        return has_role(user, *AGENCY_ROLES) and user.agency_id is not None
    return _agency_staff_of(user, getattr(obj, "pk", obj))


def can_manage_consultation(user, obj=None) -> bool:
    """Edit, publish, moderate and write the response report of `obj` (a Consultation); without
    `obj`: whether the user manages consultations at all (the management list)."""
    if obj is None:
        return can_open_consultation(user)
    return is_oversight(user) or _agency_staff_of(user, obj.agency_id)


def can_moderate_consultation(user, obj=None) -> bool:
    return can_manage_consultation(user, obj)


def can_view_consultation(user, obj=None) -> bool:
    """Everyone sees a published consultation; a draft only those who manage it."""
    if obj is None:
        return True
    return obj.status != obj.Status.DRAFT or can_manage_consultation(user, obj)


def can_comment_consultation(user, obj=None) -> bool:
    """Verified citizens, while the consultation is open for comments (opens_on ≤ today ≤ closes_on)."""
    from rdec.core.verification import is_verified_citizen

    if not is_verified_citizen(user):
        return False
    if obj is None:
        return True
    from django.utils import timezone

    today = timezone.localdate()
    return obj.status == obj.Status.OPEN and obj.opens_on <= today <= obj.closes_on


# --- conversations (Pol.is) ----------------------------------------------------------------------


def can_view_conversations(user, obj=None) -> bool:
    """Conversations, their opinion map and groups are public (participants appear only as opaque ids)."""
    return True


def can_manage_conversations(user, obj=None) -> bool:
    """Open a conversation: RDEC officers and administrators."""
    return is_oversight(user)


def can_moderate_conversation(user, obj=None) -> bool:
    """Accept or hide statements: RDEC officers and administrators; for a conversation inside a
    consultation, also the staff of the consultation's responsible agency (and the agencies above it)."""
    if is_oversight(user):
        return True
    consultation = getattr(obj, "consultation", None)
    if consultation is None or not has_role(user, Role.AGENCY_STAFF, Role.SUPERVISOR):
        return False
    from rdec.core.permissions import can_see_agency_work

    return can_see_agency_work(user, consultation.agency_id)


def can_vote_in_conversation(user, obj=None) -> bool:
    """Vote (agree / disagree / pass): a verified citizen, while the conversation is open."""
    from rdec.core.verification import is_verified_citizen

    return is_verified_citizen(user) and (obj is None or bool(obj.open))


def can_add_statement(user, obj=None) -> bool:
    """Add a statement (moderated before others vote on it): a verified citizen while the conversation
    is open, or its moderators."""
    if obj is not None and not obj.open:
        return False
    return can_vote_in_conversation(user, obj) or can_moderate_conversation(user, obj)


# --- identity, following and notices ---------------------------------------------------------------


def _public_target(user, obj) -> bool:
    from rdec.participation.models import Consultation, Proposal

    if isinstance(obj, Proposal):
        return can_view_proposal(user, obj) and obj.is_public
    if isinstance(obj, Consultation):
        return obj.status != Consultation.Status.DRAFT
    return obj is None


def can_follow(user, obj=None) -> bool:
    """Anyone signed in follows a public proposal or consultation (notices by e-mail)."""
    return bool(user is not None and user.is_authenticated and user.is_active) and _public_target(user, obj)


def can_unfollow(user, obj=None) -> bool:
    return bool(user is not None and user.is_authenticated)
