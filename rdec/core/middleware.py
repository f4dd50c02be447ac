from __future__ import annotations

from rdec.core import context
from rdec.core.net import client_ip  # the one client-address helper (TRUSTED_PROXIES)


class RequestContextMiddleware:
    """Records the acting user and client address for the audit trail of this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        token = context.set_current(user, client_ip(request))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


class ApiLanguageMiddleware:
    """The API and Open311 follow Accept-Language (pages follow the URL prefix: /en/ for English)."""

    prefixes = ("/api/", "/open311/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.prefixes):
            activate_api_language(request)
        return self.get_response(request)


def activate_api_language(request) -> str:
    """The language an API call asked for with Accept-Language (not the URL), made active."""
    from django.utils import translation

    translation.activate(translation.get_language_from_request(request, check_path=False))
    request.LANGUAGE_CODE = translation.get_language()
    return request.LANGUAGE_CODE


class RejectNulCharactersMiddleware:
    """A NUL character in the query string is never valid input (PostgreSQL cannot even store or
    compare it): answer 400 with a clear message instead of failing deep in a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for values in request.GET.lists() for value in [values[0], *values[1]]):
            from django.utils.translation import gettext as _

            from rdec.core.errors import bad_request_response

            return bad_request_response(
                request, _("The address contains a character that is not allowed (NUL).")
            )
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached (a restart, a failover, a lost connection), answer 503
    with Retry-After instead of a 500: the client — a browser, an Open311 or CKAN client, the
    intake of a partner system — learns the service is briefly unavailable and that a retry (with
    its Idempotency-Key) is safe, and /healthz says `degraded: ["database"]` meanwhile. The broken
    connection is dropped so that the next request opens a fresh one."""

    retry_after_seconds = 10
    json_prefixes = ("/api/", "/open311/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        import logging

        from django.db import InterfaceError, OperationalError, connections
        from django.http import HttpResponse, JsonResponse
        from django.utils.translation import gettext as _

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
        # The exception's type only: a driver's message can quote the statement and its values.
        logging.getLogger("rdec.database").warning(
            "database unavailable: %s on %s %s", type(exception).__name__, request.method, request.path
        )
        message = _("The service cannot reach its database just now. Please try again in a moment.")
        if request.path.startswith(self.json_prefixes) or "json" in request.headers.get("Accept", ""):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(
                f'<!doctype html><meta charset="utf-8"><title>503</title><p>{message}</p>',
                status=503,
                content_type="text/html; charset=utf-8",
            )
        response["Retry-After"] = str(self.retry_after_seconds)
        return response
