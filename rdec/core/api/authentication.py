"""API keys for machines: `Authorization: Api-Key <key>` (and, for Open311, an `api_key` parameter).

Keys are stored hashed (djangorestframework-api-key); a revoked or expired key is refused. The call
then acts as the key's service user, scoped to the key's agency, and is audited as that user.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from rdec.core import context
from rdec.core.middleware import client_ip
from rdec.core.models import APIKey

KEYWORD = "Api-Key"


def user_for_key(raw_key: str):
    """The active service user of a usable key, or None."""
    prefix, _sep, _rest = raw_key.partition(".")
    key = APIKey.objects.get_usable_keys().select_related("user").filter(prefix=prefix).first()
    if key is None or not key.is_valid(raw_key):
        return None
    if key.revoked or key.has_expired or not key.user.is_active:
        return None
    return key.user


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() != KEYWORD.lower():
            return None
        raw = raw.strip()
        user = user_for_key(raw) if raw else None
        if user is None:
            raise exceptions.AuthenticationFailed(_("The API key is invalid, revoked or expired."))
        context.set_current(user, client_ip(request))
        return user, raw

    def authenticate_header(self, request):
        return KEYWORD
