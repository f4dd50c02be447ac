"""Pages: who may see what, login and lockout, language, ROC dates."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from rdec.core.templatetags.rdec import roc, roc_short
from rdec.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/agencies/", "/districts/", "/districts/66000060/", "/calendar/", "/accounts/login/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_render_in_traditional_chinese(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="zh-Hant">' in response.content.decode()


@pytest.mark.parametrize("path", ["/en/", "/en/agencies/", "/en/calendar/"])
def test_english_pages_live_under_en(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_the_language_switch_sets_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/agencies/"})
    assert response["Location"] == "/en/agencies/"
    response = client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/agencies/"})
    assert response["Location"] == "/agencies/"


@pytest.mark.parametrize("path", ["/audit/", "/accounts/password/"])
def test_pages_needing_login_send_anonymous_visitors_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_logging_in_with_the_right_password_shows_the_home_page_with_the_role(client, personas):
    response = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and response.context["user"] == personas.staff
    assert "建設局" in page


def test_a_wrong_password_is_refused_with_a_message(client, personas):
    response = client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert response.context["form"].non_field_errors()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_for_the_right_password(client, personas):
    for _ in range(3):
        client.post("/accounts/login/", {"username": "staff", "password": "wrong"}, REMOTE_ADDR="203.0.113.5")
    response = client.post(
        "/accounts/login/", {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="203.0.113.5"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, personas):
    client.force_login(personas.staff)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_enforces_the_password_rules(client, personas):
    client.force_login(personas.staff)
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def test_the_resolver_page_answers_with_district_and_village(client):
    response = client.get("/districts/resolve/", {"lat": 24.1615, "lon": 120.6469})
    assert "西屯區 惠來里" in response.content.decode()


def test_the_resolver_page_explains_bad_input(client):
    response = client.get("/districts/resolve/", {"lat": "abc"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"lat", "lon"}


def test_the_calendar_page_marks_days_off_and_computes_working_days(client):
    response = client.get("/calendar/", {"year": 2026, "month": 2, "start": "2026-02-13", "days": 1})
    page = response.content.decode()
    assert "春節" in page or "農曆除夕" in page
    assert "115年2月23日" in page


def test_the_calendar_calculator_explains_a_date_beyond_the_calendar(client):
    response = client.get("/calendar/", {"start": "2031-01-02", "days": 1}, HTTP_HX_REQUEST="true")
    # The calendar's last day as people read it (ROC), not 2027-12-31.
    assert "116年12月31日" in response.content.decode()


def test_an_unknown_page_is_a_404_page_in_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="zh-Hant">' in response.content.decode()


def test_roc_dates():
    assert roc(datetime.date(2022, 3, 7)) == "111年3月7日"
    assert roc_short(datetime.date(2022, 3, 7)) == "111/03/07"


def test_the_language_form_offers_the_path_without_its_prefix(client):
    page = client.get("/en/agencies/").content.decode()
    assert '<input name="next" type="hidden" value="/agencies/">' in page
