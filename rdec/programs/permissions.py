"""Who may do what in the programmes' calls-and-review engine (rdec.core.permissions).

RDEC officers and administrators manage calls (create, change the rubric, screen, assign reviewers,
decide, publish); any signed-in account may submit to an open call (a firm, a team, an office);
a reviewer scores only the submissions they are assigned to."""

from __future__ import annotations

from rdec.core.permissions import is_oversight


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
