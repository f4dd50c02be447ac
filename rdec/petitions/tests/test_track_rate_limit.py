"""The tracking form past its rate limit answers 429 with the reason, whatever the body (found by
the hostile-input suite: a POST without form fields left the form unbound, and add_error on it
raised AttributeError, a 500)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_tracking_attempts_past_the_limit_answer_429_with_the_reason(client, settings):
    settings.RDEC_TRACK_RATE_LIMIT = 2
    cache.clear()
    data = {"number": "115-0000001", "code": "<script>window.__xss=1</script>"}
    for _ in range(2):
        assert client.post("/petitions/track/", data).status_code == 400
    response = client.post("/petitions/track/", data)
    assert response.status_code == 429
    assert "請於15分鐘後再試" in response.content.decode()
    assert b"<script>window.__xss" not in response.content
    # a body that is no form (JSON, an empty POST): the form is unbound, still a 429
    for body, kind in (('{"number": 1}', "application/json"), ("", "text/plain")):
        response = client.post("/petitions/track/", body, content_type=kind)
        assert response.status_code == 429
        assert "請於15分鐘後再試" in response.content.decode()
    cache.clear()
