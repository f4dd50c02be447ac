"""GET /api/v1/programs/revitalisation/proposals/: the RDEC sees every proposal, a district office
its district's, others 403; approved 補助 and 投資 apart with their total; dockings; paged; a fixed
number of queries. The live sources of strategy plan 7-1-1 are registered."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from rdec.programs.tests.revitalisation_factories import (
    DONGSHI,
    HEPING,
    approve,
    file,
    office_user,
    revitalisation_call,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/programs/revitalisation/proposals/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def proposals(personas):
    call = revitalisation_call(personas.officer)
    ours = approve(file(call, personas.officer, code=DONGSHI), personas.officer)
    theirs = file(call, personas.officer, type="open_call", code=HEPING, title="和平部落創生")
    return ours, theirs


def test_the_rdec_lists_every_proposal_with_the_split_kept(personas, proposals):
    body = client_for(personas.officer).get(URL).json()
    assert body["count"] == 2
    row = next(r for r in body["results"] if r["district"]["code"] == DONGSHI)
    assert row["approved"] == {"subsidy": 12450000, "investment": 7230000, "total": 19680000}
    assert sorted((a["kind"], a["amount"]) for a in row["approvals"]) == [
        ("investment", 7230000),
        ("subsidy", 12450000),
    ]
    assert row["dockings"] == 1 and row["type"] == "district_office" and row["reference"] == "RV-0001"
    team = next(r for r in body["results"] if r["district"]["code"] == HEPING)
    assert team["district_office"] is None and team["type"] == "open_call"


def test_filters_by_towncode(personas, proposals):
    body = client_for(personas.officer).get(URL, {"district": HEPING}).json()
    assert [r["district"]["code"] for r in body["results"]] == [HEPING]


def test_a_district_office_sees_its_district_others_are_refused(personas, proposals):
    body = client_for(office_user(DONGSHI)).get(URL).json()
    assert [r["district"]["code"] for r in body["results"]] == [DONGSHI]
    assert client_for(personas.staff).get(URL).status_code == 403
    assert APIClient().get(URL).status_code in (401, 403)


def test_the_list_takes_a_fixed_number_of_queries(personas, proposals, django_assert_max_num_queries):
    client = client_for(personas.officer)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def test_the_live_sources_of_7_1_1_are_registered():
    from rdec.strategy.live import get_live_source

    assert get_live_source("programs.revitalisation_proposals") is not None
    assert get_live_source("programs.revitalisation_dockings") is not None


def test_a_bad_filter_is_a_400(personas, proposals):
    client = client_for(personas.officer)
    assert client.get(URL, {"district": "66000\x00"}).status_code == 400
    assert client.get(URL, {"type": "bogus"}).status_code == 400
