"""The catalog as CKAN dicts (package, resource, organization, tag), and CKAN input back to the
fields of the services. The national standard's fields that CKAN has no name for travel both as
top-level keys (as ckanext-scheming would put them) and in `extras`; see docs/opendata.md."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.opendata import quality, vocab
from rdec.opendata.models import Dataset, QualityCheck, Resource
from rdec.opendata.timeliness import update_status

# National fields carried in `extras` and as top-level keys: CKAN key -> model field.
NATIONAL = {
    "identifier": "identifier",
    "category": "category",
    "field_description": "field_description",
    "dataset_type": "dataset_type",
    "cost": "cost",
    "cost_url": "cost_url",
    "cost_law": "cost_law",
    "update_frequency": "update_frequency",
    "temporal_coverage_from": "temporal_from",
    "temporal_coverage_to": "temporal_to",
    "spatial": "spatial",
    "language": "language",
    "number_of_data": "number_of_data",
    "remarks": "remarks",
    "contact_phone": "contact_phone",
    "issued": "published_on",
}
# CKAN's own keys -> model field.
CORE = {
    "title": "title",
    "notes": "description",
    "url": "landing_page",
    "maintainer": "contact_name",
    "maintainer_email": "contact_email",
    "license_id": "license",
}
# model field -> the key an API client sent, for error messages.
FIELD_TO_KEY = {v: k for k, v in {**NATIONAL, **CORE}.items()} | {"agency": "owner_org", "name": "name"}
RESOURCE_FIELD_TO_KEY = {"description": "name", "url": "url", "file": "upload"}


def ckan_time(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return (
            timezone.make_naive(value, datetime.UTC).isoformat()
            if timezone.is_aware(value)
            else value.isoformat()
        )
    return value.isoformat()


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return ckan_time(value)
    return value


def latest_checks() -> Prefetch:
    """Prefetch only each resource's newest check (the nightly run adds one a night)."""
    newest = (
        QualityCheck.objects.filter(resource=OuterRef("resource"))
        .order_by("-checked_at", "-id")
        .values("pk")[:1]
    )
    return Prefetch("quality_checks", queryset=QualityCheck.objects.filter(pk=Subquery(newest)))


def for_api(qs):
    return (
        qs.defer("search_text")
        .select_related("agency")
        .prefetch_related(
            "tags",
            Prefetch(
                "resources",
                queryset=Resource.objects.filter(state=Resource.State.ACTIVE)
                .order_by("number")
                .prefetch_related(latest_checks()),
            ),
        )
    )


def organization_dict(agency, package_count: int | None = None) -> dict:
    result = {
        "id": agency.code,
        "name": agency.code,
        "title": agency.name,
        "display_name": agency.name,
        "description": agency.name_en,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": None,
        "government_agency_code": agency.oid,
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


BADGE_ORDER = ["none", "bronze", "silver", "gold"]


def latest_check(resource: Resource) -> QualityCheck | None:
    checks = resource.quality_checks.all()  # only the newest, prefetched by for_api()
    return checks[0] if checks else None


def quality_dict(checks: list[QualityCheck | None]) -> dict:
    """A resource's latest check, or a dataset's: the worst badge and, per indicator, 0 if any
    resource fails, 1 if all pass, else 2."""
    done = [c for c in checks if c is not None]
    if not checks or len(done) < len(checks):
        badge = "none"
    else:
        badge = min((c.badge for c in done), key=BADGE_ORDER.index)
    indicators = {}
    for name in quality.INDICATORS:
        values = [c.indicators.get(name, 2) for c in done]
        if values and 0 in values:
            indicators[name] = 0
        elif values and len(values) == len(checks) and all(v == 1 for v in values):
            indicators[name] = 1
        else:
            indicators[name] = 2
    return {
        "badge": badge,
        "indicators": indicators,
        "checked_at": ckan_time(max((c.checked_at for c in done), default=None)),
    }


def resource_dict(resource: Resource, request, dataset: Dataset | None = None) -> dict:
    dataset = dataset or resource.dataset
    if resource.file:
        url = request.build_absolute_uri(reverse("opendata:resource-download", args=[resource.pk]))
    else:
        url = resource.url
    return {
        "id": f"{dataset.identifier}-{resource.number:03d}",
        "package_id": dataset.identifier,
        "name": resource.description,
        "description": resource.description,
        "url": url,
        "url_type": "upload" if resource.file else None,
        "format": resource.format,
        "mimetype": None,
        "size": resource.size,
        "hash": resource.sha256,
        "encoding": resource.encoding,
        "field_description": resource.field_description,
        "schema": resource.schema,
        "created": ckan_time(resource.created_at),
        "last_modified": ckan_time(resource.modified_at),
        "position": resource.number - 1,
        "state": "active",
        "resource_type": None,
        "datastore_active": False,
        "quality": quality_dict([latest_check(resource)]),
        "download_count": resource.download_count,
    }


def package_dict(dataset: Dataset, request) -> dict:
    tags = sorted(t.name for t in dataset.tags.all())
    active = [r for r in dataset.resources.all() if r.state == r.State.ACTIVE]
    timely = update_status(dataset, active)
    resources = [resource_dict(r, request, dataset) for r in active]
    national = {key: _plain(getattr(dataset, field)) for key, field in NATIONAL.items()}
    national["category_name"] = (
        vocab.Category(dataset.category).label if dataset.category in vocab.Category.values else ""
    )
    national["publisher"] = dataset.agency.name
    national["license_url"] = dataset.license_url
    return {
        "id": dataset.identifier,
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.description,
        "url": dataset.landing_page,
        "version": None,
        "author": dataset.agency.name,
        "author_email": None,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "license_id": dataset.license,
        "license_title": dataset.get_license_display(),
        "license_url": dataset.license_url,
        "isopen": True,
        "state": "active" if dataset.is_active else "deleted",
        "private": False,
        "type": "dataset",
        "owner_org": dataset.agency.code,
        "organization": organization_dict(dataset.agency),
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(dataset.metadata_modified),
        "num_resources": len(resources),
        "num_tags": len(tags),
        "tags": [
            {"id": t, "name": t, "display_name": t, "state": "active", "vocabulary_id": None} for t in tags
        ],
        "groups": [
            {
                "id": dataset.category,
                "name": dataset.category,
                "title": national["category_name"],
                "display_name": national["category_name"],
            }
        ],
        "extras": [{"key": k, "value": "" if v is None else str(v)} for k, v in sorted(national.items())],
        "resources": resources,
        "relationships_as_subject": [],
        "relationships_as_object": [],
        "quality": quality_dict([latest_check(r) for r in active]),
        "view_count": dataset.view_count,
        "next_update_due": ckan_time(timely.due),
        "update_overdue": timely.overdue,
        **national,
    }


class InputError(Exception):
    def __init__(self, errors: dict):
        self.errors = errors


def dataset_input(data: dict) -> dict:
    """Service keyword arguments from a CKAN package dict (top-level keys win over extras).
    Values must be text or numbers; numbers are read as text."""
    wrong = [k for k in (*NATIONAL, *CORE) if isinstance(data.get(k), dict | list | bool)]
    if wrong:
        raise InputError({k: [_("Must be text.")] for k in wrong})
    if "extras" in data and not isinstance(data["extras"], list):
        raise InputError({"extras": [_("Must be a list of {key, value} objects.")]})
    values: dict = {}
    for extra in data.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") in NATIONAL:
            values[NATIONAL[extra["key"]]] = extra.get("value")
    for key, field in {**NATIONAL, **CORE}.items():
        if key in data:
            values[field] = data[key]
    for field in ("temporal_from", "temporal_to", "published_on"):
        if values.get(field) in ("", None):
            values.pop(field, None)
    if values.get("number_of_data") in ("", None):
        values.pop("number_of_data", None)
    for field, value in list(values.items()):
        if value is None:
            values[field] = ""
        elif isinstance(value, int | float) and field != "number_of_data":
            values[field] = str(value)
        elif isinstance(value, dict | list | bool):
            raise InputError({"extras": [_("Must be text.")]})
    values.pop("identifier", None) if not values.get("identifier") else None
    return values


def tags_input(data: dict):
    if "tags" not in data:
        return None
    tags = data.get("tags") or []
    if isinstance(tags, str):
        return tags
    if not isinstance(tags, list):
        raise InputError({"tags": [_("Must be a list of tags.")]})
    return [str(t.get("name", "")) if isinstance(t, dict) else str(t) for t in tags]
