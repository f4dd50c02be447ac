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


def can_view_reports(user, obj=None) -> bool:
    """The 質量分析報告: RDEC (every scope), agency staff and supervisors (their agency's)."""
    return has_role(user, Role.AGENCY_STAFF, Role.SUPERVISOR, Role.RDEC_OFFICER, Role.ADMIN, Role.SYSTEM)


def can_request_report(user, agency=None) -> bool:
    """A report of the whole city or a district: RDEC only; of one agency: RDEC, or that agency's
    staff (and the staff of the bureau above it)."""
    from rdec.core.permissions import visible_agency_ids

    if not can_view_reports(user):
        return False
    ids = visible_agency_ids(user)
    if ids is None:
        return True
    return agency is not None and agency.pk in ids


def can_view_report(user, report=None) -> bool:
    from rdec.core.permissions import visible_agency_ids

    if not can_view_reports(user):
        return False
    ids = visible_agency_ids(user)
    return ids is None or (report is not None and report.agency_id in ids)
