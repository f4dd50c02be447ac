"""Who is acting, and from where, for the current request, task or command.

Set by `RequestContextMiddleware` for pages, by the API authentication for API calls, and by
`acting_as()` in commands and background tasks. The audit trail reads it.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Acting:
    user: object | None = None
    ip_address: str | None = None


_current: ContextVar[Acting] = ContextVar("rdec_acting", default=Acting())  # noqa: B039


def current() -> Acting:
    return _current.get()


def set_current(user=None, ip_address: str | None = None):
    return _current.set(Acting(user=user, ip_address=ip_address))


def reset(token) -> None:
    _current.reset(token)


@contextlib.contextmanager
def acting_as(user=None, ip_address: str | None = None):
    """Attribute every audited change inside the block to `user` (a command or task's actor)."""
    token = set_current(user, ip_address or current().ip_address)
    try:
        yield
    finally:
        reset(token)
