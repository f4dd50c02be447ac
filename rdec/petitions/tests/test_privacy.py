"""Masking of personal data for everyone who is not a handler of the case."""

from __future__ import annotations

import pytest

from rdec.petitions.privacy import mask_address, mask_email, mask_name, mask_phone, personal_view
from rdec.petitions.tests.factories import file


@pytest.mark.parametrize(
    ("name", "masked"),
    [("王小明", "王○明"), ("王明", "王○"), ("歐陽小明", "歐○○明"), ("John Smith", "J*** S***"), ("", "")],
)
def test_names_are_masked_keeping_first_and_last_character(name, masked):
    assert mask_name(name) == masked


def test_phones_emails_and_addresses_are_masked():
    assert mask_phone("0912345678") == "0912-***-678"
    assert mask_phone("04-2228-9111") == "0422-***-111"
    assert mask_email("wang.xiaoming@example.com") == "w***@example.com"
    assert mask_address("臺中市西屯區臺灣大道三段99號5樓") == "臺中市西屯區臺灣大道三段＊號＊樓"


@pytest.mark.django_db
def test_only_handlers_see_the_petitioner_in_clear(personas):
    case, _ = file()
    clear = {"petitioner_name": "王小明", "petitioner_phone": "0912345678"}
    for handler in (personas.staff, personas.supervisor):
        view = personal_view(case, handler)
        assert {k: view[k] for k in clear} == clear
    for other in (personas.officer, personas.other_staff, personas.citizen, personas.agent, personas.admin):
        view = personal_view(case, other)
        assert view["petitioner_name"] == "王○明" and view["petitioner_phone"] == "0912-***-678"


@pytest.mark.django_db
def test_the_call_agent_who_took_the_call_is_a_handler(personas):
    case, _ = file(personas.agent, channel="phone")
    assert personal_view(case, personas.agent)["petitioner_name"] == "王小明"


@pytest.mark.django_db
def test_a_confidential_petitioner_is_hidden_from_co_agencies(personas):
    from rdec.core.models import Agency

    case, _ = file(confidential=True)
    case.co_agencies.add(Agency.objects.get(code="environment"))
    assert personal_view(case, personas.other_staff)["petitioner_name"] == "王○明"
    assert personal_view(case, personas.staff)["petitioner_name"] == "王小明"
