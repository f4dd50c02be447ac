"""API keys for machines: `Authorization: Api-Key <key>` (and, for Open311, an `api_key` parameter).

Keys are stored hashed (djangorestframework-api-key); a revoked or expired key is refused. The call
then acts as the key's service user, scoped to the key's agency, and is audited as that user.

Checking a key against its stored hash costs a query and a hash (about 0.7 ms), which connected
systems pay on every call; each process therefore remembers a key it has checked for
`API_KEY_CACHE_SECONDS` (30 by default; 0 turns it off). Revoking a key, deactivating its user or
changing either clears what this process remembers at once; other processes forget within those
seconds at most. Only a digest of the key is kept in memory, never the key.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from rdec.core import context
from rdec.core.middleware import client_ip
from rdec.core.models import APIKey, User

KEYWORD = "Api-Key"

_checked: dict[str, tuple[float, object, object]] = {}  # digest → (remember until, user, key expiry)
_checked_lock = threading.Lock()


def forget_checked_keys(**_kwargs) -> None:
    with _checked_lock:
        _checked.clear()


post_save.connect(forget_checked_keys, sender=APIKey, dispatch_uid="api-key-cache-key-saved")
post_delete.connect(forget_checked_keys, sender=APIKey, dispatch_uid="api-key-cache-key-deleted")


@receiver(post_save, sender=User, dispatch_uid="api-key-cache-user-saved")
def _user_saved(sender, instance, **kwargs):
    if _checked:
        forget_checked_keys()


def user_for_key(raw_key: str):
    """The active service user of a usable key, or None (remembered for a few seconds per process:
    see the module's docstring)."""
    seconds = getattr(settings, "API_KEY_CACHE_SECONDS", 30)
    if seconds <= 0:
        return _check_key(raw_key)[0]
    digest = hashlib.sha256(raw_key.encode()).hexdigest()
    hit = _checked.get(digest)
    if hit is not None:
        until, user, expiry = hit
        if time.monotonic() < until and (expiry is None or expiry > timezone.now()):
            return copy.copy(user)  # each request gets its own instance
        with _checked_lock:
            _checked.pop(digest, None)
    user, expiry = _check_key(raw_key)
    if user is not None:
        with _checked_lock:
            if len(_checked) > 10_000:  # a bound, not a working size: keys are few
                _checked.clear()
            _checked[digest] = (time.monotonic() + seconds, copy.copy(user), expiry)
    return user


def _check_key(raw_key: str):
    prefix, _sep, _rest = raw_key.partition(".")
    key = APIKey.objects.get_usable_keys().select_related("user").filter(prefix=prefix).first()
    if key is None or not key.is_valid(raw_key):
        return None, None
    if key.revoked or key.has_expired or not key.user.is_active:
        return None, None
    return key.user, key.expiry_date


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
        context.set_current(user, client_ip(request))
        return user, raw

    def authenticate_header(self, request):
        return KEYWORD
