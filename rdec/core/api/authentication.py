"""API keys for machines: `Authorization: Api-Key <key>` (and, for Open311, an `api_key` parameter).

Keys are stored hashed (djangorestframework-api-key); a revoked or expired key is refused. The call
then acts as the key's service user, scoped to the key's agency, and is audited as that user.

A key's scopes (`read_only`, `oversight`, see docs/security.md) travel with its user: a read-only
key is refused any write (403) here and at every other door that takes keys (Open311, CKAN, the
queued intake); an oversight key reads every agency's work as an RDEC officer does.

Checking a key against its stored hash costs a hash (about 0.7 ms), which connected systems pay
on every call; each process therefore remembers, for `API_KEY_CACHE_SECONDS` (30 by default; 0
turns it off), that a key matched its hash. What it never remembers is whether the key is still
usable: every call reads the key's row (revoked, expiry, scopes, its user's is_active) by primary
key, one indexed query, so a revocation, deactivation or change of scope made in any process is
obeyed by every process on the very next call. Only a digest of the key is kept, never the key.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from rdec.core import context
from rdec.core.middleware import client_ip
from rdec.core.models import APIKey

KEYWORD = "Api-Key"

_checked: dict[str, tuple[float, int, object]] = {}  # digest → (remember until, key id, user)
_checked_lock = threading.Lock()


def forget_checked_keys(**_kwargs) -> None:
    with _checked_lock:
        _checked.clear()


post_delete.connect(forget_checked_keys, sender=APIKey, dispatch_uid="api-key-cache-key-deleted")


def user_for_key(raw_key: str):
    """The active service user of a usable key, carrying the key's scopes, or None."""
    seconds = getattr(settings, "API_KEY_CACHE_SECONDS", 30)
    digest = hashlib.sha256(raw_key.encode()).hexdigest()
    hit = _checked.get(digest) if seconds > 0 else None
    if hit is not None and time.monotonic() < hit[0]:
        key_id, user = hit[1], copy.copy(hit[2])  # each request gets its own instance
    else:
        key = _matching_key(raw_key)
        if key is None:
            with _checked_lock:
                _checked.pop(digest, None)
            return None
        key_id, user = key.pk, key.user
        if seconds > 0:
            with _checked_lock:
                if len(_checked) > 10_000:  # a bound, not a working size: keys are few
                    _checked.clear()
                _checked[digest] = (time.monotonic() + seconds, key_id, copy.copy(user))
    return _if_still_usable(key_id, user)


def _matching_key(raw_key: str):
    """The key record whose hash `raw_key` matches (usable or not), or None."""
    prefix, _sep, _rest = raw_key.partition(".")
    key = APIKey.objects.select_related("user").filter(prefix=prefix).first()
    if key is None or not key.is_valid(raw_key):
        return None
    return key


def _if_still_usable(key_id, user):
    """`user` with the key's current scopes if the key is usable now (read from the database on
    every call, so a revocation anywhere is obeyed at once), else None."""
    row = (
        APIKey.objects.filter(pk=key_id, revoked=False, user__is_active=True)
        .values_list("expiry_date", "read_only", "oversight", "user__agency_id", "user__role")
        .first()
    )
    if row is None:
        return None
    expiry, read_only, oversight, agency_id, role = row
    if expiry is not None and expiry <= timezone.now():
        return None
    user.agency_id, user.role = agency_id, role
    user.__dict__["_api_scope"] = (read_only or oversight, oversight)
    user.__dict__.pop("_rdec_visible_agencies", None)
    return user


def refuse_write_reason(user, method: str) -> str | None:
    """Why `user` (an API key's) may not make a `method` request, or None when it may."""
    if method in ("GET", "HEAD", "OPTIONS") or not getattr(user, "api_read_only", False):
        return None
    return str(_("This API key is read-only: it may read but not change anything."))


def key_in_header(header: str) -> str | None:
    """The key of an `Authorization: Api-Key <key>` header ("" when it names none); None when the
    header is of another scheme."""
    scheme, _sep, raw = header.partition(" ")
    return raw.strip() if scheme.lower() == KEYWORD.lower() else None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        raw = key_in_header(authentication.get_authorization_header(request).decode("latin-1"))
        if raw is None:
            return None
        user = user_for_key(raw) if raw else None
        if user is None:
            raise exceptions.AuthenticationFailed(_("The API key is invalid, revoked or expired."))
        reason = refuse_write_reason(user, request.method)
        if reason:
            raise exceptions.PermissionDenied(reason)
        context.set_current(user, client_ip(request))
        return user, raw

    def authenticate_header(self, request):
        return KEYWORD
