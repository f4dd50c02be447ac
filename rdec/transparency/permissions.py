"""Who may do what in transparency: `can_<action>(user, obj=None) -> bool` (rdec.core.permissions).

Agencies keep their own registers (their staff and supervisors, for their agency and the units
under it); the RDEC (officers, administrators) oversees every agency's. Everyone reads what is
published; an original (unredacted) document is only for its agency and the RDEC."""

from __future__ import annotations

from rdec.core.models import AGENCY_ROLES
from rdec.core.permissions import has_role, is_oversight, visible_agency_ids


def _agency_of(obj):
    if obj is None:
        return None
    for attr in ("agency_id", "lead_agency_id"):
        if hasattr(obj, attr):
            return getattr(obj, attr)
    contract = getattr(obj, "contract", None)
    return contract.agency_id if contract is not None else None


def _member(user, agency_id) -> bool:
    """Staff and supervisors of the agency (or a unit above it), and the agency's API key (its
    service user, role SYSTEM; a read-only key is refused writes by the API's authentication)."""
    if not (has_role(user, *AGENCY_ROLES) or getattr(user, "is_agency_member", False)):
        return False
    ids = visible_agency_ids(user)
    return ids is not None and (agency_id is None or agency_id in ids)


def can_manage_register(user, obj=None) -> bool:
    """Add and edit an agency's disclosure items, contracts and MOUs (obj: the record or None)."""
    return is_oversight(user) or _member(user, _agency_of(obj))


def can_view_original(user, obj=None) -> bool:
    """The original (unredacted) document and the drafts: its agency and the RDEC."""
    return can_manage_register(user, obj)
