"""Weak passwords refused in production (with zh-Hant reasons), and HSTS with the HTTPS redirect
behind the TLS proxy."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from rdec.core.demo import DEMO_PASSWORD
from rdec.core.passwords import demo_passwords_allowed
from rdec.core.tests.factories import PASSWORD, UserFactory


def refused(password: str, user=None) -> list[str]:
    try:
        with translation.override("zh-hant"):
            validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaaaa", "少數字元重複"),
        ("qwertyuiopasdf", "鍵盤上相鄰的按鍵"),
        ("abcdefghijklmn", "依序排列的字母"),
        ("citizen-citizen", "同一個字詞重複"),
        ("Taichung-Taichung", "同一個字詞重複"),
        (DEMO_PASSWORD, "展示環境的密碼"),
    ],
)
def test_weak_and_published_passwords_are_refused_with_the_reason(settings, password, reason):
    settings.RDEC_DEMO = False
    messages = refused(password, UserFactory.build(username="citizen"))
    assert any(reason in m for m in messages), messages


@pytest.mark.django_db
def test_a_password_containing_the_username_is_refused():
    assert any(
        "帳號名稱" in m for m in refused("wang.daming-2026!", UserFactory.build(username="wang.daming"))
    )


@pytest.mark.parametrize(
    "password", [PASSWORD, "Taichung-1999-report", "correct horse battery staple", "綠川水岸散步道與柳川2026"]
)
def test_ordinary_good_passwords_pass(password):
    assert refused(password) == []


@given(
    unit=st.text(alphabet="abcdefghijkmnpqrstuvwxyz0123456789", min_size=1, max_size=6),
    times=st.integers(2, 6),
)
def test_any_piece_said_again_and_again_is_refused(unit, times):
    password = (unit * times * 12)[: max(12, len(unit) * times)]
    assert refused(password)


def test_the_demo_password_is_accepted_in_the_demo_only(settings):
    settings.RDEC_DEMO = False
    assert refused(DEMO_PASSWORD)
    with demo_passwords_allowed():  # while the demo makes its accounts
        assert refused(DEMO_PASSWORD) == []
    settings.RDEC_DEMO = True  # a demo installation (`rdec demo` marks its data dir)
    assert refused(DEMO_PASSWORD) == []


@pytest.mark.django_db
def test_the_password_page_refuses_a_repeated_word(client, personas):
    client.force_login(personas.citizen)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "citizen-citizen", "new_password2": "citizen-citizen"},
    )
    assert response.status_code in (200, 400)
    assert "同一個字詞重複" in response.content.decode()


# --- HSTS and the HTTPS redirect ---------------------------------------------------------------------------

TLS = {
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
}


@pytest.mark.django_db
@override_settings(**TLS)
def test_behind_tls_plain_http_is_redirected_and_https_answers_carry_hsts(client):
    response = client.get("/agencies/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/agencies/"
    response = client.get("/agencies/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
@override_settings(**TLS)
def test_the_health_check_is_not_redirected(client):
    assert client.get("/healthz").status_code in (200, 503)
