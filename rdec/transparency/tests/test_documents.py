"""A contract's documents through the services: the upload checked and read, redactions proposed
(Art. 18 item 6), the public copy made on approval, a whole annex withheld but never the signed
contract (Art. 18 para 2, case 9)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rdec.core.tests.factories import agency
from rdec.transparency.models import Art18Item, Contract, ContractDocument, Redaction
from rdec.transparency.services import documents
from rdec.transparency.tests import document_samples as s

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_contract(**fields) -> Contract:
    values = {
        "agency": agency("construction"),
        "ocid": "ocds-test-1",
        "title": "西屯區道路養護委託案",
        "supplier_name": s.COMPANY,
        "supplier_tax_id": s.TAX_ID,
        "signed_on": datetime.date(2025, 3, 5),
    } | fields
    return Contract.objects.create(**values)


@pytest.fixture
def contract():
    return make_contract()


@pytest.fixture
def signed(contract, personas):
    doc, _proposals = documents.add_document(
        contract, s.upload(s.contract_pdf()), kind="contractSigned", title="契約書", actor=personas.staff
    )
    return doc


def test_it_reads_the_text_page_by_page_and_proposes_item_6_redactions(contract, personas):
    doc, proposals = documents.add_document(
        contract, s.upload(s.contract_pdf()), kind="contractSigned", title="契約書", actor=personas.staff
    )
    assert doc.pages == 2 and not doc.lacks_text
    assert doc.text.count("\f") == 1 and "履約期限" in doc.text.split("\f")[1]
    assert {(r.page, r.text) for r in proposals} == {(1, value) for value in s.WITHHELD}
    assert all(r.item == Art18Item.PRIVACY and r.proposed and not r.accepted and r.reason for r in proposals)
    assert doc.original.read().startswith(b"%PDF-")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.REVIEW


def test_a_scan_lacks_text_and_gets_no_proposal(contract, personas):
    doc, proposals = documents.add_document(
        contract, s.upload(s.scanned_pdf()), kind="contractSigned", title="掃描", actor=personas.staff
    )
    assert doc.lacks_text and doc.pages == 1 and proposals == []


def test_it_refuses_a_file_that_is_not_a_pdf(contract, personas):
    with pytest.raises(ValidationError) as error:
        documents.add_document(
            contract,
            s.upload(b"hello, world", "a.pdf"),
            kind="contractSigned",
            title="x",
            actor=personas.staff,
        )
    assert error.value.error_dict["document"][0].code == "file_type"


def test_it_refuses_a_pdf_over_the_size_limit(contract, personas, monkeypatch):
    monkeypatch.setattr(documents, "MAX_PDF_BYTES", 1000)
    with pytest.raises(ValidationError) as error:
        documents.add_document(
            contract, s.upload(s.contract_pdf()), kind="contractSigned", title="x", actor=personas.staff
        )
    assert error.value.error_dict["document"][0].code == "file_size"


def test_another_agencys_staff_may_not_add_a_document(contract, personas):
    with pytest.raises(PermissionDenied):
        documents.add_document(
            contract, s.upload(s.contract_pdf()), kind="contractSigned", title="x", actor=personas.other_staff
        )


def test_publishing_with_the_proposals_hides_the_persons_data_and_keeps_the_companys(signed, personas):
    contract = documents.approve_and_publish(signed.contract, actor=personas.staff, accept_proposed=True)
    signed.refresh_from_db()
    assert contract.status == Contract.Status.PUBLISHED and contract.published_at
    assert signed.approved_by == personas.staff and signed.approved_at
    for withheld in s.WITHHELD:
        assert withheld not in signed.public_text
        assert withheld not in contract.search_text
    assert s.COMPANY in signed.public_text and s.TAX_ID in signed.public_text
    assert s.COMPANY in contract.search_text
    by_pdfium, by_pypdf = s.texts(signed.public_copy.read())
    assert not any(w in t for w in s.WITHHELD for t in (*by_pdfium, *by_pypdf))
    assert "履約期限" in by_pypdf[1]
    assert signed.redacted


def test_without_accepting_the_proposals_the_copy_is_the_original(signed, personas):
    documents.approve_and_publish(signed.contract, actor=personas.staff)
    signed.refresh_from_db()
    assert not signed.redacted
    assert signed.public_text == signed.text


def test_a_natural_persons_name_is_masked_in_the_search_text(personas):
    contract = make_contract(
        ocid="ocds-test-2", supplier_name="王大明", supplier_tax_id="", supplier_is_person=True
    )
    documents.approve_and_publish(contract, actor=personas.officer)
    contract.refresh_from_db()
    assert "王大明" not in contract.search_text and "王○明" in contract.search_text


def test_the_signed_contract_cannot_be_withheld_in_full(signed, personas):
    with pytest.raises(ValidationError) as error:
        documents.withhold_document(
            signed, item=Art18Item.TRADE_SECRET, reason="附件含營業秘密", actor=personas.staff
        )
    assert error.value.error_dict["document"][0].code == "whole_contract"
    signed.refresh_from_db()
    assert not signed.withheld


def test_an_annex_is_withheld_with_its_item_and_the_rest_is_published(signed, personas):
    annex, _p = documents.add_document(
        signed.contract,
        s.upload(s.annex_pdf()),
        kind="contractAnnexe",
        title="工作計畫書",
        actor=personas.staff,
    )
    documents.withhold_document(
        annex, item=Art18Item.TRADE_SECRET, reason="單價分析表屬營業秘密", actor=personas.staff
    )
    contract = documents.approve_and_publish(signed.contract, actor=personas.staff, accept_proposed=True)
    annex.refresh_from_db()
    signed.refresh_from_db()
    assert annex.withheld and annex.withheld_item == Art18Item.TRADE_SECRET and not annex.public_copy
    assert signed.public_copy and contract.status == Contract.Status.PUBLISHED
    assert "營業秘密" not in contract.search_text


def test_withholding_every_document_of_a_contract_is_refused(contract, personas):
    annex, _p = documents.add_document(
        contract, s.upload(s.annex_pdf()), kind="contractAnnexe", title="附件", actor=personas.staff
    )
    with pytest.raises(ValidationError) as error:
        documents.withhold_document(
            annex, item=Art18Item.TRADE_SECRET, reason="營業秘密", actor=personas.staff
        )
    assert error.value.error_dict["document"][0].code == "all_documents"


def test_withholding_needs_an_item_and_a_reason(signed, personas):
    annex, _p = documents.add_document(
        signed.contract, s.upload(s.annex_pdf()), kind="contractAnnexe", title="附件", actor=personas.staff
    )
    with pytest.raises(ValidationError) as error:
        documents.withhold_document(annex, item=42, reason=" ", actor=personas.staff)
    assert set(error.value.error_dict) == {"item", "reason"}


def test_another_agency_may_not_publish(signed, personas):
    with pytest.raises(PermissionDenied):
        documents.approve_and_publish(signed.contract, actor=personas.other_staff, accept_proposed=True)
    assert not Redaction.objects.filter(accepted=True).exists()
    assert not ContractDocument.objects.exclude(public_copy="").exists()
