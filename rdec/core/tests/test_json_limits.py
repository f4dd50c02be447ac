"""Malformed and oversized JSON (issue 13, item 10): a body nested 100,000 levels deep answered 500
on the REST API (DRF's parser recursed until RecursionError) and on the queued intake; now 400 with
the reason, in zh-Hant by default, quickly. The depth scan itself is checked against the decoder."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from rdec.core import jsonlimits
from rdec.core.services import create_api_key

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"subject": ' + '{"a": ' * 5_000 + "1" + "}" * 5_000 + "}"


def _nest(depth: int) -> str:
    return "[" * depth + "]" * depth


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab,:'),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=20,
)


def _real_depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((_real_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_real_depth(v) for v in value.values()), default=0)
    return 0


@given(json_values)
def test_the_depth_scan_agrees_with_the_decoded_structure(value):
    text = json.dumps(value)
    assert jsonlimits.depth(text) == _real_depth(value)
    assert jsonlimits.loads(text, max_depth=64) == value


def test_the_limit_is_inclusive():
    assert jsonlimits.loads(_nest(32)) == json.loads(_nest(32))
    with pytest.raises(jsonlimits.JSONTooDeep):
        jsonlimits.loads(_nest(33))
    with pytest.raises(ValueError):  # callers that answer 400 for invalid JSON answer it for this too
        jsonlimits.loads(DEEP)


@pytest.fixture
def key(db):
    return create_api_key(name="partner", agency=None, actor=None)[1]


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["array", "object"])
@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/submissions/"])
def test_deeply_nested_json_on_the_rest_api_is_a_400_with_the_reason(db, key, path, body):
    started = time.monotonic()
    response = APIClient().post(
        path, body, content_type="application/json", headers={"Authorization": f"Api-Key {key}"}
    )
    assert response.status_code == 400, response.content[:200]
    assert "巢狀" in response.json()["detail"]
    assert time.monotonic() - started < 2


def test_the_reason_is_in_english_when_asked(db, key):
    response = APIClient().post(
        "/api/v1/cases/",
        DEEP,
        content_type="application/json",
        headers={"Authorization": f"Api-Key {key}", "Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_an_oversized_json_body_is_a_400(db, key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"subject": "坑洞", "description": "x" * 20_000})
    response = APIClient().post(
        "/api/v1/cases/", body, content_type="application/json", headers={"Authorization": f"Api-Key {key}"}
    )
    assert response.status_code == 400  # refused before it is read (Django's limit), or by the parser
    assert response.json()["detail"]


def test_nan_is_still_refused_and_ordinary_json_still_parsed(db, key):
    headers = {"Authorization": f"Api-Key {key}"}
    nan = APIClient().post("/api/v1/cases/", '{"lat": NaN}', content_type="application/json", headers=headers)
    assert nan.status_code == 400
    ordinary = APIClient().post(
        "/api/v1/cases/",
        json.dumps(
            {
                "category": "pothole",
                "subject": "路面坑洞",
                "description": "臺灣大道有坑洞",
                "lat": 24.1615,
                "lon": 120.6469,
            }
        ),
        content_type="application/json",
        headers=headers,
    )
    assert ordinary.status_code == 201, ordinary.content[:300]
