"""The registers' public API: /api/v1/transparency/mous/ (published MOUs only, never a draft) and
/api/v1/transparency/disclosures/ (every agency's items, `stale` by today); bad filters → 400."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from rdec.core.tests.factories import agency
from rdec.transparency.services import disclosures as disclosure_services
from rdec.transparency.services import mous as mou_services
from rdec.transparency.tests.test_mous import minimal_pdf

pytestmark = pytest.mark.django_db

D = datetime.date
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
SIGNED = D(2025, 6, 1)
MOUS = "/api/v1/transparency/mous/"
DISCLOSURES = "/api/v1/transparency/disclosures/"
MOU_FIELDS = {
    "id",
    "number",
    "doc_type",
    "title",
    "summary",
    "agency",
    "agency_name",
    "parties",
    "signed_on",
    "term_start",
    "term_end",
    "status",
    "published_at",
    "full_text",
}
DISCLOSURE_FIELDS = {
    "id",
    "agency",
    "agency_name",
    "category",
    "category_label",
    "title",
    "summary",
    "methods",
    "url",
    "published_on",
    "updated_on",
    "restriction",
    "restriction_item",
    "stale",
}


def api() -> APIClient:
    return APIClient()


def pdf():
    return SimpleUploadedFile("mou.pdf", minimal_pdf(), content_type="application/pdf")


@pytest.fixture
def world(personas, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TAIPEI), tick=False)
    staff = personas.staff

    def mou(title, *, parties, steps, publish=False, signed_on=SIGNED):
        m = mou_services.create_mou(
            actor=staff,
            lead_agency=agency("construction"),
            title=title,
            summary="合作推動",
            parties=parties,
            term_start=D(2025, 6, 1),
            term_end=D(2028, 5, 31),
            full_text=pdf(),
        )
        for step in steps:
            mou_services.change_mou_status(
                m, status=step, actor=staff, signed_on=signed_on if step == "signed" else None
            )
        if publish:
            mou_services.publish_mou(m, actor=staff)
        return m

    company = {"name": "中部科技股份有限公司", "kind": "company", "region": "臺灣"}
    public = mou(
        "智慧路燈合作備忘錄", parties=[company], steps=["under_approval", "signed", "active"], publish=True
    )
    draft = mou("草擬中的備忘錄", parties=[company], steps=[])
    pending = mou("簽核中的備忘錄", parties=[company], steps=["under_approval"])
    unpublished = mou("未公開的備忘錄", parties=[company], steps=["under_approval", "signed"])
    items = [
        disclosure_services.save_disclosure_item(
            actor=staff,
            agency=agency("construction"),
            category=1,
            title="臺中市建築管理自治條例",
            methods=["gazette", "online"],
            url="https://lawsearch.taichung.gov.tw/",
            published_on=D(2024, 1, 5),
            updated_on=D(2024, 1, 5),
        ),
        disclosure_services.save_disclosure_item(
            actor=personas.other_staff,
            agency=agency("environment"),
            category=5,
            title="環保局業務統計",
            methods=["online"],
            published_on=D(2025, 12, 1),
            updated_on=D(2025, 12, 1),
        ),
        disclosure_services.save_disclosure_item(
            actor=staff,
            agency=agency("construction"),
            category=8,
            title="某工程契約附件",
            summary="內含廠商報價明細",
            methods=["online"],
            url="https://example.gov.tw/secret",
            published_on=D(2025, 12, 1),
            updated_on=D(2025, 12, 1),
            restriction="withheld",
            restriction_item=7,
            restriction_reason="營業秘密",
        ),
    ]
    return type(
        "World",
        (),
        {"public": public, "draft": draft, "pending": pending, "unpublished": unpublished, "items": items},
    )


def test_the_mou_list_shows_published_mous_only(world, django_assert_num_queries):
    with django_assert_num_queries(3):  # count, rows with the agency, parties
        body = api().get(MOUS).json()
    assert [r["number"] for r in body["results"]] == [world.public.number]
    row = body["results"][0]
    assert set(row) == MOU_FIELDS
    assert row["parties"] == [{"name": "中部科技股份有限公司", "kind": "company", "region": "臺灣"}]
    assert (row["status"], row["agency"], row["signed_on"]) == ("active", "construction", "2025-06-01")
    assert row["full_text"].startswith("http://testserver/") and row["full_text"].endswith(".pdf")


@pytest.mark.parametrize("which", ["draft", "pending", "unpublished"])
def test_the_api_never_shows_a_draft_an_mou_under_approval_or_an_unpublished_one(world, which, personas):
    hidden = getattr(world, which)
    client = api()
    client.force_authenticate(personas.staff)  # not even to its own agency: the API is the public register
    numbers = [r["number"] for r in client.get(MOUS, {"q": hidden.title}).json()["results"]]
    assert numbers == []
    assert client.get(f"{MOUS}{hidden.pk}/").status_code == 404
    assert api().get(f"{MOUS}{world.public.pk}/").status_code == 200


def test_the_mou_filters(world):
    def numbers(**params):
        response = api().get(MOUS, params)
        assert response.status_code == 200
        return [r["number"] for r in response.json()["results"]]

    assert numbers(q="路燈") == [world.public.number]
    assert numbers(q="草擬") == []
    assert numbers(status="active", agency="construction", party_kind="company", year=114) == [
        world.public.number
    ]
    assert numbers(year=2024) == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "draft"},
        {"status": "under_approval"},
        {"party_kind": "alien"},
        {"year": "x"},
        {"q": "字" * 101},
    ],
)
def test_bad_mou_filters_are_400(world, params):
    response = api().get(MOUS, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)


def test_the_disclosure_list_with_stale_items(world, django_assert_num_queries):
    with django_assert_num_queries(2):  # count, rows with the agency (the rule table is per process)
        body = api().get(DISCLOSURES).json()
    rows = {r["title"]: r for r in body["results"]}
    assert set(rows) == {"臺中市建築管理自治條例", "環保局業務統計", "某工程契約附件"}
    law = rows["臺中市建築管理自治條例"]
    assert set(law) == DISCLOSURE_FIELDS
    assert (law["category"], law["methods"], law["agency"]) == (1, ["gazette", "online"], "construction")
    assert law["stale"] is True  # 2024-01-05 + 12 months < 2026-03-02
    assert rows["環保局業務統計"]["stale"] is False


def test_a_withheld_item_is_listed_without_its_content(world):
    row = next(r for r in api().get(DISCLOSURES, {"category": 8}).json()["results"])
    assert (row["restriction"], row["restriction_item"]) == ("withheld", 7)
    assert (row["summary"], row["url"]) == ("", None)


def test_the_disclosure_filters(world):
    def titles(**params):
        response = api().get(DISCLOSURES, params)
        assert response.status_code == 200
        return [r["title"] for r in response.json()["results"]]

    assert titles(agency="environment") == ["環保局業務統計"]
    assert titles(category=1) == ["臺中市建築管理自治條例"]
    assert titles(agency="environment", category=1) == []
    assert titles(q="自治條例") == ["臺中市建築管理自治條例"]


@pytest.mark.parametrize("params", [{"category": "11"}, {"category": "x"}, {"agency": "a" * 41}])
def test_bad_disclosure_filters_are_400(world, params):
    response = api().get(DISCLOSURES, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)
