"""Who may do what with the open data catalog. Services enforce these with core.permissions.require().

Agency staff and supervisors (and their agency's API-key service users) publish and edit their own
agency's datasets (and those of the agencies under it); RDEC officers and administrators all."""

from __future__ import annotations

from rdec.core.models import Agency, Role
from rdec.core.permissions import _user_ok, is_oversight, visible_agency_ids

EDITOR_ROLES = (Role.AGENCY_STAFF, Role.SUPERVISOR, Role.SYSTEM)


def _member_of(user, agency_id) -> bool:
    if not _user_ok(user) or user.role not in EDITOR_ROLES:
        return False
    ids = visible_agency_ids(user)
    return ids is not None and agency_id in ids


def _agency_id(obj) -> int | None:
    if isinstance(obj, Agency):
        return obj.pk
    if hasattr(obj, "agency_id"):
        return obj.agency_id
    dataset = getattr(obj, "dataset", None)
    return getattr(dataset, "agency_id", None)


def can_publish(user, obj=None) -> bool:
    """May the user publish datasets at all (obj None) or for this agency (obj an Agency)?"""
    if is_oversight(user):
        return True
    if obj is None:
        return _user_ok(user) and user.role in EDITOR_ROLES and user.agency_id is not None
    return _member_of(user, _agency_id(obj))


def can_publish_dataset(user, agency=None) -> bool:
    return can_publish(user, agency)


def can_edit_dataset(user, dataset=None) -> bool:
    """obj: a Dataset or a Resource (edits of a resource are edits of its dataset)."""
    if is_oversight(user):
        return True
    return dataset is not None and _member_of(user, _agency_id(dataset))


def can_delete_dataset(user, dataset=None) -> bool:
    return can_edit_dataset(user, dataset)


def can_add_resource(user, dataset=None) -> bool:
    return can_edit_dataset(user, dataset)


def can_update_resource(user, resource=None) -> bool:
    return can_edit_dataset(user, resource)


def can_view_dataset(user, dataset=None) -> bool:
    """Published datasets are public; withdrawn ones only to those who may edit them."""
    if dataset is not None and dataset.state == dataset.State.ACTIVE:
        return True
    return can_edit_dataset(user, dataset)


def can_import_catalog(user, obj=None) -> bool:
    return is_oversight(user)


def can_check_quality(user, resource=None) -> bool:
    """The background job (user None) checks every upload; the dataset's editors rerun a check."""
    return user is None or can_edit_dataset(user, resource)


def can_record_use(user, dataset=None) -> bool:
    """Anyone who may see a dataset counts as a view or a download of it."""
    return can_view_dataset(user, dataset)


def can_sync_portal(user, dataset=None) -> bool:
    """Send a dataset to the national portal: its editors and RDEC officers (automatic pushes run
    without a user)."""
    return can_edit_dataset(user, dataset)


def can_view_portal_sync(user, dataset=None) -> bool:
    """The sync status is shown to the dataset's editors and to RDEC officers."""
    return can_edit_dataset(user, dataset)


def can_view_portal_overview(user, obj=None) -> bool:
    return is_oversight(user)


# --- users' voice ---------------------------------------------------------------------------------


def can_submit_feedback(user, obj=None) -> bool:
    """Any signed-in person comments on a published dataset or asks for data."""
    if not _user_ok(user):
        return False
    dataset = obj if obj is not None and hasattr(obj, "identifier") else None
    return dataset is None or dataset.state == dataset.State.ACTIVE


def can_answer_feedback(user, item=None) -> bool:
    """The agency the item is addressed to (its staff and supervisors), and RDEC officers."""
    if is_oversight(user):
        return True
    return item is not None and _member_of(user, item.agency_id)


def can_moderate_feedback(user, item=None) -> bool:
    """RDEC officers approve or hide comments and requests."""
    return is_oversight(user)


def can_view_feedback(user, item=None) -> bool:
    """Approved items are public; others only to their author, the agency and RDEC."""
    if item is None:
        return True
    if item.moderation == item.Moderation.APPROVED:
        return True
    if _user_ok(user) and item.author_id == user.pk:
        return True
    return can_answer_feedback(user, item)
