"""Open311 POST's Idempotency-Key belongs to the client that sent it (issue 13, item 6): two
connected systems may choose the same key; the second must neither be told the first one's request
nor have its own report silently dropped."""

from __future__ import annotations

import pytest
from django.test import Client

from rdec.core.services import create_api_key
from rdec.petitions.models import Case

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.json"
XITUN = {"lat": "24.1615", "long": "120.6469"}


def _post(key: str, idempotency_key: str, description: str):
    data = {"api_key": key, "service_code": "pothole", "description": description, **XITUN}
    return Client().post(URL, data, headers={"Idempotency-Key": idempotency_key})


def test_a_retry_by_the_same_client_is_the_same_request_and_another_clients_key_is_a_409():
    first = create_api_key(name="system-a", agency=None, actor=None)[1]
    second = create_api_key(name="system-b", agency=None, actor=None)[1]
    created = _post(first, "order-1", "坑洞 A")
    retried = _post(first, "order-1", "坑洞 A")
    assert (created.status_code, retried.status_code) == (201, 200)
    number = created.json()[0]["service_request_id"]
    assert retried.json()[0]["service_request_id"] == number

    other = _post(second, "order-1", "坑洞 B")
    assert other.status_code == 409
    assert number not in other.content.decode()
    assert "Idempotency-Key" in other.json()[0]["description"]
    assert Case.objects.count() == 1
    assert _post(second, "order-2", "坑洞 B").status_code == 201
