"""The agencies' side: register a contract with its signed PDF, review the proposed redactions, publish
the public copy; the worklist of overdue publications; who may do it."""

from __future__ import annotations

import datetime
import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from weasyprint import HTML

from rdec.transparency.models import Contract, Mou, Redaction

pytestmark = pytest.mark.django_db

ID_NUMBER = "A123456789"
MOBILE = "0912-345-678"


def contract_pdf() -> bytes:
    html = f"""<html><body style="font-family: 'Noto Sans CJK TC'">
    <h1>臺中市政府勞務採購契約</h1>
    <p>立契約人：大成營造股份有限公司（統一編號 12345678）</p>
    <p>連絡人：陳小明，身分證字號 {ID_NUMBER}，手機 {MOBILE}。</p>
    <p>第一條 契約標的：綠川水岸透水鋪面維護。</p></body></html>"""
    return HTML(string=html).write_pdf()


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def register(client, agency_id, **extra):
    data = {
        "agency": agency_id,
        "title": "綠川水岸透水鋪面維護契約",
        "kind": "procurement",
        "supplier_name": "大成營造股份有限公司",
        "supplier_tax_id": "12345678",
        "award_amount": "4788000",
        "signed_on": "2025-03-20",
        "document": SimpleUploadedFile("contract.pdf", contract_pdf(), content_type="application/pdf"),
        **extra,
    }
    return client.post(reverse("transparency:manage-contract-new"), data)


def test_an_agency_registers_reviews_and_publishes_and_the_public_copy_holds_no_personal_data(
    client, personas
):
    staff = personas.staff
    client.force_login(staff)
    response = register(client, staff.agency_id)
    assert response.status_code == 302
    contract = Contract.objects.get(title="綠川水岸透水鋪面維護契約")
    assert contract.status == Contract.Status.REVIEW and contract.agency_id == staff.agency_id
    review = client.get(reverse("transparency:manage-contract", args=[contract.pk]))
    html = review.content.decode()
    assert ID_NUMBER in html  # the agency sees what it is about to withhold
    proposed = {r.text for r in Redaction.objects.filter(document__contract=contract)}
    assert any(ID_NUMBER in t for t in proposed) and any("0912" in t for t in proposed)
    assert not any("12345678" == t for t in proposed)  # a company's 統一編號 is not personal data
    ids = list(Redaction.objects.filter(document__contract=contract).values_list("pk", flat=True))
    response = client.post(reverse("transparency:manage-contract", args=[contract.pk]), {"accept": ids})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.PUBLISHED and contract.published_at
    client.logout()
    # an anonymous visitor finds it by a word inside its text and downloads the public copy
    found = client.get(reverse("transparency:index"), {"q": "透水鋪面"})
    assert [c.pk for c in found.context["contracts"]] == [contract.pk]
    document = contract.documents.get()
    public = client.get(reverse("transparency:document-public", args=[contract.pk, document.pk]))
    assert public.status_code == 200
    text = pdf_text(b"".join(public.streaming_content) if public.streaming else public.content)
    assert ID_NUMBER not in text and "0912" not in text and "345-678" not in text
    assert client.get(
        reverse("transparency:document-original", args=[contract.pk, document.pk])
    ).status_code in (
        403,
        404,
    )
    detail = client.get(reverse("transparency:contract-detail", args=[contract.pk])).content.decode()
    assert 'data-testid="withheld-note"' in detail and ID_NUMBER not in detail


def test_bad_input_is_answered_on_the_form_and_nothing_is_stored(client, personas):
    client.force_login(personas.staff)
    response = register(client, personas.staff.agency_id, supplier_tax_id="1234", signed_on="2025-02-30")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "supplier_tax_id" in errors and "signed_on" in errors
    not_pdf = SimpleUploadedFile("contract.pdf", b"hello, not a pdf", content_type="application/pdf")
    response = register(client, personas.staff.agency_id, document=not_pdf)
    assert response.status_code == 400
    assert "document" in response.context["form"].errors
    assert not Contract.objects.exists()


def test_only_the_agency_and_the_rdec_manage_and_staff_register_only_for_their_agency(client, personas):
    client.force_login(personas.citizen)
    assert client.get(reverse("transparency:manage")).status_code == 403
    assert client.get(reverse("transparency:manage-contract-new")).status_code == 403
    client.force_login(personas.other_staff)  # 環保局 staff cannot register for 建設局
    response = register(client, personas.staff.agency_id)
    assert response.status_code == 400 and "agency" in response.context["form"].errors
    client.force_login(personas.staff)
    register(client, personas.staff.agency_id)
    contract = Contract.objects.get()
    client.force_login(personas.other_staff)
    assert client.get(reverse("transparency:manage-contract", args=[contract.pk])).status_code == 403
    client.force_login(personas.officer)
    assert client.get(reverse("transparency:manage-contract", args=[contract.pk])).status_code == 200


def test_the_worklist_shows_contracts_past_their_publication_day_and_mous_not_published(
    client, personas, time_machine
):
    time_machine.move_to(datetime.datetime(2025, 6, 10, 10, 0, tzinfo=datetime.UTC))
    agency = personas.staff.agency
    late = Contract.objects.create(
        agency=agency, ocid="ocds-x-1", title="逾期未公開契約", publication_due=datetime.date(2025, 6, 5)
    )
    Contract.objects.create(
        agency=agency, ocid="ocds-x-2", title="尚在期限內", publication_due=datetime.date(2025, 6, 30)
    )
    Contract.objects.create(
        agency=personas.other_staff.agency,
        ocid="ocds-x-3",
        title="他機關逾期",
        publication_due=datetime.date(2025, 6, 1),
    )
    Mou.objects.create(
        number="MOU-114-0009",
        title="逾期未公開備忘錄",
        lead_agency=agency,
        status=Mou.Status.SIGNED,
        signed_on=datetime.date(2025, 3, 1),
        publication_due=datetime.date(2025, 3, 31),
    )
    client.force_login(personas.staff)
    page = client.get(reverse("transparency:manage"))
    assert [c.pk for c in page.context["overdue_contracts"]] == [late.pk]  # only its own agency's
    assert [m.number for m in page.context["overdue_mous"]] == ["MOU-114-0009"]
    client.force_login(personas.officer)
    page = client.get(reverse("transparency:manage"))
    assert {c.title for c in page.context["overdue_contracts"]} == {"逾期未公開契約", "他機關逾期"}


def test_an_amendment_is_recorded_checked_and_shown_publicly(client, personas, time_machine):
    time_machine.move_to(datetime.datetime(2025, 6, 10, 10, 0, tzinfo=datetime.UTC))
    contract = Contract.objects.create(
        agency=personas.staff.agency,
        ocid="ocds-x-amend",
        title="契約變更測試",
        signed_on=datetime.date(2025, 3, 20),
        status=Contract.Status.PUBLISHED,
        published_at=datetime.datetime(2025, 3, 25, tzinfo=datetime.UTC),
    )
    url = reverse("transparency:manage-contract-amend", args=[contract.pk])
    client.force_login(personas.other_staff)
    assert client.post(url, {"amended_on": "2025-05-01", "description": "展延工期"}).status_code == 403
    client.force_login(personas.staff)
    response = client.post(url, {"amended_on": "2025-03-01", "description": "展延工期"})  # before signing
    assert response.status_code == 400 and "amended_on" in response.context["amendment_form"].errors
    response = client.post(url, {"amended_on": "2025-07-01", "description": "展延工期"})  # in the future
    assert response.status_code == 400 and "amended_on" in response.context["amendment_form"].errors
    assert not contract.amendments.exists()
    response = client.post(
        url, {"amended_on": "2025-05-01", "description": "增辦排水溝工程", "award_amount": "5100000"}
    )
    assert response.status_code == 302
    amendment = contract.amendments.get()
    assert amendment.award_amount == 5100000
    client.logout()
    page = client.get(reverse("transparency:contract-detail", args=[contract.pk])).content.decode()
    assert "增辦排水溝工程" in page and "5,100,000" in page
