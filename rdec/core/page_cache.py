"""Opt-in shared cache for anonymous public HTML pages (RDEC_PUBLIC_PAGE_CACHE_SECONDS, 0 = off).

Django's two-part cache middleware, narrowed to what is safe to share between visitors:

- ``FetchFromPublicPageCacheMiddleware`` (last in MIDDLEWARE, so the language is active and the user
  known) looks a GET/HEAD up only for a request without a session cookie, without an Authorization
  header and from an anonymous user. The key is Django's: the absolute URL, the language and the
  headers the response varies on (Cookie when the page read the session, Accept-Language).
- ``UpdatePublicPageCacheMiddleware`` (first in MIDDLEWARE, so the stored answer carries the
  Content-Security-Policy, Permissions-Policy and the other security headers) stores a 200 only
  when it is HTML, sets no cookie at all (a CSRF-bearing form re-sets csrftoken, so it is never
  shared), is not marked private/no-cache/no-store (``never_cache`` on the tracking, rating and
  filing pages), does not vary on ``*`` and has no CSP nonce in its policy.

Unlike Django's UpdateCacheMiddleware it adds no Expires or max-age to the answer: browsers keep
asking, so a visitor who signs in never sees the anonymous page again from their own cache.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import get_max_age, has_vary_header, learn_cache_key

KEY_PREFIX = "public-page"
NO_STORE = ("private", "no-cache", "no-store")


def cache_seconds() -> int:
    return int(getattr(settings, "RDEC_PUBLIC_PAGE_CACHE_SECONDS", 0) or 0)


def _anonymous_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or request.headers.get("Authorization"):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


class FetchFromPublicPageCacheMiddleware(FetchFromCacheMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.key_prefix = KEY_PREFIX

    def process_request(self, request):
        if cache_seconds() <= 0 or not _anonymous_request(request):
            request._cache_update_cache = False
            return None
        return super().process_request(request)


class UpdatePublicPageCacheMiddleware(UpdateCacheMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.key_prefix = KEY_PREFIX

    def _storable(self, request, response) -> bool:
        if not self._should_update_cache(request, response) or not _anonymous_request(request):
            return False
        if response.streaming or response.status_code != 200 or response.cookies:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(directive in cache_control for directive in NO_STORE) or get_max_age(response) == 0:
            return False
        if has_vary_header(response, "*"):
            return False
        policies = response.get("Content-Security-Policy", "") + response.get(
            "Content-Security-Policy-Report-Only", ""
        )
        return "'nonce-" not in policies

    def process_response(self, request, response):
        timeout = cache_seconds()
        if timeout <= 0 or not self._storable(request, response):
            return response
        cache_key = learn_cache_key(request, response, timeout, self.key_prefix, cache=self.cache)
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response.add_post_render_callback(lambda r: self.cache.set(cache_key, r, timeout))
        else:
            self.cache.set(cache_key, response, timeout)
        return response
