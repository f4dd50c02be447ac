"""No personal data reaches a non-handler through an export, and none is ever logged."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from rdec.petitions import services
from rdec.petitions.tests.factories import file
from rdec.petitions.tracking import rating_token

pytestmark = pytest.mark.django_db
SECRETS = ("王小明", "0912345678", "0912-345-678", "wang@example.com", "西屯路二段256號")


def export(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("petitions:inbox-export"), {"status": "all"})
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def test_the_handlers_export_has_the_petitioner_and_the_oversight_export_has_none(client, personas):
    case, _ = file()
    handler = export(client, personas.staff)
    assert case.number in handler and "王小明" in handler and "0912345678" in handler
    officer = export(client, personas.officer)
    assert case.number in officer
    for secret in (*SECRETS, "王○明"):
        assert secret not in officer


def test_other_agencies_export_nothing_of_the_case_and_citizens_cannot_export(client, personas):
    case, _ = file()
    assert case.number not in export(client, personas.other_staff)
    client.force_login(personas.citizen)
    assert client.get(reverse("petitions:inbox-export")).status_code == 403


def test_a_whole_case_life_logs_no_personal_data(personas, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        case, _ = file(petitioner_email="")  # phone only: the SMS sender is used
        services.start_case(case, actor=personas.staff)
        reply = services.save_reply(case, actor=personas.staff, body="已修補。")
        services.approve_reply(reply, actor=personas.supervisor)
    case.refresh_from_db()
    services.rate_case(rating_token(case), actor=None, score=5)
    assert any("SMS" in r.getMessage() for r in caplog.records)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in SECRETS:
        assert secret not in logged
