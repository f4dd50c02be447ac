"""The contractor's API key: the RDEC issues and revokes it on the poll (shown once); with it the
contractor uploads that poll's fieldwork file by API, all or nothing; another poll's key or an
agency's key is refused (403); a reported poll's fieldwork is frozen (409)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from rdec.core import services as core_services
from rdec.core.models import Agency, APIKey, AuditEntry
from rdec.polls import services
from rdec.polls.models import Survey
from rdec.polls.tests.factories import make_twelve, twelve_csv

pytestmark = pytest.mark.django_db


def url(survey) -> str:
    return f"/api/v1/polls/surveys/{survey.pk}/responses/"


def key_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def upload(content: bytes, name: str = "fieldwork.csv") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


@pytest.fixture
def poll(personas):
    return services.create_survey(actor=personas.officer, slug="city", title="市政滿意度")


def test_the_rdec_issues_and_revokes_the_key(personas, poll):
    key, raw = services.issue_contractor_key(poll, actor=personas.officer)
    poll.refresh_from_db()
    assert poll.contractor_key == key and raw.startswith(key.prefix + ".")
    assert key.user.agency is None and not key.read_only and not key.oversight
    assert AuditEntry.objects.filter(verb="poll.contractor_key_issued").exists()
    # a new key revokes the former one
    second, raw2 = services.issue_contractor_key(poll, actor=personas.officer)
    key.refresh_from_db()
    assert key.revoked and not second.revoked and raw2 != raw
    services.revoke_contractor_key(poll, actor=personas.officer)
    second.refresh_from_db()
    poll.refresh_from_db()
    assert second.revoked and poll.contractor_key is None
    assert AuditEntry.objects.filter(verb="poll.contractor_key_revoked").count() == 2
    # only the RDEC
    with pytest.raises(PermissionDenied):
        services.issue_contractor_key(poll, actor=personas.staff)


def test_the_contractor_uploads_the_fieldwork_with_its_key(personas, poll):
    _key, raw = services.issue_contractor_key(poll, actor=personas.officer)
    response = key_client(raw).post(url(poll), upload(twelve_csv()), format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["cases"], body["completes"], body["questions"]) == (14, 12, ["Q1", "Q2"])
    assert body["dropped_columns"] == ["tel"]
    poll.refresh_from_db()
    assert poll.cases.count() == 14 and poll.status == Survey.Status.FIELDING
    entry = AuditEntry.objects.filter(verb="poll.fieldwork_imported").latest("pk")
    assert entry.actor.api_key.poll == poll  # audited as the contractor's key


def test_the_rdec_uploads_by_session(personas, poll):
    client = APIClient()
    client.force_login(personas.officer)
    response = client.post(url(poll), upload(twelve_csv()), format="multipart")
    assert response.status_code == 201 and response.json()["completes"] == 12


def test_another_polls_key_or_an_agency_key_is_refused(personas, poll):
    other = services.create_survey(actor=personas.officer, slug="other", title="另一份")
    _key, other_raw = services.issue_contractor_key(other, actor=personas.officer)
    _agency_key, agency_raw = core_services.create_api_key(
        name="construction-system", agency=Agency.objects.get(code="construction"), actor=None
    )
    for raw in (other_raw, agency_raw):
        response = key_client(raw).post(url(poll), upload(twelve_csv()), format="multipart")
        assert response.status_code == 403, response.content
    staff = APIClient()
    staff.force_login(personas.staff)
    assert staff.post(url(poll), upload(twelve_csv()), format="multipart").status_code == 403
    assert not poll.cases.exists()


def test_a_revoked_key_is_refused(personas, poll):
    _key, raw = services.issue_contractor_key(poll, actor=personas.officer)
    services.revoke_contractor_key(poll, actor=personas.officer)
    response = key_client(raw).post(url(poll), upload(twelve_csv()), format="multipart")
    assert response.status_code in (401, 403)
    assert not poll.cases.exists()


def test_a_bad_file_is_a_400_with_rows_and_columns_and_changes_nothing(personas):
    survey = make_twelve(personas.officer)
    _key, raw = services.issue_contractor_key(survey, actor=personas.officer)
    before = list(survey.cases.order_by("pk").values_list("case_id", "disposition"))
    bad = twelve_csv().replace(b"C03,mobile,,1.1", b"C02,mobile,,9.9")
    response = key_client(raw).post(
        url(survey), upload(bad), format="multipart", HTTP_ACCEPT_LANGUAGE="zh-hant"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]["file"]
    assert any("第 4 列" in e or "第4列" in e for e in errors), errors
    assert any("case_id" in e for e in errors) and any("disposition" in e for e in errors), errors
    assert list(survey.cases.order_by("pk").values_list("case_id", "disposition")) == before
    missing = key_client(raw).post(url(survey), {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["errors"]


def test_a_reported_poll_refuses_the_upload(personas):
    survey = make_twelve(personas.officer)
    _key, raw = services.issue_contractor_key(survey, actor=personas.officer)
    services.weight_survey(survey, actor=personas.officer)
    services.mark_reported(survey, actor=personas.officer)
    response = key_client(raw).post(url(survey), upload(twelve_csv()), format="multipart")
    assert response.status_code == 409 and response.json()["detail"]


def test_the_page_shows_the_key_once(client, personas, poll):
    client.force_login(personas.officer)
    page_url = reverse("polls:survey-detail", args=[poll.pk])
    response = client.post(page_url, {"action": "issue_key"}, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 200
    poll.refresh_from_db()
    key = poll.contractor_key
    html = response.content.decode()
    assert 'data-testid="new-contractor-key"' in html and f"{key.prefix}." in html
    again = client.get(page_url).content.decode()
    assert key.prefix in again and 'data-testid="new-contractor-key"' not in again
    assert client.post(page_url, {"action": "revoke_key"}).status_code == 302
    assert APIKey.objects.get(pk=key.pk).revoked
