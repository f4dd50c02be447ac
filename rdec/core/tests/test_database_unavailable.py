"""While the database is down (the load-and-faults bench restarted PostgreSQL under load), requests
answer 503 with Retry-After and a message in the user's language, never a 500."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db


def _database_down():
    return mock.patch.object(
        BaseDatabaseWrapper, "cursor", side_effect=OperationalError("server closed the connection")
    )


def test_a_page_answers_503_with_retry_after_in_zh_hant(client):
    client.raise_request_exception = False
    with _database_down():
        response = client.get("/agencies/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "系統暫時無法連線資料庫" in response.content.decode()


def test_the_api_answers_503_in_json_in_the_asked_language(client):
    client.raise_request_exception = False
    with _database_down():
        response = client.get("/api/v1/agencies/", headers={"accept-language": "en"})
    assert response.status_code == 503
    assert response.json()["detail"].startswith("The service cannot reach its database")


def test_other_errors_are_not_dressed_as_503(client):
    client.raise_request_exception = False
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=ValueError("a bug")):
        response = client.get("/agencies/")
    assert response.status_code == 500


def test_the_page_answers_again_once_the_database_is_back(client):
    client.raise_request_exception = False
    with _database_down():
        assert client.get("/agencies/").status_code == 503
    assert client.get("/agencies/").status_code == 200


def test_an_error_raised_in_a_middleware_outside_any_view_is_a_503_too(client):
    """The session is read by the middleware that records the acting user, before any view: the
    500 handler recognises the database's error there."""
    from django.contrib.sessions.backends.db import SessionStore

    client.raise_request_exception = False
    client.cookies["sessionid"] = "a" * 32
    with mock.patch.object(
        SessionStore, "load", side_effect=OperationalError("the database system is shutting down")
    ):
        response = client.get("/agencies/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
