"""View decorators shared by the modules."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required

from rdec.core.permissions import require


def permission_required(permission: str) -> Callable:
    """Sign-in first (redirect to the login page), then the permission "app.action" (403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            require(request.user, permission)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
