"""Transparency pages: the OCDS 1.1 release package of the published contracts (see docs/transparency.md).

`ocds/releases.json` is public and streamed: the package header, then the releases of each published
contract (its award notices', or its own when registered without one, then its amendments'), the
contracts read from the database in chunks with their notices, amendments and documents (no whole list
in memory)."""

from __future__ import annotations

from django.db.models import Max
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from rdec.transparency import ocds
from rdec.transparency.models import Contract


@require_GET
def ocds_releases(request):
    contracts = (
        Contract.objects.filter(status=Contract.Status.PUBLISHED)
        .select_related("agency")
        .prefetch_related("award_notices", "amendments", "documents")
        .order_by("id")
    )
    # generated on demand: the time of the last change to what it holds (one query)
    times = contracts.aggregate(
        contract=Max("updated_at"),
        notice=Max("award_notices__imported_at"),
        amendment=Max("amendments__created_at"),
    )
    latest = max((t for t in times.values() if t is not None), default=None) or timezone.now()
    header = ocds.package_header(uri=request.build_absolute_uri(), published=latest)
    response = StreamingHttpResponse(
        ocds.stream_releases(header, ocds.published_releases(contracts.iterator(chunk_size=200))),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="releases.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns = [
    path("ocds/releases.json", ocds_releases, name="ocds-releases"),
]
