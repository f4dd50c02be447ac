"""The audit trail: who, when, from where, before and after; never editable; only for oversight."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from rdec.core import audit
from rdec.core.context import acting_as
from rdec.core.models import Agency, AuditEntry

pytestmark = pytest.mark.django_db


def test_an_update_records_actor_address_and_before_after(personas):
    agency = Agency.objects.get(code="construction")
    with acting_as(personas.admin, "10.1.2.3"):
        agency.name_en = "Construction Bureau (renamed)"
        agency.save()
    entry = AuditEntry.objects.filter(target_type="core.agency", target_id=str(agency.pk)).latest("at")
    assert entry.action == "update"
    assert entry.actor == personas.admin and entry.actor_label == "admin"
    assert entry.ip_address == "10.1.2.3"
    assert entry.changes == {
        "name_en": ["Construction Bureau, Taichung City Government", "Construction Bureau (renamed)"]
    }


def test_create_and_delete_are_recorded(personas):
    with acting_as(personas.admin):
        agency = Agency.objects.create(code="tmp", name="臨時機關", short_name="臨時", level="first")
        pk = agency.pk
        agency.delete()
    actions = list(
        AuditEntry.objects.filter(target_type="core.agency", target_id=str(pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "delete"]


def test_personal_fields_are_masked_in_the_trail(personas):
    with acting_as(personas.admin):
        personas.citizen.phone = "0912345678"
        personas.citizen.save()
    entry = AuditEntry.objects.filter(target_type="core.user", target_id=str(personas.citizen.pk)).latest(
        "at"
    )
    assert entry.changes["phone"] == ["", audit.MASK]
    assert "0912345678" not in str(entry.changes)


def test_a_password_change_is_recorded_but_never_its_hash(personas):
    old_hash = personas.citizen.password
    personas.citizen.set_password("another-long-password")
    personas.citizen.save()
    entry = AuditEntry.objects.filter(target_type="core.user", target_id=str(personas.citizen.pk)).latest(
        "at"
    )
    assert entry.changes == {"password": [audit.MASK, audit.MASK]}
    assert old_hash not in str(entry.changes) and personas.citizen.password not in str(entry.changes)


def test_entries_cannot_be_changed_or_deleted(personas):
    with acting_as(personas.admin):
        audit.record("test.event", personas.citizen, reason="x")
    entry = AuditEntry.objects.latest("at")
    entry.verb = "forged"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).verb == "test.event"


def test_a_page_request_records_the_client_address(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-much-longer-passphrase-2026",
            "new_password2": "a-much-longer-passphrase-2026",
        },
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(target_type="core.user", target_id=str(personas.admin.pk)).latest("at")
    assert entry.actor_label == "admin" and entry.ip_address == "192.0.2.7"


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_oversight_can_browse_the_trail_page_and_api(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get("/audit/").status_code == 200
    entry = AuditEntry.objects.latest("at")
    assert client.get(f"/audit/{entry.pk}/").status_code == 200
    api = APIClient()
    api.force_authenticate(getattr(personas, who))
    assert api.get("/api/v1/audit-entries/").json()["count"] >= 1


@pytest.mark.parametrize("who", ["citizen", "agent", "staff", "supervisor"])
def test_others_are_refused_the_trail(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get("/audit/").status_code == 403
    entry = AuditEntry.objects.latest("at")
    assert client.get(f"/audit/{entry.pk}/").status_code == 403
    api = APIClient()
    api.force_authenticate(getattr(personas, who))
    assert api.get("/api/v1/audit-entries/").status_code == 403


def test_anonymous_visitors_are_sent_to_login_or_refused(client):
    assert client.get("/audit/")["Location"].startswith("/accounts/login/")
    assert APIClient().get("/api/v1/audit-entries/").status_code == 401


def test_the_trail_filters_by_record_type(client, personas):
    client.force_login(personas.officer)
    response = client.get("/audit/", {"target_type": "core.user"})
    rows = list(response.context["page"])
    assert rows and {e.target_type for e in rows} == {"core.user"}


def test_a_stored_file_name_is_kept_as_is_while_free_text_is_masked():
    """A stored file's generated name may hold a run of digits shaped like a phone number; the
    trail keeps the name (it identifies the file), and still masks a phone typed in free text."""
    from django.db.models.fields.files import FieldFile

    from rdec.tracking.models import CouncilReportIssue

    field = CouncilReportIssue._meta.get_field("pdf")
    stored = FieldFile(CouncilReportIssue(), field, "tracking/council/a0912345678b.pdf")
    tracking = audit.Tracking()
    assert audit._shown(tracking, "pdf", audit._plain(stored)) == "tracking/council/a0912345678b.pdf"
    assert "0912345678" not in audit._shown(tracking, "note", "請撥 0912345678 聯絡")
