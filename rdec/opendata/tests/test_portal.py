"""Publishing to data.gov.tw's v2 API, against a local stand-in that checks the request shape."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rdec.core.context import acting_as
from rdec.core.models import AuditEntry
from rdec.opendata import portal, services
from rdec.opendata.models import PortalSync
from rdec.opendata.tests.factories import csv_upload, publish
from rdec.opendata.tests.portal_standin import Portal

pytestmark = pytest.mark.django_db


@pytest.fixture
def standin(settings):
    with Portal(key="secret-key") as server:
        settings.RDEC_OPENDATA_PORTAL_URL = server.url
        settings.RDEC_OPENDATA_PORTAL_KEY = "secret-key"
        settings.RDEC_OPENDATA_PORTAL_RETRIES = 2
        settings.RDEC_OPENDATA_PORTAL_RETRY_DELAY = 0.01
        yield server


def _publish(personas, capture, **kwargs):
    with capture(execute=True):
        dataset = publish(personas.staff, **kwargs)
    return dataset


def test_a_new_dataset_is_posted_with_the_documented_shape(
    personas, standin, django_capture_on_commit_callbacks
):
    dataset = _publish(personas, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True), acting_as(personas.staff):
        services.add_resource(dataset, actor=personas.staff, description="人口CSV", upload=csv_upload())
    assert standin.problems == []
    (method, path, first), (method2, path2, second) = standin.requests
    assert (method, path) == ("POST", "/api/v2/rest/dataset")
    assert first["identifier"] == dataset.identifier
    assert first["license"] == "1" and first["cost"] == "free"
    assert first["keyword"] == ["人口", "統計"]
    assert first["distribution"] == []
    # The resource added afterwards updates the same portal dataset.
    assert (method2, path2) == ("PUT", "/api/v2/rest/dataset/6564")
    (item,) = second["distribution"]
    assert item["resourceFormat"] == "CSV"
    assert item["resourceCharacterEncoding"] == "UTF-8"
    assert item["resourceDownloadUrl"].endswith(f"/opendata/resources/{dataset.resources.get().pk}/download/")
    sync = PortalSync.objects.get(dataset=dataset)
    assert (sync.status, sync.portal_id, sync.attempts, sync.last_action) == ("synced", "6564", 2, "update")
    assert AuditEntry.objects.filter(verb="dataset.portal_synced", target_id=str(dataset.pk)).count() == 2


def test_transient_failures_are_retried_then_succeed(personas, standin, django_capture_on_commit_callbacks):
    standin.fail_next = 2
    dataset = _publish(personas, django_capture_on_commit_callbacks)
    sync = PortalSync.objects.get(dataset=dataset)
    assert [r[0] for r in standin.requests] == ["POST", "POST", "POST"]
    assert (sync.status, sync.portal_id, sync.attempts) == ("synced", "6564", 3)


def test_retries_give_up_and_the_failure_is_kept(personas, standin, django_capture_on_commit_callbacks):
    standin.fail_next = 10
    dataset = _publish(personas, django_capture_on_commit_callbacks)
    sync = PortalSync.objects.get(dataset=dataset)
    assert len(standin.requests) == 3  # the first try and RDEC_OPENDATA_PORTAL_RETRIES = 2 more
    assert sync.status == "failed" and "503" in sync.last_error


def test_a_refusal_is_not_retried(personas, standin, settings, django_capture_on_commit_callbacks):
    settings.RDEC_OPENDATA_PORTAL_KEY = "wrong"
    dataset = _publish(personas, django_capture_on_commit_callbacks)
    sync = PortalSync.objects.get(dataset=dataset)
    assert len(standin.requests) == 1
    assert sync.status == "failed" and sync.last_error.startswith("ER0001")


def test_withdrawal_deletes_and_an_unknown_id_is_created_again(
    personas, standin, django_capture_on_commit_callbacks
):
    dataset = _publish(personas, django_capture_on_commit_callbacks)
    standin.datasets.clear()  # the portal lost it (ER0050 on update): sent again as a new dataset
    with django_capture_on_commit_callbacks(execute=True), acting_as(personas.staff):
        services.update_dataset(dataset, actor=personas.staff, remarks="改")
    assert [r[0] for r in standin.requests] == ["POST", "PUT", "POST"]
    assert PortalSync.objects.get(dataset=dataset).portal_id == "6565"
    with django_capture_on_commit_callbacks(execute=True), acting_as(personas.staff):
        services.delete_dataset(dataset, actor=personas.staff)
    assert standin.requests[-1][:2] == ("DELETE", "/api/v2/rest/dataset/6565")
    assert PortalSync.objects.get(dataset=dataset).status == "removed"
    assert standin.datasets == {}


def test_nothing_is_sent_when_publishing_is_off(personas, django_capture_on_commit_callbacks):
    dataset = _publish(personas, django_capture_on_commit_callbacks)
    assert not PortalSync.objects.filter(dataset=dataset).exists()
    assert not portal.enabled()


def test_the_payload_never_carries_the_portals_own_fields(personas):
    dataset = publish(personas.staff)
    body = portal.payload(dataset)
    assert not {"type", "dataQuality", "publishedDate", "modifiedDate", "resourceModifiedDate"} & set(body)


def test_editors_see_the_status_and_send_again_from_the_page(
    client, personas, standin, django_capture_on_commit_callbacks
):
    standin.fail_next = 10
    dataset = _publish(personas, django_capture_on_commit_callbacks)
    url = reverse("opendata:dataset-detail", args=[dataset.name])
    client.force_login(personas.staff)
    page = client.get(url).content.decode()
    assert 'data-status="failed"' in page and "503" in page
    standin.fail_next = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("opendata:dataset-sync", args=[dataset.name]))
    assert response.status_code == 302
    assert 'data-status="synced"' in client.get(url).content.decode()
    # The public does not see the sync status; another agency cannot send the dataset.
    client.force_login(personas.citizen)
    assert 'data-testid="portal-sync"' not in client.get(url).content.decode()
    client.force_login(personas.other_staff)
    assert client.post(reverse("opendata:dataset-sync", args=[dataset.name])).status_code == 403


def test_rdec_sees_every_sync_failures_first(client, personas, standin, django_capture_on_commit_callbacks):
    good = _publish(personas, django_capture_on_commit_callbacks, title="成功的")
    standin.fail_next = 10
    bad = _publish(personas, django_capture_on_commit_callbacks, title="失敗的")
    client.force_login(personas.officer)
    page = client.get(reverse("opendata:portal-status")).content.decode()
    assert page.index(bad.title) < page.index(good.title)
    client.force_login(personas.staff)
    assert client.get(reverse("opendata:portal-status")).status_code == 403
