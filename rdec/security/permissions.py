"""Who may do what in 資訊安全. The data is sensitive: nothing is public.

- RDEC officers and administrators (oversight) see every agency's assets and findings, load the
  vulnerability feeds and edit the remediation policy; they may register assets for any agency.
- An agency's staff and supervisors, and its connected systems (API keys), see and keep their own
  agency's inventory (and the agencies under it) and move its findings along; an exception
  (風險接受) is approved by the agency's supervisor or the RDEC.
- An oversight API key reads everything and writes nothing (core's rule for oversight keys).
"""

from __future__ import annotations

from rdec.core.models import Role
from rdec.core.permissions import _user_ok, is_oversight, visible_agency_ids

AGENCY_WRITERS = (Role.AGENCY_STAFF, Role.SUPERVISOR, Role.SYSTEM)


def _agency_member(user) -> bool:
    return _user_ok(user) and user.is_agency_member


def _writes_for(user, agency_id) -> bool:
    if getattr(user, "api_read_only", False):
        return False
    if is_oversight(user):
        return True
    ids = visible_agency_ids(user)
    return bool(ids) and agency_id in ids and user.role in AGENCY_WRITERS


def _agency_of(obj):
    if obj is None:
        return None
    if hasattr(obj, "asset"):
        obj = obj.asset
    return getattr(obj, "agency_id", getattr(obj, "pk", None))


def can_view_security(user, obj=None) -> bool:
    """The asset and finding pages (each list scoped to the user's agencies)."""
    if not (is_oversight(user) or _agency_member(user)):
        return False
    if obj is None:
        return True
    ids = visible_agency_ids(user)
    return ids is None or _agency_of(obj) in ids


def can_manage_assets(user, obj=None) -> bool:
    """Register, edit and import assets (obj: an Agency, an Asset or None for "some agency")."""
    if obj is None:
        return (is_oversight(user) and not getattr(user, "api_read_only", False)) or (
            _agency_member(user) and user.role in AGENCY_WRITERS and not getattr(user, "api_read_only", False)
        )
    return _writes_for(user, _agency_of(obj))


def can_change_finding(user, finding=None) -> bool:
    if finding is None:
        return can_manage_assets(user)
    return _writes_for(user, _agency_of(finding))


def can_approve_exception(user, finding=None) -> bool:
    """風險接受: the agency's supervisor or the RDEC."""
    if getattr(user, "api_read_only", False) or not _user_ok(user):
        return False
    if is_oversight(user):
        return True
    if user.role != Role.SUPERVISOR:
        return False
    return finding is None or _writes_for(user, _agency_of(finding))


def can_import_feeds(user, obj=None) -> bool:
    return is_oversight(user) and not getattr(user, "api_read_only", False)
