"""GET /api/v1/documents/kpis/?month=YYYY-MM: scoped KPIs, zh-Hant 400 on a bad month."""

from __future__ import annotations

import pytest

from rdec.documents.tests.factories import document

pytestmark = pytest.mark.django_db
URL = "/api/v1/documents/kpis/"


@pytest.fixture
def data():
    document("construction", received="2026-03-02", closed="2026-03-03")
    document("construction", received="2026-02-12", closed="2026-03-03")  # late
    document("environment", received="2026-03-02", closed="2026-03-02")


def test_the_rdec_gets_every_agency_with_its_kpis(client, personas, data):
    client.force_login(personas.officer)
    body = client.get(URL, {"month": "2026-03"}).json()
    construction = next(r for r in body["results"] if r["agency"]["code"] == "construction")
    assert body["month"] == "2026-03" and len(body["results"]) == 71
    assert {k: construction[k] for k in ("closed", "overdue", "overdue_ratio", "avg_days", "on_time_rate", "pending")} == {
        "closed": 2, "overdue": 1, "overdue_ratio": 50.0, "avg_days": 4.0, "on_time_rate": 50.0, "pending": 0,
    }  # fmt: skip
    assert construction["agency"] == {
        "code": "construction",
        "name": "臺中市政府建設局",
        "short_name": "建設局",
    }
    assert construction["flagged"] is True and construction["rank"] == 2


def test_agency_staff_get_their_own_agency_only(client, personas, data):
    client.force_login(personas.staff)
    body = client.get(URL, {"month": "2026-03"}).json()
    assert [r["agency"]["code"] for r in body["results"]] == ["construction"]


@pytest.mark.parametrize("month", ["2026-13", "2026/03", "march", "0000-01"])
def test_a_bad_month_is_a_400_in_chinese(client, personas, month):
    client.force_login(personas.officer)
    response = client.get(URL, {"month": month}, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 400
    assert "month" in response.json()["errors"]


def test_citizens_get_403(client, personas):
    client.force_login(personas.citizen)
    assert client.get(URL).status_code == 403


def test_the_kpis_take_a_fixed_number_of_queries(client, personas, data, django_assert_max_num_queries):
    client.force_login(personas.officer)
    with django_assert_max_num_queries(8):
        assert client.get(URL, {"month": "2026-03"}).status_code == 200
