"""Verified citizen accounts: proposing, supporting and commenting (participation) need a citizen
account whose phone (an SMS one-time code) and e-mail (a one-time code by mail) were verified."""

from __future__ import annotations

from rdec.core.models import Role


def is_verified_citizen(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.CITIZEN
        and user.phone_verified_at
        and user.email_verified_at
    )
