"""The queued intake's lane: POST /api/v1/submissions/ from a connected system, answered before
the rest of the middleware and URL routing.

Connected systems send submissions in bursts, and for such a request everything between
SecurityMiddleware and the view (static files, sessions, the user, messages, CSRF, login lockout,
URL routing, DRF's request cycle) does nothing: an API key, not a session, says who calls. This
middleware therefore sits right after SecurityMiddleware (which still redirects to HTTPS and adds
its headers to the answer) and answers the common case itself with `api.intake.accept`: the host
checked against ALLOWED_HOSTS, the language taken from Accept-Language as for any API call, and
the answer carrying the same headers as the ordinary way's (a test compares them). Anything else
— another path or method, a query string, no API key, a host not allowed, or whatever `accept`
leaves to the ordinary way — goes down the chain as any request does."""

from __future__ import annotations

from django.core.exceptions import DisallowedHost
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.utils.cache import patch_vary_headers

from rdec.core.middleware import activate_api_language

PATH = "/api/v1/submissions/"


class QueuedIntakeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.frame_options = XFrameOptionsMiddleware(get_response)

    def __call__(self, request):
        meta = request.META
        if (
            request.path_info != PATH
            or request.method != "POST"
            or not meta.get("HTTP_AUTHORIZATION", "").startswith("Api-Key ")
            or meta.get("QUERY_STRING")
        ):
            return self.get_response(request)
        try:
            request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # CommonMiddleware answers it, as for any request
        from rdec.petitions.api import intake

        language = activate_api_language(request)  # as ApiLanguageMiddleware does for any API call
        response = intake.accept(request)
        if response is None:
            return self.get_response(request)
        # the ordinary way's headers: DRF's Allow and Vary: Accept, the locale's, the session's
        # Vary (set there because the audit context reads the user), the length, X-Frame-Options
        response["Allow"] = "POST, OPTIONS"
        response["Content-Length"] = str(len(response.content))  # as CommonMiddleware sets it
        patch_vary_headers(response, ("Accept", "Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return self.frame_options.process_response(request, response)
