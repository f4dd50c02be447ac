"""API keys for connected systems: created by a command, stored hashed, revocable."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from rdec.core.models import APIKey, AuditEntry

pytestmark = pytest.mark.django_db


def create_key(*args) -> str:
    out = io.StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_a_new_key_is_printed_last_and_authenticates_with_the_api_key_header():
    key = create_key("--name", "tender-sync", "--agency", "construction")
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["role"] == "system"
    assert response.json()["agency"]["code"] == "construction"


def test_the_key_is_stored_hashed():
    key = create_key("--name", "hashed")
    stored = APIKey.objects.get(name="hashed")
    assert key not in stored.hashed_key and key.startswith(stored.prefix + ".")
    trail = list(AuditEntry.objects.filter(target_type="core.apikey").values_list("target_id", "changes"))
    assert trail and stored.hashed_key not in str(trail) and key.split(".", 1)[1] not in str(trail)
    assert trail[0][0] == stored.prefix


def test_a_revoked_key_is_refused():
    key = create_key("--name", "old-system")
    call_command("revoke_api_key", key.split(".")[0], stdout=io.StringIO())
    response = APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}").get("/api/v1/me/")
    assert response.status_code == 401


def test_a_key_revoked_after_use_is_refused_at_once_though_checked_keys_are_remembered():
    key = create_key("--name", "busy-system")
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert client.get("/api/v1/me/").status_code == 200  # checked, and remembered by this process
    call_command("revoke_api_key", key.split(".")[0], stdout=io.StringIO())
    assert client.get("/api/v1/me/").status_code == 401


def test_a_remembered_key_is_refused_once_it_expires_or_its_user_is_deactivated():
    import datetime

    from django.utils import timezone

    key = create_key("--name", "expiring")
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}")
    stored = APIKey.objects.get(name="expiring")
    stored.expiry_date = timezone.now() + datetime.timedelta(seconds=1)
    stored.save()
    assert client.get("/api/v1/me/").status_code == 200
    # only the hash check is remembered: the key's row is read on every call, so a change made
    # anywhere (here without any signal, as another process or a SQL console would) counts at once
    APIKey.objects.filter(pk=stored.pk).update(expiry_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/me/").status_code == 401
    other = create_key("--name", "deactivated")
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {other}")
    assert client.get("/api/v1/me/").status_code == 200
    user = APIKey.objects.get(name="deactivated").user
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me/").status_code == 401


def test_a_remembered_key_expires_by_its_own_date(monkeypatch):
    import datetime

    from django.utils import timezone

    key = create_key("--name", "short-lived")
    stored = APIKey.objects.get(name="short-lived")
    stored.expiry_date = timezone.now() + datetime.timedelta(minutes=5)
    stored.save()
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert client.get("/api/v1/me/").status_code == 200
    later = timezone.now() + datetime.timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("header", ["Api-Key nonsense", "Api-Key abc.def", "Api-Key "])
def test_a_wrong_key_is_refused_with_401(header):
    response = APIClient(HTTP_AUTHORIZATION=header).get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_an_unknown_agency_or_a_duplicate_name_is_refused():
    with pytest.raises(CommandError):
        create_key("--name", "x", "--agency", "no-such-agency")
    create_key("--name", "dup")
    with pytest.raises(CommandError):
        create_key("--name", "dup")


def test_changes_made_with_a_key_are_audited_as_its_service_user(personas):
    key = create_key("--name", "auditor", "--agency", "rdec")
    # the service user has role "system": it may not read the audit trail
    response = APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}").get("/api/v1/audit-entries/")
    assert response.status_code == 403
    created = AuditEntry.objects.filter(target_type="core.apikey").latest("at")
    assert created.action == "create"
