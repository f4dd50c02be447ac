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
    its Idempotency-Key) is safe, and /healthz says `degraded: ["database"]` meanwhile. Django drops
    the broken connection when the request finishes, so the next request opens a fresh one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from rdec.core.errors import database_unavailable_response, is_database_unavailable

        if not is_database_unavailable(exception):
            return None
        return database_unavailable_response(request)
