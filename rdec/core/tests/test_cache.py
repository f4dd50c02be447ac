"""The shared cache while Redis cannot be reached: a miss, never an error on the page (found by
bench/load_faults.py: with Redis stopped, the home page, the inbox and the API answered 500)."""

from __future__ import annotations

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db
UNREACHABLE = {
    "default": {
        "BACKEND": "rdec.core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_every_call_is_a_miss_while_redis_cannot_be_reached(settings):
    settings.CACHES = UNREACHABLE
    cache = caches["default"]
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    cache.set("k", 1, 30)
    cache.set_many({"a": 1}, 30)
    assert cache.add("k", 1, 30) is True
    assert cache.incr("k") == 1
    assert cache.touch("k", 30) is False
    cache.delete("k")
    cache.delete_many(["a"])


def test_pages_and_the_api_answer_while_redis_cannot_be_reached(settings, client, personas):
    from rdec.core import geo, workdays

    settings.CACHES = UNREACHABLE
    workdays.invalidate()  # the calendar and the boundaries ask the shared cache for their version
    geo.invalidate()
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/calendar/add-working-days/?start=2026-12-01&days=3").status_code in (
        200,
        401,
        403,
    )
    client.force_login(personas.staff)
    assert client.get("/petitions/inbox/").status_code == 200
    assert client.get("/api/v1/calendar/add-working-days/?start=2026-12-01&days=3").status_code == 200
