"""Write use cases of core: one function each, atomic, permission-checked, audited."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.context import acting_as
from rdec.core.models import AGENCY_ROLES, Agency, APIKey, Role, User
from rdec.core.permissions import require


@transaction.atomic
def create_api_key(
    *,
    name: str,
    agency: Agency | None,
    actor: User | None,
    oversight: bool = False,
    read_only: bool = False,
    permission: str = "core.manage_api_keys",
    permission_obj=None,
) -> tuple[APIKey, str]:
    """A new machine key and its service user. Returns the key record and the key (shown once).

    Scopes: an `oversight` key reads every agency's work as an RDEC officer does and is always
    read-only (so it never writes across agencies); a `read_only` key never writes. `actor` None
    means the operating-system administrator at the console (`rdec create_api_key`).
    `permission` (on `permission_obj`): what the actor must be allowed, for a module that issues keys
    of its own scope (a poll's contractor key: `polls.manage_polls` on the poll).
    """
    if actor is not None:
        require(actor, permission, permission_obj)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the key a name.")})
    if oversight and agency is not None:
        raise ValidationError({"agency": _("An oversight key reads every agency's work: give it no agency.")})
    username = f"api.{slugify(name, allow_unicode=True) or 'key'}"[:150]
    if APIKey.objects.filter(name=name).exists() or User.objects.filter(username=username).exists():
        raise ValidationError({"name": _("A key named %(name)s already exists.") % {"name": name}})
    with acting_as(actor):
        service_user = User(username=username, display_name=name, role=Role.SYSTEM, agency=agency)
        service_user.set_unusable_password()
        service_user.save()
        key, raw = APIKey.objects.create_key(
            name=name, user=service_user, oversight=oversight, read_only=read_only or oversight
        )
    return key, raw


@transaction.atomic
def revoke_api_key(
    *, prefix: str, actor: User | None, permission: str = "core.manage_api_keys", permission_obj=None
) -> APIKey:
    if actor is not None:
        require(actor, permission, permission_obj)
    key = APIKey.objects.select_related("user").filter(prefix=prefix).first()
    if key is None:
        raise ValidationError({"prefix": _("No API key has the prefix %(prefix)s.") % {"prefix": prefix}})
    with acting_as(actor):
        key.revoked = True
        key.save(update_fields=["revoked"])
        key.user.is_active = False
        key.user.save(update_fields=["is_active"])
    return key


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None,
    role: str,
    agency: Agency | None = None,
    display_name: str = "",
    email: str = "",
    actor: User | None,
) -> User:
    if actor is not None:
        require(actor, "core.manage_users")
    if role not in Role.values or role == Role.SYSTEM:
        raise ValidationError({"role": _("Unknown role.")})
    if role in AGENCY_ROLES and agency is None:
        raise ValidationError({"agency": _("Agency staff and supervisors must belong to an agency.")})
    user = User(username=username, role=role, agency=agency, display_name=display_name, email=email)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    with acting_as(actor):
        user.full_clean()
        user.save()
        audit.record("user.created", user, role=role)
    return user
