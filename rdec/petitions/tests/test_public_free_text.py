"""Personal data typed into a case's free text (issue 13, item 2): the attack's description —
a name, a mobile glued to Chinese text, a (04) landline, +886, full-width digits, a lower-case ID
number and an e-mail — reaches nobody but the case's handlers: not the Open311 feed (JSON and XML),
not the public tracking page, not an RDEC officer's case page, inbox or export, not the audit trail."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from rdec.core.models import AuditEntry
from rdec.petitions import tracking
from rdec.petitions.tests.factories import file

pytestmark = pytest.mark.django_db

ATTACK = "我是王大明，電話0933222111，(04)2222-1234，+886 912 345 678，０９３３２２２１１１，a123456789，wang@example.com"
SECRETS = (
    "王大明",
    "0933222111",
    "22221234",
    "912345678",
    "０９３３２２２１１１",
    "a123456789",
    "A123456789",
    "wang@",
)


def _digits_and_text(body: str) -> str:
    """The body (URL-decoded), and its digits with every separator removed (so 0933-222-111 is
    found too)."""
    body = unquote(body)
    return body + "\n" + re.sub(r"[^0-9]", "", body)


def _leaks(body: str) -> list[str]:
    seen = _digits_and_text(body)
    return [s for s in SECRETS if s in seen]


@pytest.fixture
def case(personas):
    filed, _code = file(
        subject=ATTACK[:50],
        description=ATTACK,
        petitioner_name="王大明",
        petitioner_phone="0933222111",
        petitioner_email="wang@example.com",
    )
    return filed


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_open311_feed_shows_none_of_the_typed_personal_data(case, fmt):
    anonymous = Client()
    for path in (f"/open311/v2/requests.{fmt}", f"/open311/v2/requests/{case.number}.{fmt}"):
        body = anonymous.get(path).content.decode()
        assert case.number in body
        assert _leaks(body) == [], path
    (item,) = anonymous.get(f"/open311/v2/requests/{case.number}.json").json()
    assert item["description"].startswith("我是王○明，電話0933-***-111，04-****-**34，+886-912-***-678")


def test_the_public_tracking_page_shows_none_of_it(case):
    page = Client().get(reverse("petitions:track-link", args=[tracking.tracking_token(case)]))
    body = page.content.decode()
    assert page.status_code == 200 and "我是王○明" in body
    assert _leaks(body) == []


def test_an_officer_who_does_not_handle_the_case_sees_it_masked(case, personas):
    officer = Client()
    officer.force_login(personas.officer)
    page = officer.get(reverse("petitions:case", args=[case.number]))
    assert page.status_code == 200
    assert _leaks(page.content.decode()) == []
    inbox = officer.get(reverse("petitions:inbox")).content.decode()
    assert case.number in inbox and _leaks(inbox) == []
    export = officer.get(reverse("petitions:inbox-export"), {"q": "0933222111"})
    assert case.number in export.content.decode("utf-8-sig")
    assert _leaks(export.content.decode("utf-8-sig")) == []
    stored = AuditEntry.objects.filter(verb="petitions.exported").latest("pk")
    assert "0933222111" not in str(stored.changes)


def test_the_handler_sees_everything_in_clear(case, personas):
    handler = Client()
    handler.force_login(personas.staff)
    body = handler.get(reverse("petitions:case", args=[case.number])).content.decode()
    for typed in ("我是王大明", "電話0933222111", "(04)2222-1234", "+886 912 345 678", "a123456789"):
        assert typed in body


def test_the_audit_trail_keeps_no_typed_personal_data(case):
    entries = AuditEntry.objects.filter(target_type="petitions.case", target_id=str(case.pk))
    assert entries.exists()
    for entry in entries:
        assert _leaks(str(entry.changes)) == [], entry.changes


def test_the_rest_api_masks_the_free_text_for_a_non_handler(case, personas):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(personas.officer)
    body = api.get(f"/api/v1/cases/{case.number}/").content.decode()
    assert case.number in body and _leaks(body) == []
    api.force_authenticate(personas.staff)
    assert "0933222111" in api.get(f"/api/v1/cases/{case.number}/").content.decode()


def test_a_reply_naming_the_petitioner_is_masked_for_an_officer(case, personas):
    from rdec.core.context import acting_as
    from rdec.petitions import services

    with acting_as(personas.staff):
        services.save_reply(
            case, actor=personas.staff, body="王大明先生您好，已派員處理，請撥0422221234洽詢。"
        )
    officer = Client()
    officer.force_login(personas.officer)
    body = officer.get(reverse("petitions:case", args=[case.number])).content.decode()
    assert "先生您好，已派員處理" in body and _leaks(body) == []
    handler = Client()
    handler.force_login(personas.staff)
    assert "王大明先生您好" in handler.get(reverse("petitions:case", args=[case.number])).content.decode()
