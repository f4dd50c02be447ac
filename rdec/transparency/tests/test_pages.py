"""The public registers' pages: one search across contracts, MOUs and disclosure items (words inside the
texts), facets, filters validated (400), nothing unpublished or personal ever shown, CSV / JSON downloads
and Atom feeds."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from rdec.core.models import Agency
from rdec.transparency.models import Contract, DisclosureItem, Mou, MouParty

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def registers(db):
    works, culture = Agency.objects.order_by("sort_order", "code")[:2]
    now = timezone.now()
    published = Contract.objects.create(
        agency=works,
        ocid="ocds-tc1999-T1-001",
        title="臺中綠川水岸步道改善工程",
        supplier_name="大成營造股份有限公司",
        supplier_tax_id="12345678",
        budget_amount=None,  # not public
        award_amount=Decimal("4788000"),
        award_date=datetime.date(2025, 3, 5),
        signed_on=datetime.date(2025, 3, 20),
        status=Contract.Status.PUBLISHED,
        published_at=now,
        search_text="臺中綠川水岸步道改善工程 大成營造 透水鋪面 排水溝",
    )
    person = Contract.objects.create(
        agency=culture,
        ocid="ocds-tc1999-T1-002",
        title="市民講座講師委託",
        supplier_name="王大明",
        supplier_tax_id="87654321",
        supplier_is_person=True,
        award_amount=None,
        signed_on=datetime.date(2024, 6, 1),
        status=Contract.Status.PUBLISHED,
        published_at=now,
        search_text="市民講座講師委託",
    )
    draft = Contract.objects.create(
        agency=works,
        ocid="ocds-tc1999-T1-003",
        title="尚未公開之透水鋪面契約",
        supplier_name="秘密營造有限公司",
        status=Contract.Status.DRAFT,
        search_text="尚未公開之透水鋪面契約",
    )
    active = Mou.objects.create(
        number="MOU-114-0001",
        title="智慧路燈場域驗證合作備忘錄",
        summary="於西屯區試辦智慧路燈。",
        lead_agency=works,
        signed_on=datetime.date(2025, 1, 10),
        status=Mou.Status.ACTIVE,
        published_at=now,
        text="第一條 雙方同意於西屯區試辦透水鋪面與智慧路燈。",
        search_text="智慧路燈場域驗證合作備忘錄 於西屯區試辦智慧路燈。 第一條 雙方同意於西屯區試辦透水鋪面與智慧路燈。",
    )
    active.full_text.save("mou.pdf", ContentFile(b"%PDF-1.4\n% test\n"), save=True)
    MouParty.objects.create(mou=active, name="某大學", kind=MouParty.Kind.UNIVERSITY)
    hidden = Mou.objects.create(
        number="MOU-114-0002",
        title="與大陸地區城市交流備忘錄（報核中）",
        lead_agency=works,
        status=Mou.Status.UNDER_APPROVAL,
        search_text="透水鋪面 交流",
    )
    MouParty.objects.create(mou=hidden, name="某市", kind=MouParty.Kind.MAINLAND)
    item = DisclosureItem.objects.create(
        agency=culture,
        category=8,
        title="114年度採購契約彙整",
        methods=["online"],
        published_on=datetime.date(2025, 1, 1),
        updated_on=datetime.date(2025, 6, 1),
        search_text="114年度採購契約彙整 透水鋪面",
    )
    return {
        "published": published,
        "person": person,
        "draft": draft,
        "active": active,
        "hidden": hidden,
        "item": item,
        "works": works,
        "culture": culture,
    }


def test_one_search_finds_a_word_inside_texts_across_the_registers_but_never_drafts(client, registers):
    response = client.get(reverse("transparency:index"), {"q": "透水鋪面"})
    assert response.status_code == 200
    assert response.context["contract_count"] == 1  # the draft with the word is not public
    assert [c.pk for c in response.context["contracts"]] == [registers["published"].pk]
    assert [m.number for m in response.context["mous"]] == ["MOU-114-0001"]  # inside the full text
    assert [d.pk for d in response.context["disclosures"]] == [registers["item"].pk]
    html = response.content.decode()
    assert "尚未公開" not in html and "報核中" not in html and "秘密營造" not in html
    facets = response.context["facets"]
    assert {f["id"] for f in facets["agency"]} == {registers["works"].code, registers["culture"].code}
    assert {f["id"] for f in facets["year"]} == {2025}
    assert [f["id"] for f in facets["party_kind"]] == ["university"]


def test_a_bad_filter_is_a_field_error_not_a_500(client, registers):
    response = client.get(reverse("transparency:contract-list"), {"year": "二〇二五"})
    assert response.status_code == 400
    assert "year" in response.context["form"].errors
    response = client.get(reverse("transparency:mou-list"), {"status": "draft"})  # drafts are no filter
    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    response = client.get(reverse("transparency:export", args=["contracts", "json"]), {"agency": "999999"})
    assert response.status_code == 400
    assert "agency" in response.json()["errors"]


def test_contract_lists_filter_by_agency_year_and_type(client, registers):
    url = reverse("transparency:contract-list")
    ids = lambda r: [c.pk for c in r.context["page"]]  # noqa: E731
    assert set(ids(client.get(url))) == {registers["published"].pk, registers["person"].pk}
    assert ids(client.get(url, {"agency": registers["culture"].code})) == [registers["person"].pk]
    assert ids(client.get(url, {"year": 2025})) == [registers["published"].pk]
    assert ids(client.get(url, {"kind": "lease"})) == []


def test_a_hidden_amount_shows_not_public_and_a_natural_persons_name_is_masked(client, registers):
    page = client.get(reverse("transparency:contract-detail", args=[registers["published"].pk]))
    html = page.content.decode()
    assert 'data-testid="amount-hidden"' in html  # the budget: not public, not 0
    assert "4,788,000" in html
    assert "大成營造股份有限公司" in html and "12345678" in html  # a company: name and 統一編號 public
    page = client.get(reverse("transparency:contract-detail", args=[registers["person"].pk]))
    html = page.content.decode()
    assert "王大明" not in html and "87654321" not in html
    assert "王○明" in html
    listing = client.get(reverse("transparency:contract-list")).content.decode()
    assert "王大明" not in listing and "87654321" not in listing


def test_unpublished_records_are_not_found(client, registers):
    assert (
        client.get(reverse("transparency:contract-detail", args=[registers["draft"].pk])).status_code == 404
    )
    assert client.get(reverse("transparency:mou-detail", args=["MOU-114-0002"])).status_code == 404
    assert client.get(reverse("transparency:mou-full-text", args=["MOU-114-0002"])).status_code == 404
    listing = client.get(reverse("transparency:mou-list")).content.decode()
    assert "MOU-114-0002" not in listing and "MOU-114-0001" in listing


def test_a_published_mous_full_text_is_served(client, registers):
    response = client.get(reverse("transparency:mou-full-text", args=["MOU-114-0001"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_downloads_carry_the_filtered_rows_with_empty_hidden_amounts(client, registers):
    data = client.get(reverse("transparency:export", args=["contracts", "json"])).json()
    assert data["count"] == 2
    rows = {r["ocid"]: r for r in data["results"]}
    assert rows["ocds-tc1999-T1-001"]["budget_amount"] is None
    assert rows["ocds-tc1999-T1-001"]["award_amount"] == 4788000
    assert rows["ocds-tc1999-T1-002"]["supplier"] == "王○明"
    assert rows["ocds-tc1999-T1-002"]["supplier_tax_id"] == ""
    assert "ocds-tc1999-T1-003" not in rows
    csv = client.get(reverse("transparency:export", args=["mous", "csv"]), {"q": "智慧路燈"})
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("number,type,title")
    assert "MOU-114-0001" in text and "MOU-114-0002" not in text
    empty = client.get(reverse("transparency:export", args=["disclosures", "csv"]), {"q": "沒有這個字"})
    assert empty.content.decode("utf-8-sig").strip().startswith("id,agency,category")
    assert client.get("/transparency/contracts.xml").status_code == 404


def _feed(response):
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own feed


def test_atom_feeds_per_register_and_agency(client, registers):
    feed = _feed(client.get(reverse("transparency:contract-feed")))
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert set(titles) == {"臺中綠川水岸步道改善工程", "市民講座講師委託"}
    assert (
        b"\xe7\x8e\x8b\xe5\xa4\xa7\xe6\x98\x8e"
        not in client.get(reverse("transparency:contract-feed")).content
    )
    one = _feed(client.get(reverse("transparency:contract-feed"), {"agency": registers["culture"].code}))
    assert [e.findtext(f"{ATOM}title") for e in one.iter(f"{ATOM}entry")] == ["市民講座講師委託"]
    mous = _feed(client.get(reverse("transparency:mou-feed")))
    assert [e.findtext(f"{ATOM}title") for e in mous.iter(f"{ATOM}entry")] == ["智慧路燈場域驗證合作備忘錄"]
    items = _feed(client.get(reverse("transparency:disclosure-feed")))
    assert len(list(items.iter(f"{ATOM}entry"))) == 1
    assert client.get(reverse("transparency:mou-feed"), {"agency": "x"}).status_code == 404


def test_the_pages_answer_in_json_free_html_and_list_empty_registers(client, db):
    for name in ("index", "contract-list", "mou-list", "disclosure-list"):
        response = client.get(reverse(f"transparency:{name}"))
        assert response.status_code == 200
    assert json.loads(client.get(reverse("transparency:export", args=["mous", "json"])).content)["count"] == 0
