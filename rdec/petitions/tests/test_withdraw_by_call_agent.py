"""1999 console: a call agent withdraws a case only at its petitioner's request — for a caller whose
phone is the case's petitioner phone, with the reason recorded. Everyone else withdraws as before."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rdec.petitions.models import Case
from rdec.petitions.tests.test_api import as_user, file, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def waste_case(personas):
    """環保局's case, filed by a citizen whose phone is 0912345678."""
    from rdec.petitions.models import Category

    code = (
        Category.objects.filter(parent__isnull=False, default_agency__code="environment")
        .exclude(parent__code="road")
        .first()
        .code
    )
    return file(personas, code=code)


def withdraw(api, case, **data):
    return api.post(url(case, "withdraw"), data, format="json", HTTP_ACCEPT_LANGUAGE="zh-hant")


def test_a_call_agent_cannot_withdraw_any_agencys_case_without_the_petitioner(api, personas, waste_case):
    """The attack: a call agent withdrew another agency's case at will."""
    as_user(api, personas.agent)
    for data in ({}, {"reason": "不想處理了"}, {"reason": "民眾來電撤回", "caller_phone": "0987654321"}):
        response = withdraw(api, waste_case, **data)
        assert response.status_code == 400
        assert "來電者電話須與本案陳情人電話相符" in str(response.json())
    waste_case.refresh_from_db()
    assert waste_case.status != Case.Status.WITHDRAWN


def test_a_call_agent_needs_a_reason_too(api, personas, waste_case):
    as_user(api, personas.agent)
    response = withdraw(api, waste_case, caller_phone="0912-345-678")
    assert response.status_code == 400 and "請記錄陳情人要求撤回本案的原因" in str(response.json())


def test_a_call_agent_withdraws_for_the_petitioner_calling_with_the_reason_recorded(
    api, personas, waste_case
):
    as_user(api, personas.agent)
    response = withdraw(api, waste_case, reason="陳情人來電表示已自行處理", caller_phone="0912 345 678")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    event = waste_case.events.get(verb="withdrawn")
    assert event.actor == personas.agent and event.note == "陳情人來電表示已自行處理"
    assert event.data["requested_by"] == "petitioner"


def test_the_console_page_form_refuses_a_caller_who_is_not_the_petitioner(client, personas, waste_case):
    client.force_login(personas.agent)
    response = client.post(
        reverse("petitions:case-withdraw", args=[waste_case.number]),
        {"reason": "民眾來電撤回", "caller_phone": "0922000111"},
    )
    assert response.status_code == 400
    waste_case.refresh_from_db()
    assert waste_case.status != Case.Status.WITHDRAWN


def test_the_handling_agency_and_the_citizen_withdraw_as_before(api, personas, waste_case):
    as_user(api, personas.other_staff)  # 環保局
    assert withdraw(api, waste_case).status_code == 200
    own = file(personas)
    as_user(api, personas.citizen)
    assert withdraw(api, own, reason="已自行處理").status_code == 200
