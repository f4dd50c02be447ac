"""The permission layer every module uses.

- Each app has a `permissions.py` of `can_<action>(user, obj=None) -> bool` functions.
- `require(user, "app.action", obj)` looks the function up and raises `PermissionDenied` on False.
  Services call it; views and templates only ask `can_*` to hide controls.
- `visible_agency_ids(user)` and `scope_to_agencies(queryset, user, field)` scope lists to the
  user's agency and the agencies under it; RDEC officers and administrators see every agency.
"""

from __future__ import annotations

from importlib import import_module

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rdec.core.models import Agency, Role


def _user_ok(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def has_role(user, *roles: str) -> bool:
    return _user_ok(user) and (user.role in roles or (Role.ADMIN in roles and user.is_superuser))


def is_oversight(user) -> bool:
    return _user_ok(user) and user.is_oversight


def agency_subtree_ids(agency_id: int) -> set[int]:
    """The agency and every agency below it (a bureau oversees its second-level offices)."""
    parents = dict(Agency.objects.values_list("id", "parent_id"))
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found, stack = set(), [agency_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, ()))
    return found


def visible_agency_ids(user) -> set[int] | None:
    """None means every agency; otherwise the ids of the agencies whose work the user may see."""
    if is_oversight(user):
        return None
    if not _user_ok(user) or not user.is_agency_member:
        return set()
    cache_attr = "_rdec_visible_agencies"
    if not hasattr(user, cache_attr):
        setattr(user, cache_attr, agency_subtree_ids(user.agency_id))
    return getattr(user, cache_attr)


def scope_to_agencies(queryset: QuerySet, user, field: str = "agency") -> QuerySet:
    """The rows of `queryset` whose `field` (an Agency foreign key) the user may see."""
    ids = visible_agency_ids(user)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": ids})


def can_see_agency_work(user, agency_id: int | None) -> bool:
    ids = visible_agency_ids(user)
    return ids is None or (agency_id is not None and agency_id in ids)


def _lookup(permission: str):
    app, _sep, action = permission.partition(".")
    if not app or not action:
        raise ValueError(f"permission must look like 'app.action', got {permission!r}")
    module = import_module(f"rdec.{app}.permissions")
    return getattr(module, f"can_{action}")


def check(user, permission: str, obj=None) -> bool:
    return bool(_lookup(permission)(user, obj))


def require(user, permission: str, obj=None) -> None:
    """Raise PermissionDenied unless `user` may do `permission` ("app.action") on `obj`."""
    if not check(user, permission, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


# --- core's own permissions --------------------------------------------------------------------------


def can_view_audit(user, obj=None) -> bool:
    return is_oversight(user)


def can_view_rule_sets(user, obj=None) -> bool:
    """The list of every module's dated rule sets (/rules/): RDEC officers and administrators."""
    return is_oversight(user)


def can_use_api(user, obj=None) -> bool:
    """Whom the navigation offers the API's documentation: agency staff and supervisors (their
    session works in the API) and RDEC officers and administrators. The documentation itself is
    public, for connected systems' developers."""
    return is_oversight(user) or (_user_ok(user) and user.is_agency_member)


def can_manage_api_keys(user, obj=None) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_users(user, obj=None) -> bool:
    return has_role(user, Role.ADMIN)


def can_view_agency_work(user, obj=None) -> bool:
    """obj: an Agency, or any record with an `agency_id`."""
    agency_id = getattr(obj, "agency_id", None) if not isinstance(obj, Agency) else obj.pk
    return can_see_agency_work(user, agency_id)


def can_view_styleguide(user, obj=None) -> bool:
    """The design system's living style guide (/styleguide/): every signed-in member of staff
    (call agents, agency staff and supervisors, RDEC officers, administrators), not citizens."""
    return _user_ok(user) and (user.role != Role.CITIZEN or user.is_superuser)
