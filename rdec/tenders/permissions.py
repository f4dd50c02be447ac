"""Who may do what with tenders. Services enforce these with core.permissions.require().

- RDEC officers and administrators (oversight) see and change every tender, enter progress for any
  agency, edit the rule versions and read the city-wide control report.
- An agency's staff and supervisors (and its connected systems with an API key) see the tenders of
  their agency and the agencies under it, create and update them, and enter their monthly progress;
  the control report shows them their own agencies only.
"""

from __future__ import annotations

from rdec.core.models import Agency, Role
from rdec.core.permissions import _user_ok, is_oversight, visible_agency_ids

AGENCY_WRITERS = (Role.AGENCY_STAFF, Role.SUPERVISOR, Role.SYSTEM)


def _agency_id(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Agency):
        return obj.pk
    if isinstance(obj, int):
        return obj
    return getattr(obj, "agency_id", None)


def _agency_user(user) -> bool:
    return _user_ok(user) and user.is_agency_member


def _writes_for(user, agency_id) -> bool:
    ids = visible_agency_ids(user)
    return ids is not None and agency_id in ids and user.role in AGENCY_WRITERS


def can_view_tenders(user, obj=None) -> bool:
    return is_oversight(user) or _agency_user(user)


def can_view_tender(user, tender) -> bool:
    if is_oversight(user):
        return True
    ids = visible_agency_ids(user)
    return bool(ids) and _agency_id(tender) in ids


def can_manage_tender(user, obj=None) -> bool:
    """obj: a Tender, an Agency or an agency id (the agency the tender belongs to); None for "some"."""
    if is_oversight(user):
        return True
    if not _agency_user(user) or user.role not in AGENCY_WRITERS:
        return False
    return obj is None or _writes_for(user, _agency_id(obj))


def can_enter_progress(user, tender=None) -> bool:
    return can_manage_tender(user, tender)


def can_import_progress(user, obj=None) -> bool:
    """Upload a progress workbook; each row is then checked with can_manage_tender for its agency."""
    return can_manage_tender(user, None)


def can_view_control_report(user, obj=None) -> bool:
    return is_oversight(user) or _agency_user(user)


def can_edit_rules(user, obj=None) -> bool:
    return is_oversight(user)


def can_open_control_meeting(user, obj=None) -> bool:
    """The RDEC records the city's control meeting (in tracking, which also requires it)."""
    return is_oversight(user)


# --- construction quality inspections (工程施工查核) ------------------------------------------------
# RDEC inspection officers (oversight) record and see every inspection; an agency's staff and
# supervisors record and see the inspections of their agency's works (and enter the contractor's
# and supervisor's improvement reports and the consequences of a 丙等).


def can_view_inspections(user, obj=None) -> bool:
    if obj is not None:
        return can_view_tender(user, getattr(obj, "tender", obj))
    return is_oversight(user) or _agency_user(user)


def can_record_inspection(user, obj=None) -> bool:
    """obj: the Tender (or an Inspection, for its tender); None for "some"."""
    return can_manage_tender(user, getattr(obj, "tender", obj))


def can_follow_up_inspection(user, obj=None) -> bool:
    """Enter improvement reports and consequences of an inspection of the agency's work."""
    return can_manage_tender(user, getattr(obj, "tender", obj))


def can_edit_inspection_rules(user, obj=None) -> bool:
    return is_oversight(user)


def can_load_deficiencies(user, obj=None) -> bool:
    return is_oversight(user)


def can_view_inspection_statistics(user, obj=None) -> bool:
    return is_oversight(user) or _agency_user(user)
