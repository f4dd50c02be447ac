"""The shared cache of anonymous public pages (RDEC_PUBLIC_PAGE_CACHE_SECONDS, rdec/core/page_cache.py):
off by default; when on, a public page is rendered once and served to the next anonymous visitor
with its security headers, while signed-in users, answers that set a cookie, POSTs and the
petitioner's tracking and rating pages are rendered every time."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rdec.core.models import Agency
from rdec.core.tests.public_cache_urls import CALLS
from rdec.petitions import tracking
from rdec.petitions.tests.factories import file

pytestmark = pytest.mark.django_db

rules = pytest.mark.urls("rdec.core.tests.public_cache_urls")

PUBLIC = ["/", "/en/", "/agencies/", "/opendata/", "/tracking/public/meetings/", "/calendar/"]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on(settings):
    settings.RDEC_PUBLIC_PAGE_CACHE_SECONDS = 30
    return settings


def _queries(client: Client, path: str, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    return len(captured.captured_queries), response


def _rename_first_agency() -> tuple[str, str]:
    agency = Agency.objects.order_by("id").first()
    old = agency.name
    agency.name = "快取測試改名局"
    agency.save(update_fields=["name"])
    return old, agency.name


def test_off_by_default_every_request_is_rendered(settings):
    assert settings.RDEC_PUBLIC_PAGE_CACHE_SECONDS == 0
    Client().get("/agencies/")
    old, new = _rename_first_agency()
    body = Client().get("/agencies/").content.decode()
    assert new in body


@pytest.mark.parametrize("path", PUBLIC)
def test_a_second_anonymous_visitor_is_served_from_the_cache(on, path):
    first = Client().get(path)
    assert first.status_code == 200 and not first.cookies
    count, second = _queries(Client(), path)
    assert count == 0
    assert second.status_code == 200
    assert second.content == first.content


def test_a_changed_row_shows_only_after_the_ttl(on, time_machine):
    time_machine.move_to("2026-12-07 10:00:00+08:00", tick=False)
    old, _ = _rename_first_agency()
    Client().get("/agencies/")
    agency = Agency.objects.order_by("id").first()
    agency.name = "快取之後才改的名"
    agency.save(update_fields=["name"])
    assert "快取之後才改的名" not in Client().get("/agencies/").content.decode()
    time_machine.move_to("2026-12-07 10:00:31+08:00", tick=False)
    assert "快取之後才改的名" in Client().get("/agencies/").content.decode()


def test_cached_answers_keep_the_security_and_language_headers(on):
    first = Client().get("/agencies/")
    for path, language in (("/agencies/", "zh-hant"), ("/en/agencies/", "en")):
        Client().get(path)
        count, cached = _queries(Client(), path)
        assert count == 0
        assert cached["Content-Language"] == language
        assert "script-src 'self'" in cached["Content-Security-Policy"]
        assert "'nonce-" not in cached["Content-Security-Policy"]
        assert "camera=()" in cached["Permissions-Policy"]
        assert cached["X-Frame-Options"] == "DENY"
        assert cached["X-Content-Type-Options"] == "nosniff"
    # no Expires / max-age: a browser asks again, so after signing in it never shows the cached page
    assert "Expires" not in first and "max-age" not in first.get("Cache-Control", "")


def test_languages_are_cached_apart(on):
    Client().get("/agencies/")
    english = Client().get("/en/agencies/")
    assert english["Content-Language"] == "en"
    assert 'lang="en"' in english.content.decode()


def test_signed_in_users_are_never_served_or_stored(on, personas):
    anonymous_page = Client().get("/").content.decode()
    staff = Client()
    staff.force_login(personas.staff)
    count, page = _queries(staff, "/")
    assert count > 0  # rendered for this user, not the anonymous copy
    assert page.content.decode() != anonymous_page
    assert 'data-testid="user-name"' in page.content.decode()
    # and the signed-in page was not stored for the next anonymous visitor
    assert 'data-testid="user-name"' not in Client().get("/").content.decode()


def test_a_signed_in_users_own_page_is_not_stored_either(on, personas):
    staff = Client()
    staff.force_login(personas.staff)
    staff.get("/agencies/")
    _old, new = _rename_first_agency()
    assert new in staff.get("/agencies/").content.decode()  # rendered again, not kept for them


def test_a_request_with_a_session_cookie_is_rendered(on):
    visitor = Client()
    visitor.cookies["sessionid"] = "not-a-real-session"
    visitor.get("/agencies/")
    _old, new = _rename_first_agency()
    assert new in visitor.get("/agencies/").content.decode()


def test_answers_that_set_a_cookie_are_never_stored(on):
    # the sign-in page carries a CSRF token and sets csrftoken: each visitor gets their own
    first = Client().get("/accounts/login/")
    assert "csrftoken" in first.cookies
    second = Client().get("/accounts/login/")
    assert "csrftoken" in second.cookies
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # also for a visitor already holding a csrftoken cookie (the token is set again on each form page)
    visitor = Client()
    visitor.get("/accounts/login/")
    again = visitor.get("/accounts/login/")
    assert "csrftoken" in again.cookies


def test_the_tracking_pages_are_never_cached(on, personas):
    case, _code = file(subject="快取測試陳情")
    link = reverse("petitions:track-link", args=[tracking.tracking_token(case)])
    first = Client().get(link)
    assert first.status_code == 200 and case.number in first.content.decode()
    count, second = _queries(Client(), link)
    assert count > 0
    assert "private" in second["Cache-Control"]
    count, _form = _queries(Client(), "/petitions/track/")
    assert "csrftoken" in _form.cookies  # the lookup form: rendered with a fresh token each time


def test_posts_are_never_served_from_the_cache(on):
    Client().get("/agencies/")
    with CaptureQueriesContext(connection) as captured:
        Client().post("/agencies/")
    assert len(captured.captured_queries) > 0  # the view ran; the cached GET answer was not replayed


def test_the_language_switch_works_without_a_token(on):
    """The header's language form carries no CSRF token (so public pages set no cookie); the switch
    only sets the language and redirects on this site."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/agencies/").content.decode()
    assert "csrfmiddlewaretoken" not in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/agencies/"})
    assert response.status_code == 302 and response["Location"] == "/en/agencies/"
    away = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert away.status_code == 302 and "evil.example" not in away["Location"]


def _calls(path: str, name: str, client: Client | None = None) -> int:
    before = CALLS.get(name, 0)
    for _ in range(2):
        (client or Client()).get(path)
    return CALLS.get(name, 0) - before


@rules
def test_a_plain_public_page_is_rendered_once(on):
    assert _calls("/t/plain/", "plain") == 1


@rules
def test_an_answer_setting_a_cookie_is_never_stored(on):
    assert _calls("/t/cookie/", "cookie") == 2


@rules
def test_an_answer_with_a_csp_nonce_is_never_stored(on):
    assert "'nonce-" in Client().get("/t/nonce/")["Content-Security-Policy"]
    assert _calls("/t/nonce/", "nonce") == 2


@rules
def test_only_html_is_stored(on):
    assert _calls("/t/json/", "json") == 2


@rules
def test_requests_with_an_authorization_header_are_rendered(on):
    assert _calls("/t/plain/", "plain", Client(HTTP_AUTHORIZATION="Api-Key x")) == 2


@rules
def test_signed_in_users_and_session_holders_are_never_served_from_or_stored_in_the_cache(on, personas):
    """Even for a page that does not read the session (so Vary: Cookie would not keep them apart)."""
    staff = Client()
    staff.force_login(personas.staff)
    assert _calls("/t/plain/", "plain", staff) == 2
    assert _calls("/t/plain/", "plain") == 1  # nothing of theirs was stored for the anonymous visitor
    holder = Client()
    holder.cookies["sessionid"] = "not-a-real-session"
    assert _calls("/t/plain/", "plain", holder) == 2
