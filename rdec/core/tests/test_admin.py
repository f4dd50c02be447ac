"""The Django admin: administrators only; the audit trail is read-only there too."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/core/agency/",
        "/admin/core/user/",
        "/admin/core/auditentry/",
        "/admin/core/calendarday/",
        "/admin/petitions/category/",
        "/admin/petitions/deadlinerule/",
        "/admin/petitions/dutycontact/",
    ],
)
def test_administrators_open_the_admin_pages(client, personas, path):
    client.force_login(personas.admin)
    assert client.get(path).status_code == 200


def test_others_are_sent_to_the_admin_login(client, personas):
    client.force_login(personas.officer)
    assert client.get("/admin/core/agency/").status_code == 302


def test_audit_entries_cannot_be_added_or_deleted_in_the_admin(client, personas):
    from rdec.core.models import AuditEntry

    client.force_login(personas.admin)
    entry = AuditEntry.objects.latest("at")
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
