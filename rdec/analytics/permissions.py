"""Who may use the analytics. Services enforce these with core.permissions.require()."""

from __future__ import annotations

from rdec.core.models import Role
from rdec.core.permissions import has_role, is_oversight


def can_route(user, obj=None) -> bool:
    """Route suggestions: 1999 agents, agency staff, RDEC dispatchers and connected systems."""
    return has_role(
        user, Role.CALL_AGENT, Role.AGENCY_STAFF, Role.SUPERVISOR, Role.RDEC_OFFICER, Role.ADMIN, Role.SYSTEM
    )


def can_train_router(user, obj=None) -> bool:
    """The scheduled job or the `train_router` command (no signed-in user), or RDEC by hand."""
    return user is None or is_oversight(user)


def can_find_similar(user, case=None) -> bool:
    """Duplicate candidates: whoever may see the case and work on petitions (not citizens)."""
    from rdec.core.permissions import check

    return can_route(user) and (case is None or check(user, "petitions.view_case", case))


def can_view_hotspots(user, obj=None) -> bool:
    """Hotspots count cases (no personal data): RDEC, agency staff (their own cases), API keys."""
    return has_role(user, Role.AGENCY_STAFF, Role.SUPERVISOR, Role.RDEC_OFFICER, Role.ADMIN, Role.SYSTEM)
