"""Transparency pages: the OCDS 1.1 release package of the published contracts (see docs/transparency.md).

`ocds/releases.json` is public and streamed: the package header, then one release per award notice
of a published contract, read from the database in chunks (no whole list in memory)."""

from __future__ import annotations

from django.db.models import Max
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from rdec.transparency import ocds
from rdec.transparency.selectors_contracts import published_award_notices


@require_GET
def ocds_releases(request):
    notices = published_award_notices()
    # generated on demand: the time of the last change to what it holds
    times = notices.aggregate(notice=Max("imported_at"), contract=Max("contract__updated_at"))
    latest = max((t for t in times.values() if t is not None), default=None) or timezone.now()
    header = ocds.package_header(uri=request.build_absolute_uri(), published=latest)
    response = StreamingHttpResponse(
        ocds.stream_package(header, notices.iterator(chunk_size=500)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="releases.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns = [
    path("ocds/releases.json", ocds_releases, name="ocds-releases"),
]
