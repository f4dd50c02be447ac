"""URLs for rdec/core/tests/test_public_cache.py: the site's URLs plus views that exercise each rule
of the public page cache (a counter per view tells whether it ran or the cache answered)."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.urls import path

from rdec import urls as rdec_urls

CALLS: dict[str, int] = {}


def _counted(name, make):
    def view(request):
        CALLS[name] = CALLS.get(name, 0) + 1
        return make(request)

    return view


def _with_nonce(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}" src="/static/x.js"></script>')


def _with_cookie(request):
    response = HttpResponse("<p>hello</p>")
    response.set_cookie("visited", "1")
    return response


urlpatterns = [
    path("t/plain/", _counted("plain", lambda r: HttpResponse("<p>plain</p>"))),
    path("t/nonce/", _counted("nonce", _with_nonce)),
    path("t/cookie/", _counted("cookie", _with_cookie)),
    path("t/json/", _counted("json", lambda r: JsonResponse({"a": 1}))),
    *rdec_urls.urlpatterns,
]
