"""Who may do what in 地方創生 (imported into rdec.programs.permissions).

RDEC officers and administrators manage everything (the catalogue, screening, the working meeting's
decision, approval lines, closeouts) and file proposals of both types; a district office's (區公所)
staff see the proposals of their own district and file and follow (milestones, KPIs) only those.
Other agencies' staff see the scheme catalogue only."""

from __future__ import annotations

from rdec.core.models import Agency, District
from rdec.core.permissions import is_oversight

__all__ = [
    "can_file_revitalisation",
    "can_log_revitalisation",
    "can_manage_revitalisation",
    "can_view_revitalisation",
    "can_view_revitalisation_schemes",
    "office_district_id",
]


def office_district_id(user) -> int | None:
    """The district (its id) of a district office's staff member; None for everyone else."""
    if not (user is not None and user.is_authenticated and getattr(user, "is_agency_member", False)):
        return None
    agency = user.agency
    if agency is None or agency.level != Agency.Level.DISTRICT_OFFICE:
        return None
    return agency.district_id


def _district_id(obj) -> int | None:
    if isinstance(obj, District):
        return obj.pk
    if isinstance(obj, Agency):
        return obj.district_id if obj.level == Agency.Level.DISTRICT_OFFICE else None
    return getattr(obj, "district_id", None)


def can_manage_revitalisation(user, obj=None) -> bool:
    return is_oversight(user)


def can_view_revitalisation(user, obj=None) -> bool:
    """Without obj: whether the user has the pages at all; obj: a proposal (or a district)."""
    if is_oversight(user):
        return True
    own = office_district_id(user)
    if own is None:
        return False
    return obj is None or _district_id(obj) == own


def can_file_revitalisation(user, obj=None) -> bool:
    """obj: the district office of a 公所提案, the district of a 多元徵案 (the RDEC enters those for
    firms and teams), or None (the form). A district office files its own 公所提案 only."""
    if is_oversight(user):
        return True
    own = office_district_id(user)
    if own is None:
        return False
    if obj is None:
        return True
    return isinstance(obj, Agency) and obj.pk == user.agency_id


def can_log_revitalisation(user, proposal=None) -> bool:
    """Milestones and KPI measurements: the RDEC, and the office of the proposal's district."""
    return can_view_revitalisation(user, proposal) and (is_oversight(user) or proposal is not None)


def can_view_revitalisation_schemes(user, obj=None) -> bool:
    return is_oversight(user) or (
        user is not None and user.is_authenticated and getattr(user, "is_agency_member", False)
    )
