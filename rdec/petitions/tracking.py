"""Case numbers' secret tracking codes and the signed links sent to petitioners (tracking, rating)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core import signing

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RATING_SALT = "rdec.petitions.rating"
TRACK_SALT = "rdec.petitions.track"
RATING_LINK_DAYS = 30


def hash_code(number: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{number}:{code}".encode(), hashlib.sha256).hexdigest()


def check_tracking_code(case, code: str) -> bool:
    return hmac.compare_digest(case.tracking_code_hash, hash_code(case.number, code.strip().upper()))


def tracking_token(case) -> str:
    return signing.dumps({"c": case.pk}, salt=TRACK_SALT)


def case_from_tracking_token(token: str):
    try:
        data = signing.loads(token, salt=TRACK_SALT)
    except signing.BadSignature:
        return None
    from rdec.petitions.models import Case

    return Case.objects.filter(pk=data.get("c")).first()


def rating_token(case) -> str:
    return signing.dumps(
        {"c": case.pk, "r": case.replied_at.isoformat() if case.replied_at else ""}, salt=RATING_SALT
    )
