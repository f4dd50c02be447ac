"""API keys: revocation obeyed at once by every process, and the scopes (--oversight, --read-only)
at every door that takes a key: the REST API, the queued intake, Open311 and CKAN."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from rdec.core import services
from rdec.core.api import authentication
from rdec.core.models import APIKey, AuditEntry
from rdec.core.tests.factories import agency
from rdec.petitions.models import Case, Category, Submission
from rdec.petitions.tests.test_api import NEW, file

pytestmark = pytest.mark.django_db

READ_ONLY = "此 API 金鑰為唯讀：只能讀取，不能變更任何資料。"


def create_key(*args) -> str:
    out = io.StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def api(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}", HTTP_ACCEPT_LANGUAGE="zh-hant")


# --- revocation: at once, in every process -------------------------------------------------------------


@pytest.fixture
def two_processes(monkeypatch):
    """Each 'process' has its own memory of checked keys; `use(n)` switches between them."""
    memories = [{}, {}]

    def use(n):
        monkeypatch.setattr(authentication, "_checked", memories[n])

    use(0)
    return use


def test_a_key_revoked_in_another_process_is_refused_on_the_very_next_request(two_processes, settings):
    settings.API_KEY_CACHE_SECONDS = 3600
    key = create_key("--name", "busy-partner")
    client = api(key)
    two_processes(1)
    assert client.get("/api/v1/me/").status_code == 200  # process 1 checked it and remembers it
    assert client.post("/api/v1/submissions/", NEW, format="json").status_code == 202
    two_processes(0)
    call_command("revoke_api_key", key.split(".")[0], stdout=io.StringIO())  # revoked in process 0
    two_processes(1)
    assert authentication._checked  # process 1 still remembers the key matched its hash ...
    assert client.get("/api/v1/me/").status_code == 401  # ... and refuses it all the same
    response = client.post("/api/v1/submissions/", {**NEW, "subject": "撤銷後"}, format="json")
    assert response.status_code == 401
    assert Submission.objects.count() == 1


def test_a_revocation_that_sends_no_signal_is_obeyed_too(settings):
    settings.API_KEY_CACHE_SECONDS = 3600
    key = create_key("--name", "quiet-partner")
    assert api(key).get("/api/v1/me/").status_code == 200
    APIKey.objects.filter(name="quiet-partner").update(revoked=True)  # e.g. from a SQL console
    assert api(key).get("/api/v1/me/").status_code == 401


# --- scopes ------------------------------------------------------------------------------------------------


def test_a_read_only_key_reads_but_every_write_is_refused_with_the_reason(client):
    key = create_key("--name", "dashboard", "--agency", "construction", "--read-only")
    assert api(key).get("/api/v1/me/").status_code == 200
    # REST and the queued intake
    response = api(key).post("/api/v1/submissions/", NEW, format="json")
    assert response.status_code == 403 and READ_ONLY in response.content.decode()
    # Open311
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "pothole", "address_string": "西屯區市政路"},
        headers={"Accept-Language": "zh-hant"},
    )
    assert response.status_code == 403 and READ_ONLY in response.content.decode()
    # CKAN: reading is fine, writing is not
    ckan = "/api/3/action/"
    assert client.get(ckan + "package_list", headers={"Authorization": key}).status_code == 200
    response = client.post(
        ckan + "package_create",
        json.dumps({"name": "road", "title": "道路", "owner_org": "construction"}),
        content_type="application/json",
        headers={"Authorization": key, "Accept-Language": "zh-hant"},
    )
    assert response.status_code == 403 and READ_ONLY in response.content.decode()
    assert Case.objects.count() == 0 and Submission.objects.count() == 0


def test_an_oversight_key_reads_every_agencys_cases_and_never_writes(personas):
    road, waste = file(personas), file(personas, code=_environment_leaf())
    oversight = create_key("--name", "bi-tool", "--oversight")
    construction = create_key("--name", "road-sync", "--agency", "construction")
    assert _numbers(oversight) == {road.number, waste.number}  # as an RDEC officer sees them
    assert _numbers(construction) == {road.number}  # an agency's key: its own agency's only
    stored = APIKey.objects.get(name="bi-tool")
    assert stored.oversight and stored.read_only  # an oversight key is always read-only
    response = api(oversight).post(
        f"/api/v1/cases/{waste.number}/transfer/", {"agency": "construction", "reason": "x"}
    )
    assert response.status_code == 403 and READ_ONLY in response.content.decode()
    response = api(oversight).post("/api/v1/submissions/", NEW, format="json")
    assert response.status_code == 403 and READ_ONLY in response.content.decode()
    waste.refresh_from_db()
    assert waste.agency.code == "environment"


def _environment_leaf() -> str:
    leaves = Category.objects.filter(parent__isnull=False, default_agency__code="environment")
    return leaves.exclude(parent__code="road").first().code


def _numbers(key) -> set[str]:
    body = api(key).get("/api/v1/cases/").json()
    return {c["number"] for c in body["results"]}


def test_an_oversight_key_is_given_no_agency():
    with pytest.raises(CommandError):
        create_key("--name", "bi-with-agency", "--oversight", "--agency", "construction")


def test_scopes_are_in_the_audit_trail_at_creation_and_on_each_write(
    personas, django_capture_on_commit_callbacks
):
    key = create_key("--name", "partner-rw", "--agency", "construction")
    created = AuditEntry.objects.get(target_type="core.apikey", action="create")
    assert created.changes["read_only"] == [None, False] and created.changes["oversight"] == [None, False]
    create_key("--name", "bi-ro", "--oversight")
    entry = AuditEntry.objects.filter(target_type="core.apikey", action="create").order_by("-id").first()
    assert entry.changes["oversight"][1] is True and entry.changes["read_only"][1] is True
    with django_capture_on_commit_callbacks(execute=True):
        assert api(key).post("/api/v1/submissions/", NEW, format="json").status_code == 202
    labels = set(
        AuditEntry.objects.filter(actor__username="api.partner-rw").values_list("actor_label", flat=True)
    )
    assert labels == {"api.partner-rw [agency, read-write]"}


def test_the_command_prints_the_scope_and_the_key_last():
    out = io.StringIO()
    call_command("create_api_key", "--name", "printed", "--read-only", "--agency", "construction", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert "唯讀" in lines[0] and lines[-1].startswith(APIKey.objects.get(name="printed").prefix + ".")
    assert services is not None and agency("construction")
