"""Login attempts (django-axes): locked by account **and** address, with two additions.

- Lockout per (username, address) after `LOGIN_FAILURE_LIMIT` failures (AXES_LOCKOUT_PARAMETERS):
  someone failing from one address never locks the account's owner out of another address.
- Password spraying: after `LOGIN_ADDRESS_FAILURE_LIMIT` failures from one address, whatever the
  usernames, that address may not sign in at all until the cool-off ends.
- An account failing from many addresses (`LOGIN_ACCOUNT_SLOWDOWN_FAILURES` in the cool-off, all
  addresses together) is slowed down: each further attempt on it waits
  `LOGIN_ACCOUNT_DELAY_SECONDS` before the password is checked. Its owner can still sign in. At
  most SLOWED_AT_ONCE attempts wait at a time in a process; more are answered as locked (429, try
  again), so an attack cannot tie up the workers with waiting.

The address is `rdec.core.net.client_ip` (AXES_CLIENT_IP_CALLABLE), never a forged header.
"""

from __future__ import annotations

import threading
import time

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(request, **filters) -> int:
    attempts = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request), **filters)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginAttemptHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """Axes compares this with LOGIN_FAILURE_LIMIT (per username and address); an address over
        its own limit counts as at that limit, whatever the username."""
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        limit = getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 20)
        if address and limit > 0 and _failures(request, ip_address=address) >= limit:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if self._slow_down(request, credentials):
            return False
        request.axes_locked_out = True  # answered with the lockout page (429): try again shortly
        return True

    def _slow_down(self, request, credentials) -> bool:
        """Wait before checking the password of an account under attack; False (answered as
        locked, 429) when this process already has SLOWED_AT_ONCE attempts waiting, so that the
        waiting itself can never occupy every worker."""
        threshold = getattr(settings, "LOGIN_ACCOUNT_SLOWDOWN_FAILURES", 10)
        delay = getattr(settings, "LOGIN_ACCOUNT_DELAY_SECONDS", 2.0)
        if threshold <= 0 or delay <= 0 or getattr(request, "_rdec_login_slowed", False):
            return True
        username = get_client_username(request, credentials)
        if not (username and _failures(request, username=username) >= threshold):
            return True
        request._rdec_login_slowed = True  # once per request, however often axes asks
        if not _waiting.acquire(blocking=False):
            return False
        try:
            time.sleep(delay)
        finally:
            _waiting.release()
        return True


SLOWED_AT_ONCE = 2  # per process: attempts waiting at the same time
_waiting = threading.BoundedSemaphore(SLOWED_AT_ONCE)
