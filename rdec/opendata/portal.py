"""Publishing to the national portal (data.gov.tw) through its v2 API (open-data.md §2.2).

- `POST {endpoint}` creates the dataset and answers `{"success": true, "result": {"identifier",
  "datasetId"}}`; `PUT {endpoint}/{datasetId}` updates it; `DELETE {endpoint}/{datasetId}` takes it
  down (下架, permanent on the portal). The API key travels in the `Authorization` header; the
  portal also registers the sending IP address (an application, outside this code).
- The endpoint is `RDEC_OPENDATA_PORTAL_URL` (e.g. https://data.gov.tw/api/v2/rest/dataset; empty
  = publishing is off), the key `RDEC_OPENDATA_PORTAL_KEY`.
- A transient failure (no answer, HTTP 429 or 5xx) is tried again up to
  `RDEC_OPENDATA_PORTAL_RETRIES` times (default 3) after `RDEC_OPENDATA_PORTAL_RETRY_DELAY` seconds
  (default 30), doubling each time; an answer with `success: false` is a permanent failure (its
  `error_type`, e.g. `ER0031:資料集屬性錯誤`, is kept). A PUT answered with "the dataset does not
  exist" (ER0050/51/52/60) is sent again as a POST.
- The body's keys are the v2 keys; the portal's own fields (`type`, `dataQuality`,
  `publishedDate`, `modifiedDate`, `resourceModifiedDate`) are never sent.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.opendata import vocab
from rdec.opendata.models import Badge, Dataset, PortalSync, Resource

USER_AGENT = "rdec-opendata-publisher/1.0"
# 授權方式 -> the v2 `license` code. Only "1" (政府資料開放授權條款第1版) is documented; the others
# are sent as this platform's keys [unconfirmed].
LICENSE_CODES = {vocab.License.OGDL_TW: "1"}
# qcLevel of a distribution [unconfirmed vocabulary: the badge names are sent].
QC_LEVELS = {Badge.GOLD: "gold", Badge.SILVER: "silver", Badge.BRONZE: "bronze", Badge.NONE: ""}
NOT_THERE = ("ER0050", "ER0051", "ER0052", "ER0060")
SYSTEM_FIELDS = ("type", "dataQuality", "publishedDate", "modifiedDate", "resourceModifiedDate")


class PortalError(Exception):
    def __init__(self, message: str, *, transient: bool, code: str = ""):
        super().__init__(message)
        self.transient = transient
        self.code = code


@dataclass
class Answer:
    portal_id: str
    identifier: str


def enabled() -> bool:
    return bool(getattr(settings, "RDEC_OPENDATA_PORTAL_URL", ""))


def endpoint() -> str:
    return str(getattr(settings, "RDEC_OPENDATA_PORTAL_URL", "")).rstrip("/")


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def download_url(resource: Resource) -> str:
    if resource.file:
        return _absolute(reverse("opendata:resource-download", args=[resource.pk]))
    return resource.url


def payload(dataset: Dataset) -> dict:
    """The v2 body of a dataset (keys of open-data.md §2.2)."""
    resources = list(dataset.resources.filter(state=Resource.State.ACTIVE).order_by("number"))
    latest = {}
    for resource in resources:
        check = resource.quality_checks.order_by("-checked_at", "-id").first()
        latest[resource.pk] = check.badge if check else Badge.NONE
    agency = dataset.agency
    return {
        "categoryService": dataset.category,
        "categoryDataset": dataset.dataset_type,
        "identifier": dataset.identifier,
        "title": dataset.title,
        "description": dataset.description,
        "fieldDescription": dataset.field_description,
        "license": LICENSE_CODES.get(dataset.license, dataset.license),
        "cost": dataset.cost,
        "costUrl": dataset.cost_url,
        "costLaw": dataset.cost_law,
        "dataProvider": agency.name,
        "publisherOID": f"{agency.oid} | {agency.name}" if agency.oid else agency.name,
        "publisherContactName": dataset.contact_name,
        "publisherContactPhone": dataset.contact_phone,
        "publisherContactEmail": dataset.contact_email,
        "updateFrequency": dataset.update_frequency,
        "detectFrequency": "everyday",
        "coverageStartedDate": dataset.temporal_from.isoformat() if dataset.temporal_from else "",
        "coverageEndedDate": dataset.temporal_to.isoformat() if dataset.temporal_to else "",
        "spatialCoverage": dataset.spatial,
        "language": dataset.language,
        "relatedUrl": dataset.landing_page
        or _absolute(reverse("opendata:dataset-detail", args=[dataset.name])),
        "keyword": sorted(t.name for t in dataset.tags.all()),
        "notes": dataset.remarks,
        "distribution": [
            {
                "resourceDescription": r.description,
                "resourceField": r.field_description or dataset.field_description,
                "qcLevel": QC_LEVELS.get(latest[r.pk], ""),
                "resourceFormat": r.format,
                "resourceCharacterEncoding": r.encoding,
                "resourceDownloadUrl": download_url(r),
                "resourceAmount": str(dataset.number_of_data) if dataset.number_of_data is not None else "",
                "resourceNotes": "",
            }
            for r in resources
        ],
    }


def send(method: str, url: str, body: dict | None) -> dict:
    """One request; returns the `result` of a successful answer or raises PortalError."""
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - the endpoint is the administrator's setting
        url,
        data=data,
        method=method,
        headers={
            "Authorization": str(getattr(settings, "RDEC_OPENDATA_PORTAL_KEY", "")),
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        },
    )
    timeout = float(getattr(settings, "RDEC_OPENDATA_PORTAL_TIMEOUT", 20))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        transient = exc.code == 429 or exc.code >= 500
        raw = exc.read() or b""
        status = _("The portal answered HTTP %(status)s.") % {"status": exc.code}
        try:
            _answer(raw)
        except PortalError as inner:
            raise PortalError(f"{status} {inner}", transient=transient, code=inner.code) from exc
        raise PortalError(status, transient=transient) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise PortalError(
            _("The portal cannot be reached: %(error)s") % {"error": getattr(exc, "reason", exc)},
            transient=True,
        ) from exc
    return _answer(raw)


def _answer(raw: bytes) -> dict:
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise PortalError(_("The portal's answer is not JSON."), transient=True) from None
    if not isinstance(answer, dict):
        raise PortalError(_("The portal's answer is not JSON."), transient=True)
    if answer.get("success") is True:
        result = answer.get("result")
        return result if isinstance(result, dict) else {}
    error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
    error_type = str(error.get("error_type") or error.get("message") or answer.get("error") or "")
    code = error_type.split(":", 1)[0]
    message = (
        "; ".join(str(x) for x in (error_type, error.get("message")) if x and x != error_type) or error_type
    )
    raise PortalError(message or _("The portal refused the request."), transient=False, code=code or "error")


def push(dataset: Dataset, sync: PortalSync) -> Answer | None:
    """Send the dataset's current state once: create, update, or take down a withdrawn one."""
    base = endpoint()
    if not dataset.is_active:
        if sync.portal_id:
            send("DELETE", f"{base}/{sync.portal_id}", None)
        return None
    body = payload(dataset)
    if sync.portal_id:
        try:
            result = send("PUT", f"{base}/{sync.portal_id}", body)
            return Answer(str(result.get("datasetId") or sync.portal_id), str(result.get("identifier", "")))
        except PortalError as exc:
            if exc.code not in NOT_THERE:
                raise
    result = send("POST", base, body)
    portal_id = str(result.get("datasetId") or "")
    if not portal_id:
        raise PortalError(_("The portal did not return a datasetId."), transient=False)
    return Answer(portal_id, str(result.get("identifier", "")))


def record(sync: PortalSync, *, answer: Answer | None = None, error: PortalError | None = None) -> PortalSync:
    """Keep the outcome of an attempt (audited as `dataset.portal_synced` / `dataset.portal_failed`)."""
    now = timezone.now()
    with transaction.atomic():
        sync.attempts += 1
        sync.last_attempt_at = now
        if error is not None:
            sync.status = PortalSync.Status.FAILED
            sync.last_error = str(error)
            event = "dataset.portal_failed"
        else:
            sync.last_error = ""
            sync.synced_at = now
            if answer is None:
                sync.status = PortalSync.Status.REMOVED
                sync.last_action = "delete"
            else:
                sync.last_action = "update" if sync.portal_id == answer.portal_id else "create"
                sync.portal_id = answer.portal_id
                sync.status = PortalSync.Status.SYNCED
            event = "dataset.portal_synced"
        sync.save()
        audit.record(event, sync.dataset, status=sync.status, portal_id=sync.portal_id, error=sync.last_error)
    return sync
