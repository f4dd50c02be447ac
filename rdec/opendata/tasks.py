"""Background jobs of the open data module."""

from __future__ import annotations

from celery import shared_task

from rdec.opendata import services
from rdec.opendata.models import Resource


@shared_task
def check_resource_quality(resource_id: int) -> None:
    """Check a new or changed upload (queued by the services on commit)."""
    resource = Resource.objects.select_related("dataset").filter(pk=resource_id).first()
    if resource is not None and resource.state == Resource.State.ACTIVE:
        services.check_resource_quality(resource, actor=None)
