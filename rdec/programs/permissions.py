"""Who may do what in the programmes' calls-and-review engine (rdec.core.permissions).

RDEC officers and administrators manage calls (create, change the rubric, screen, assign reviewers,
decide, publish); any signed-in account may submit to an open call (a firm, a team, an office);
a reviewer scores only the submissions they are assigned to."""

from __future__ import annotations

from rdec.core.permissions import can_see_agency_work, is_oversight


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_manage_call(user, obj=None) -> bool:
    return is_oversight(user)


def can_submit_to_call(user, obj=None) -> bool:
    return _signed_in(user)


def can_score_submission(user, assignment=None) -> bool:
    """obj: the Assignment; only its reviewer (RDEC officers enter paper scores by import_scores)."""
    return _signed_in(user) and assignment is not None and assignment.reviewer_id == user.pk


def can_view_ranking(user, call=None) -> bool:
    """The RDEC at any time; everyone once the results are published."""
    if is_oversight(user):
        return True
    return call is not None and call.status == call.Status.PUBLISHED


# --- 場域驗證 ---------------------------------------------------------------------------------------


def can_post_for_agency(user, agency=None) -> bool:
    """Needs and fields: the RDEC for any agency; agency staff for their own agency (and those
    under it). obj: the Agency, or a Need or Field (its agency)."""
    if is_oversight(user):
        return True
    if not (_signed_in(user) and user.is_agency_member) or agency is None:
        return False
    agency_id = getattr(agency, "agency_id", None) or getattr(agency, "pk", None)
    return can_see_agency_work(user, agency_id)


def can_edit_proposal(user, proposal=None) -> bool:
    """A draft: its author (and the RDEC)."""
    if is_oversight(user):
        return True
    return _signed_in(user) and proposal is not None and proposal.created_by_id == user.pk


def can_manage_validations(user, obj=None) -> bool:
    """Matches, validation periods, results and follow-ons: the RDEC."""
    return is_oversight(user)


def can_log_validation(user, validation=None) -> bool:
    """Milestones, KPI measurements, incidents and the report's arrival: the RDEC, and the field's
    owner agency."""
    if is_oversight(user):
        return True
    return validation is not None and can_post_for_agency(user, validation.match.field)


def can_post_needs(user, obj=None) -> bool:
    """The pages to post a need or a field: the RDEC, and agency staff (for their own agency)."""
    return is_oversight(user) or (_signed_in(user) and user.is_agency_member)


def can_view_proposal(user, proposal=None) -> bool:
    """A proposal's page: its author and the RDEC."""
    return can_edit_proposal(user, proposal)


# --- 簡政創新 ----------------------------------------------------------------------------------------


def can_manage_innovation(user, obj=None) -> bool:
    """Digests, their referrals to agencies, the year-end review and its awards: the RDEC."""
    return is_oversight(user)


def can_assess_referral(user, referral=None) -> bool:
    """A referral is answered by its own agency's staff (and those of the agencies above it); the
    RDEC reads the answers but does not give them. obj None: may answer some referral."""
    if not (_signed_in(user) and user.is_agency_member) or is_oversight(user):
        return False
    if referral is None:
        return True
    return can_see_agency_work(user, referral.agency_id)


def can_view_referrals(user, obj=None) -> bool:
    """The inbox of referrals: agency staff (their agencies') and the RDEC (all)."""
    return is_oversight(user) or (_signed_in(user) and user.is_agency_member)


# --- 跨域委託研究 -------------------------------------------------------------------------------------


def can_propose_research_topic(user, obj=None) -> bool:
    """Any signed-in account: an agency's staff, a youth committee member, a university."""
    return _signed_in(user)


def can_manage_research(user, agency=None) -> bool:
    """Projects, deliverables, reports and recommendations: the RDEC, and the lead agency's staff
    (obj: the Agency; None for "may manage some")."""
    if agency is None:
        return can_post_needs(user)
    return can_post_for_agency(user, agency)


def can_answer_recommendation(user, recommendation=None) -> bool:
    """The adoption record: the RDEC, and the responsible agency's staff."""
    if recommendation is None:
        return can_post_needs(user)
    return can_post_for_agency(user, recommendation.agency)


from rdec.programs.permissions_review import *  # noqa: E402,F401,F403
from rdec.programs.permissions_revitalisation import *  # noqa: E402,F401,F403
