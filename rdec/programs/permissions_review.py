"""Who may open the engine's review pages (rdec.programs.views_review)."""

from __future__ import annotations

from rdec.core.permissions import is_oversight

__all__ = ["can_view_reviews"]


def can_view_reviews(user, obj=None) -> bool:
    """ "My reviews": the RDEC, agency staff, and any signed-in account with a reviewer assignment
    (an outside expert)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_oversight(user) or user.is_agency_member:
        return True
    from rdec.programs.models import Assignment

    return Assignment.objects.filter(reviewer=user).exists()
