"""The contracts API through HTTP: an agency registers a contract with its signed text (proposals
back), publishes it with the proposals accepted; the public list and page show the company and mask
a person (case 8), link the public copy only, and never serve the original to anonymous users;
a withheld annex is listed with its item and the rest published (case 9)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from rdec.core.services import create_api_key
from rdec.core.tests.factories import agency
from rdec.transparency.models import Art18Item, Contract
from rdec.transparency.services import documents
from rdec.transparency.tests import document_samples as s

pytestmark = pytest.mark.django_db

CONTRACTS = "/api/v1/transparency/contracts/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def staff(personas):
    """The construction bureau's staff (signed in: the session works in the API)."""
    client = APIClient()
    client.force_authenticate(personas.staff)
    return client


def form(**fields) -> dict:
    return {
        "title": "西屯區道路養護委託案",
        "supplier": s.COMPANY,
        "supplier_tax_id": s.TAX_ID,
        "supplier_is_person": "false",
        "award_amount": "4788000",
        "signed_on": "2025-03-05",
        "document": s.upload(s.contract_pdf()),
    } | fields


def register(client, **fields) -> dict:
    response = client.post(CONTRACTS, form(**fields), format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def published(staff):
    body = register(staff)
    response = staff.post(
        f"{CONTRACTS}{body['id']}/publish/", {"accept_proposed_redactions": True}, format="json"
    )
    assert response.status_code == 200, response.content
    return Contract.objects.get(pk=body["id"])


def test_registering_returns_the_proposed_redactions_to_the_agency(api, staff):
    body = register(staff)
    assert {(r["page"], r["text"], r["art18_item"]) for r in body["proposed_redactions"]} == {
        (1, value, 6) for value in s.WITHHELD
    }
    contract = Contract.objects.get(pk=body["id"])
    assert contract.agency.code == "construction"  # the caller's own agency
    assert contract.status == Contract.Status.REVIEW


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"supplier_tax_id": "1234"}, "supplier_tax_id"),
        ({"document": s.upload(b"just text, not a PDF", "x.pdf")}, "document"),
        ({"signed_on": "2025-02-30"}, "signed_on"),
        ({"title": ""}, "title"),
        ({"award_amount": "-5"}, "award_amount"),
        ({"agency": "no-such-agency"}, "agency"),
    ],
)
def test_bad_input_is_a_400_with_the_field(api, staff, fields, field):
    response = staff.post(CONTRACTS, form(**fields), format="multipart")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Contract.objects.exists()


def test_a_citizen_may_not_register_a_contract(api, personas):
    api.force_authenticate(personas.citizen)
    response = api.post(CONTRACTS, form(agency="construction"), format="multipart")
    assert response.status_code == 403


def test_an_agency_may_not_register_for_another(api, personas):
    api.force_authenticate(personas.other_staff)
    response = api.post(CONTRACTS, form(agency="construction"), format="multipart")
    assert response.status_code == 403


def test_anonymous_users_may_not_register(api):
    assert api.post(CONTRACTS, form(), format="multipart").status_code in (401, 403)


def test_only_the_agency_or_the_rdec_may_publish(api, staff, personas):
    body = register(staff)
    api.force_authenticate(personas.other_staff)
    response = api.post(f"{CONTRACTS}{body['id']}/publish/", {}, format="json")
    assert response.status_code == 404  # not published: its existence is not told
    assert Contract.objects.get(pk=body["id"]).status == Contract.Status.REVIEW


def test_drafts_and_contracts_in_review_are_not_public(api, staff):
    body = register(staff)
    assert api.get(CONTRACTS).json()["results"] == []
    assert api.get(f"{CONTRACTS}{body['id']}/").status_code == 404


def test_case_8_the_public_record_masks_the_person_and_shows_the_company(api, published):
    item = api.get(f"{CONTRACTS}{published.pk}/").json()
    assert item["supplier"] == s.COMPANY and item["supplier_tax_id"] == s.TAX_ID
    assert item["award_amount"] == "4788000" and item["budget_amount"] is None
    assert item["restriction"] == "partial" and item["art18_items"] == [6]
    [document] = item["documents"]
    assert document["redacted"] is True and "public.pdf" in document["url"]
    assert "original" not in str(item)
    for withheld in s.WITHHELD:
        assert withheld not in str(item)


def test_case_8_the_public_copy_has_none_of_the_personal_data(api, published):
    document = published.documents.get()
    response = api.get(f"/transparency/contracts/{published.pk}/documents/{document.pk}/public.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    by_pdfium, by_pypdf = s.texts(b"".join(response.streaming_content))
    assert not any(w in t for w in s.WITHHELD for t in (*by_pdfium, *by_pypdf))
    assert "履約期限" in by_pdfium[1]


def test_case_8_the_original_is_never_served_to_anonymous_users(api, published, personas):
    document = published.documents.get()
    url = f"/transparency/contracts/{published.pk}/documents/{document.pk}/original.pdf"
    assert api.get(url).status_code == 404
    api.force_login(personas.other_staff)
    assert api.get(url).status_code == 404
    api.force_login(personas.staff)
    response = api.get(url)
    assert response.status_code == 200
    assert s.PERSON_ID in "".join(s.texts(b"".join(response.streaming_content))[0])


def test_a_public_copy_is_not_served_before_publication(api, staff):
    body = register(staff)
    document = Contract.objects.get(pk=body["id"]).documents.get()
    url = f"/transparency/contracts/{body['id']}/documents/{document.pk}/public.pdf"
    assert api.get(url).status_code == 404


def test_a_natural_person_supplier_is_masked_and_has_no_tax_id(api, staff):
    body = register(staff, supplier="王大明", supplier_is_person="true", supplier_tax_id="")
    staff.post(f"{CONTRACTS}{body['id']}/publish/", {"accept_proposed_redactions": True}, format="json")
    item = api.get(f"{CONTRACTS}{body['id']}/").json()
    assert item["supplier"] == "王○明" and item["supplier_tax_id"] == ""
    assert "王大明" not in str(api.get(CONTRACTS, {"q": "王大明"}).json()["results"])


def test_q_matches_words_in_the_title_and_the_public_text_but_not_withheld_text(api, published):
    def ids(**query):
        return [c["id"] for c in api.get(CONTRACTS, query).json()["results"]]

    assert ids(q="道路養護") == [published.pk]
    assert ids(q="履約期限 決標次日") == [published.pk]  # inside the document
    assert ids(q=s.PERSON_ID) == []
    assert ids(q="不存在的字") == []


def test_agency_and_year_filter_the_list(api, published):
    def ids(**query):
        return [c["id"] for c in api.get(CONTRACTS, query).json()["results"]]

    assert ids(agency="construction", year=2025) == [published.pk]
    assert ids(agency="environment") == []
    assert ids(year=2024) == []
    assert api.get(CONTRACTS, {"agency": "nowhere"}).status_code == 400


def test_the_list_takes_a_fixed_number_of_queries(api, published, staff, personas, django_assert_num_queries):
    register(staff, title="第二案")
    documents.approve_and_publish(Contract.objects.get(title="第二案"), actor=personas.officer)
    with django_assert_num_queries(4):  # count, contracts with agencies, documents, redactions
        assert len(api.get(CONTRACTS).json()["results"]) == 2


def test_case_9_a_withheld_annex_is_listed_with_its_item_and_the_rest_published(api, staff, personas):
    body = register(staff)
    contract = Contract.objects.get(pk=body["id"])
    annex, _p = documents.add_document(
        contract, s.upload(s.annex_pdf()), kind="contractAnnexe", title="工作計畫書", actor=personas.staff
    )
    documents.withhold_document(
        annex, item=Art18Item.TRADE_SECRET, reason="單價分析表屬營業秘密", actor=personas.staff
    )
    staff.post(f"{CONTRACTS}{contract.pk}/publish/", {"accept_proposed_redactions": True}, format="json")
    item = api.get(f"{CONTRACTS}{contract.pk}/").json()
    signed, withheld = item["documents"]
    assert signed["url"] and not signed["withheld"]
    assert withheld == {
        "title": "工作計畫書",
        "kind": "contractAnnexe",
        "url": None,
        "redacted": False,
        "withheld": True,
        "art18_item": 7,
        "reason": "單價分析表屬營業秘密",
    }
    assert item["art18_items"] == [6, 7]
    url = f"/transparency/contracts/{contract.pk}/documents/{annex.pk}/public.pdf"
    assert api.get(url).status_code == 404


def test_an_agencys_api_key_registers_for_its_own_agency(api, personas):
    _key, raw = create_api_key(name="construction-contracts", agency=agency("construction"), actor=None)
    response = api.post(CONTRACTS, form(), format="multipart", headers={"Authorization": f"Api-Key {raw}"})
    assert response.status_code == 201
    assert Contract.objects.get(pk=response.json()["id"]).agency.code == "construction"
