"""Who may do what in tracking. Services enforce these with core.permissions.require().

- RDEC officers and administrators (oversight) keep the meetings, put items under control, review
  progress reports, and keep the council sessions.
- An agency's staff and supervisors (and its connected systems) see the items their agency owns or
  co-handles, report progress on them, and write the council execution texts of their items.
- For items the agency controls itself (自行列管), the agency may create them and its supervisor
  reviews the reports.
"""

from __future__ import annotations

from rdec.core.models import Role
from rdec.core.permissions import _user_ok, is_oversight, visible_agency_ids

AGENCY_WRITERS = (Role.AGENCY_STAFF, Role.SUPERVISOR, Role.SYSTEM)


def _member_of(user, agency_id) -> bool:
    ids = visible_agency_ids(user)
    return ids is not None and agency_id in ids and user.role in AGENCY_WRITERS


def _co_ids(item) -> set[int]:
    cached = getattr(item, "_co_ids", None)
    if cached is None:
        cached = set(item.co_agencies.values_list("id", flat=True)) if item.pk else set()
        item._co_ids = cached
    return cached


def _involved(user, item) -> bool:
    ids = visible_agency_ids(user)
    if not ids:
        return False
    return item.owner_id in ids or bool(ids & _co_ids(item))


def _agency_user(user) -> bool:
    return _user_ok(user) and user.is_agency_member


# --- pages -------------------------------------------------------------------------------------


def can_view_board(user, obj=None) -> bool:
    """The RDEC's control board (管考總表)."""
    return is_oversight(user)


def can_view_todo(user, obj=None) -> bool:
    return is_oversight(user) or _agency_user(user)


def can_view_items(user, obj=None) -> bool:
    return is_oversight(user) or _agency_user(user)


# --- meetings ------------------------------------------------------------------------------------


def can_manage_meetings(user, meeting=None) -> bool:
    return is_oversight(user)


def can_view_meeting(user, meeting=None) -> bool:
    """Staff pages of meetings: oversight all; agency members the meetings their agency attended or
    has items from (the selector scopes the list)."""
    return is_oversight(user) or _agency_user(user)


# --- items ---------------------------------------------------------------------------------------


def can_create_item(user, obj=None) -> bool:
    """obj: the intended control level (Item.Level value) and owner agency id as a tuple, or None
    for "may create some item"."""
    if is_oversight(user):
        return True
    if not _agency_user(user) or user.role == Role.SYSTEM:
        return False
    if obj is None:
        return True
    level, owner_id = obj
    return level == "self" and _member_of(user, owner_id)


def can_view_item(user, item) -> bool:
    return is_oversight(user) or _involved(user, item)


def can_edit_item(user, item) -> bool:
    if is_oversight(user):
        return True
    return item.level == "self" and _member_of(user, item.owner_id) and user.role == Role.SUPERVISOR


def can_report_progress(user, item) -> bool:
    """The responsible agency and the co-agencies report, while the item is under control."""
    if not item.is_open or not _user_ok(user) or user.role not in AGENCY_WRITERS:
        return False
    return _involved(user, item)


def can_review(user, item) -> bool:
    """The RDEC reviews; for self-controlled items, the responsible agency's supervisor."""
    if is_oversight(user):
        return True
    return item.level == "self" and _member_of(user, item.owner_id) and user.role == Role.SUPERVISOR


# --- council ---------------------------------------------------------------------------------------


def can_manage_council(user, obj=None) -> bool:
    return is_oversight(user)


def can_view_council(user, obj=None) -> bool:
    return is_oversight(user) or _agency_user(user)


def can_write_council_text(user, item) -> bool:
    if is_oversight(user):
        return True
    return item is not None and _member_of(user, item.owner_id)


def can_build_council_report(user, obj=None) -> bool:
    return is_oversight(user)


def can_generate_council_report(user, obj=None) -> bool:
    """The periodic job (no signed-in user) issues the report on its due date; RDEC may reissue it."""
    return user is None or is_oversight(user)


# --- notifications -----------------------------------------------------------------------------------


def can_read_notification(user, notification) -> bool:
    return _user_ok(user) and notification.recipient_id == user.pk
