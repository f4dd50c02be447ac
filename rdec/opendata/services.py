"""Writes to the open data catalog: publish, update and withdraw datasets; add and update resources.

Every function checks the actor's permission with require(), validates against the national
metadata standard (errors in the request's language, each naming its field) and leaves an audit
trail (the models are tracked; named events are recorded). A resource's new link or file is kept as
a new ResourceVersion with its date.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import attachments, audit
from rdec.core.models import Agency
from rdec.core.permissions import require
from rdec.core.tasks import enqueue_on_commit
from rdec.opendata import fetch, identifiers, portal, quality, vocab
from rdec.opendata.models import (
    BADGE_ORDER,
    Badge,
    Dataset,
    Feedback,
    PortalSync,
    QualityCheck,
    Resource,
    ResourceVersion,
    Tag,
)
from rdec.opendata.search import search_text

NAME = re.compile(r"^[a-z0-9_-]{2,100}$")

DATASET_FIELDS = {
    "title",
    "title_en",
    "description",
    "category",
    "field_description",
    "dataset_type",
    "license",
    "cost",
    "cost_url",
    "cost_law",
    "update_frequency",
    "temporal_from",
    "temporal_to",
    "spatial",
    "language",
    "landing_page",
    "number_of_data",
    "remarks",
    "contact_name",
    "contact_phone",
    "contact_email",
    "published_on",
}
RESOURCE_FIELDS = {"description", "url", "format", "encoding", "field_description", "schema"}
# Changes to these make a new version of the resource's content.
VERSIONED = {"url", "format", "encoding", "schema"}


# --- validation ---------------------------------------------------------------------------------


def _clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=True)
    except ValidationError as exc:
        raise vocab.named_errors(exc, type(instance)) from None


def _clean_tags(tags: Iterable[str] | str | None) -> list[str]:
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = re.split(r"[,，、;；]", tags)
    found: list[str] = []
    for tag in tags:
        tag = str(tag).strip()
        if not tag:
            continue
        if len(tag) > 60:
            raise ValidationError(
                {"tags": [_("%(field)s: a tag has at most 60 characters.") % {"field": _("tags")}]}
            )
        if tag not in found:
            found.append(tag)
    return found


def _set_tags(dataset: Dataset, names: list[str]) -> None:
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in names if n not in existing]
    for tag in missing:
        tag.save()
        existing[tag.name] = tag
    dataset.tags.set([existing[n] for n in names])


def _refresh_search_text(dataset: Dataset, tags: list[str] | None = None) -> None:
    tags = tags if tags is not None else list(dataset.tags.values_list("name", flat=True))
    dataset.search_text = search_text(dataset.title, dataset.description, " ".join(tags), dataset.agency.name)
    Dataset.objects.filter(pk=dataset.pk).update(search_text=dataset.search_text)


# --- datasets ------------------------------------------------------------------------------------


@transaction.atomic
def publish_dataset(
    *,
    actor,
    agency: Agency,
    title: str,
    description: str,
    category: str,
    field_description: str,
    update_frequency: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    tags: Iterable[str] | str | None = None,
    name: str = "",
    identifier: str = "",
    **optional,
) -> Dataset:
    """Publish a new dataset of `agency` (上架). The identifier is the next serial of the agency's
    code unless given; the URL name defaults to the identifier in lower case."""
    require(actor, "opendata.publish_dataset", agency)
    unknown = set(optional) - DATASET_FIELDS
    if unknown:
        raise TypeError(f"unknown dataset fields: {sorted(unknown)}")
    identifier = (identifier or "").strip() or identifiers.next_identifier(agency)
    name = (name or "").strip() or identifier.lower()
    if not NAME.match(name):
        raise ValidationError(
            {
                "name": [
                    _("%(field)s: use 2 to 100 lower-case letters, digits, - or _.")
                    % {"field": _("URL name")}
                ]
            }
        )
    now = timezone.now()
    dataset = Dataset(
        agency=agency,
        identifier=identifier,
        name=name,
        title=(title or "").strip(),
        description=(description or "").strip(),
        category=category,
        field_description=(field_description or "").strip(),
        update_frequency=vocab.normalise_frequency(update_frequency),
        contact_name=(contact_name or "").strip(),
        contact_phone=(contact_phone or "").strip(),
        contact_email=(contact_email or "").strip(),
        metadata_modified=now,
        created_at=now,
        **{k: v for k, v in optional.items() if v is not None},
    )
    names = _clean_tags(tags)
    _clean(dataset, exclude=["search_text"])
    _check_coverage(dataset)
    dataset.save()
    _set_tags(dataset, names)
    _refresh_search_text(dataset, names)
    audit.record("dataset.published", dataset, identifier=dataset.identifier)
    _queue_sync(dataset)
    return dataset


def _check_coverage(dataset: Dataset) -> None:
    if dataset.temporal_from and dataset.temporal_to and dataset.temporal_from > dataset.temporal_to:
        raise ValidationError(
            {
                "temporal_to": [
                    _("%(field)s: the coverage cannot end before it starts.") % {"field": _("coverage ends")}
                ]
            }
        )


@transaction.atomic
def update_dataset(dataset: Dataset, *, actor, tags: Iterable[str] | str | None = None, **changes) -> Dataset:
    """Change a dataset's metadata; `tags`, when given, replace the tags. 詮釋資料更新時間 is set."""
    require(actor, "opendata.edit_dataset", dataset)
    unknown = set(changes) - DATASET_FIELDS
    if unknown:
        raise TypeError(f"unknown dataset fields: {sorted(unknown)}")
    if "update_frequency" in changes:
        changes["update_frequency"] = vocab.normalise_frequency(changes["update_frequency"])
    for key, value in changes.items():
        setattr(dataset, key, value.strip() if isinstance(value, str) else value)
    names = _clean_tags(tags) if tags is not None else None
    _clean(dataset, exclude=["search_text"])
    _check_coverage(dataset)
    dataset.metadata_modified = timezone.now()
    dataset.save()
    if names is not None:
        _set_tags(dataset, names)
    _refresh_search_text(dataset, names)
    _queue_sync(dataset)
    return dataset


@transaction.atomic
def delete_dataset(dataset: Dataset, *, actor) -> Dataset:
    """Withdraw a dataset (下架): it leaves the catalog and the API; its identifier stays taken."""
    require(actor, "opendata.delete_dataset", dataset)
    dataset.state = Dataset.State.DELETED
    dataset.metadata_modified = timezone.now()
    dataset.save(update_fields=["state", "metadata_modified"])
    audit.record("dataset.withdrawn", dataset, identifier=dataset.identifier)
    _queue_sync(dataset)
    return dataset


# --- resources -----------------------------------------------------------------------------------


def _file_facts(upload: UploadedFile) -> tuple[int, str]:
    # size and kind by content (core.attachments); a data file is published as uploaded, never altered
    attachments.check_data_file(upload, field="file")
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return size, digest.hexdigest()


def _format_from_name(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].upper() if "." in filename else ""


def _check_schema(schema) -> None:
    label = _("Table Schema")
    if schema is None:
        return
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) and f.get("name") for f in fields):
        raise ValidationError(
            {
                "schema": [
                    _("%(field)s: must be an object with a list of fields, each with a name.")
                    % {"field": label}
                ]
            }
        )


def _check_resource(resource: Resource) -> None:
    errors: dict[str, list[str]] = {}
    if bool(resource.url) == bool(resource.file):
        errors["url"] = [
            _("%(field)s: give either a download URL or a file, not both or neither.")
            % {"field": _("download URL")}
        ]
    if resource.encoding and resource.encoding.upper() not in vocab.ENCODINGS:
        errors["encoding"] = [
            _("%(field)s: “%(value)s” is not a known encoding; use one of %(choices)s.")
            % {
                "field": _("character encoding"),
                "value": resource.encoding,
                "choices": ", ".join(vocab.ENCODINGS),
            }
        ]
    if resource.field_description:
        try:
            vocab.validate_field_description(resource.field_description)
        except ValidationError as exc:
            errors["field_description"] = [
                _("%(field)s: %(message)s") % {"field": _("resource fields"), "message": m}
                for m in exc.messages
            ]
    if errors:
        raise ValidationError(errors)
    _check_schema(resource.schema)


def _version(resource: Resource, actor) -> ResourceVersion:
    number = (resource.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return ResourceVersion.objects.create(
        resource=resource,
        number=number,
        url=resource.url,
        file=resource.file.name if resource.file else "",
        format=resource.format,
        encoding=resource.encoding,
        size=resource.size,
        sha256=resource.sha256,
        schema=resource.schema,
        created_at=resource.modified_at,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _queue_check(resource: Resource) -> None:
    """A new or changed upload or link is checked once the transaction commits: a linked file is
    fetched by the background job through fetch.py (SSRF checks, size and time limits), so that its
    badge is known within a minute, not after the nightly run."""
    if resource.file or resource.url:
        from rdec.opendata.tasks import check_resource_quality as task

        enqueue_on_commit(task, resource_id=resource.pk)


def _touch(dataset: Dataset) -> None:
    dataset.metadata_modified = timezone.now()
    dataset.save(update_fields=["metadata_modified"])


@transaction.atomic
def add_resource(
    dataset: Dataset,
    *,
    actor,
    description: str,
    url: str = "",
    upload: UploadedFile | None = None,
    format: str = "",  # noqa: A002 - the standard's field name
    encoding: str = "UTF-8",
    field_description: str = "",
    schema: dict | None = None,
    size: int | None = None,
) -> Resource:
    """Add a resource (a download URL or an uploaded file) to a dataset; the file's size and SHA-256
    are computed, and the first version is kept."""
    require(actor, "opendata.add_resource", dataset)
    now = timezone.now()
    number = (dataset.resources.aggregate(n=Max("number"))["n"] or 0) + 1
    resource = Resource(
        dataset=dataset,
        number=number,
        description=(description or "").strip(),
        url=(url or "").strip(),
        format=(format or "").strip().upper() or _format_from_name(upload.name if upload else url or ""),
        encoding=(encoding or "UTF-8").strip().upper(),
        field_description=(field_description or "").strip(),
        schema=schema,
        size=size,
        modified_at=now,
        created_at=now,
    )
    if upload is not None:
        resource.size, resource.sha256 = _file_facts(upload)
        resource.file = upload
    _check_resource(resource)
    _clean(resource, exclude=["dataset", "file"])
    resource.save()
    _version(resource, actor)
    _touch(dataset)
    _queue_check(resource)
    _queue_sync(dataset)
    return resource


@transaction.atomic
def update_resource(
    resource: Resource, *, actor, upload: UploadedFile | None = None, size: int | None = None, **changes
) -> Resource:
    """Change a resource. A new link, file, format, encoding or schema is kept as a new version."""
    require(actor, "opendata.update_resource", resource)
    unknown = set(changes) - RESOURCE_FIELDS
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    before = {k: getattr(resource, k) for k in VERSIONED}
    for key, value in changes.items():
        if key in ("format", "encoding") and value:
            value = value.strip().upper()
        setattr(resource, key, value.strip() if isinstance(value, str) else value)
    new_content = upload is not None
    if upload is not None:
        resource.size, resource.sha256 = _file_facts(upload)
        resource.file = upload
        resource.url = ""
    elif changes.get("url"):
        resource.file = None
        resource.sha256 = ""
        resource.size = size
    _check_resource(resource)
    _clean(resource, exclude=["dataset", "file"])
    changed = new_content or any(getattr(resource, k) != v for k, v in before.items())
    if changed:
        resource.modified_at = timezone.now()
    resource.save()
    if changed:
        _version(resource, actor)
        _queue_check(resource)
    _touch(resource.dataset)
    _queue_sync(resource.dataset)
    return resource


# --- the national portal ---------------------------------------------------------------------------


def _mark_pending(dataset: Dataset) -> PortalSync:
    sync, _created = PortalSync.objects.get_or_create(dataset=dataset)
    sync.status = PortalSync.Status.PENDING
    sync.requested_at = timezone.now()
    sync.save(update_fields=["status", "requested_at"])
    return sync


def _queue_sync(dataset: Dataset) -> None:
    """Every change of a published (or withdrawn) dataset is pushed to the national portal once the
    transaction commits, when publishing is on (RDEC_OPENDATA_PORTAL_URL) and automatic
    (RDEC_OPENDATA_PORTAL_AUTO, default true)."""
    from django.conf import settings

    if not portal.enabled() or not getattr(settings, "RDEC_OPENDATA_PORTAL_AUTO", True):
        return
    if (
        not dataset.is_active
        and not PortalSync.objects.filter(dataset=dataset).exclude(portal_id="").exists()
    ):
        return
    from rdec.opendata.tasks import push_to_portal

    _mark_pending(dataset)
    enqueue_on_commit(push_to_portal, dataset_id=dataset.pk)


@transaction.atomic
def sync_to_portal(dataset: Dataset, *, actor) -> PortalSync:
    """Send the dataset to the national portal now (its editors and RDEC officers); the push runs
    as a background job with retries and its outcome is shown on the dataset page."""
    require(actor, "opendata.sync_portal", dataset)
    if not portal.enabled():
        raise ValidationError(_("Publishing to the national portal is not configured."))
    from rdec.opendata.tasks import push_to_portal

    sync = _mark_pending(dataset)
    audit.record("dataset.portal_requested", dataset)
    enqueue_on_commit(push_to_portal, dataset_id=dataset.pk)
    return sync


# --- quality -------------------------------------------------------------------------------------


def check_resource_quality(resource: Resource, *, actor=None, fetched=None) -> QualityCheck:
    """Run the machine quality check on a resource and keep its result. `actor` None is the
    background job that checks every new upload; editors of the dataset may rerun it. A link is
    fetched outside any transaction (fetch.py); only the result is written atomically."""
    require(actor, "opendata.check_quality", resource)
    declared = vocab.parse_field_description(resource.field_description or resource.dataset.field_description)
    if resource.file:
        with resource.file.open("rb") as stream:
            report = quality.check_file(
                stream,
                format=resource.format,
                declared_encoding=resource.encoding,
                declared_fields=declared,
                schema=resource.schema,
            )
    else:
        # The nightly run fetches in its worker threads (bounded, polite) and passes the result.
        fetched = fetched if fetched is not None else fetch.fetch(resource.url)
        if fetched.file is None:
            report = quality.QualityReport()
            report.indicators["linkable"] = fetched.linkable
            report.indicators["downloadable"] = fetched.downloadable
            indicator = "linkable" if fetched.linkable != quality.PASS else "downloadable"
            report.messages.append({"indicator": indicator, "code": fetched.code, "message": fetched.message})
        else:
            with fetched.file as stream:
                report = quality.check_file(
                    stream,
                    format=resource.format,
                    declared_encoding=resource.encoding,
                    declared_fields=declared,
                    schema=resource.schema,
                )
    with transaction.atomic():
        check = QualityCheck.objects.create(
            resource=resource,
            checked_at=timezone.now(),
            indicators=report.indicators,
            badge=report.badge,
            encoding=report.encoding,
            fields=report.fields,
            rows=report.rows,
            messages=report.messages,
        )
        before = (
            Dataset.objects.filter(pk=resource.dataset_id).values_list("quality_badge", flat=True).first()
        )
        resource.dataset.quality_badge = before
        after = _refresh_badge(resource.dataset)
    # For the callers that tell agencies of a lower badge (tasks.notify_lower_badges).
    check.dataset_badge_before, check.dataset_badge_after = before, after
    return check


def _refresh_badge(dataset: Dataset) -> str:
    """The dataset's badge: the lowest of its published resources' latest checks (none if one is
    unchecked)."""
    badges = []
    for resource in dataset.resources.filter(state=Resource.State.ACTIVE):
        latest = resource.quality_checks.order_by("-checked_at", "-id").first()
        badges.append(latest.badge if latest else Badge.NONE)
    badge = min(badges, key=BADGE_ORDER.index) if badges else Badge.NONE
    if dataset.quality_badge != badge:
        dataset.quality_badge = badge
        dataset.save(update_fields=["quality_badge"])
    return badge


# --- use ----------------------------------------------------------------------------------------------


def record_view(dataset: Dataset, *, actor) -> None:
    """Count a view of the dataset's page (瀏覽次數); not audited."""
    require(actor, "opendata.record_use", dataset)
    Dataset.objects.filter(pk=dataset.pk).update(view_count=F("view_count") + 1)


def record_download(resource: Resource, *, actor) -> None:
    """Count a download of a resource (下載次數); not audited."""
    require(actor, "opendata.record_use", resource.dataset)
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)


# --- users' voice ------------------------------------------------------------------------------------


def _required_text(errors: dict, key: str, label: str, value: str, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        errors[key] = [_("%(field)s: this field is required.") % {"field": label}]
    elif limit and len(value) > limit:
        errors[key] = [_("%(field)s: at most %(limit)s characters.") % {"field": label, "limit": limit}]
    return value


@transaction.atomic
def submit_feedback(
    *,
    actor,
    kind: str,
    title: str,
    body: str,
    dataset: Dataset | None = None,
    agency: Agency | None = None,
    topic: str = Feedback.Topic.OTHER,
) -> Feedback:
    """A comment on a dataset (to its agency) or a data request (to the agency named). Its answer is
    due by the rule in force on the day it is submitted; it is public once RDEC approves it."""
    from rdec.opendata import feedback as rules

    require(actor, "opendata.submit_feedback", dataset)
    errors: dict[str, list[str]] = {}
    if kind not in Feedback.Kind.values:
        errors["kind"] = [_("%(field)s: choose a comment or a data request.") % {"field": _("kind")}]
    if topic not in Feedback.Topic.values:
        errors["topic"] = [_("%(field)s: not a known topic.") % {"field": _("topic")}]
    title = _required_text(errors, "title", _("subject"), title, 255)
    body = _required_text(errors, "body", _("message"), body, 5000)
    if kind == Feedback.Kind.COMMENT:
        if dataset is None:
            errors["dataset"] = [_("%(field)s: a comment is about a dataset.") % {"field": _("dataset")}]
        else:
            agency = dataset.agency
    elif agency is None:
        errors["agency"] = [_("%(field)s: this field is required.") % {"field": _("agency to answer")}]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    item = Feedback.objects.create(
        kind=kind,
        dataset=dataset,
        agency=agency,
        topic=topic,
        title=title,
        body=body,
        author=actor,
        created_at=now,
        due_on=rules.due_date(timezone.localdate(now)),
    )
    audit.record(f"feedback.{kind}_submitted", item, due_on=item.due_on.isoformat())
    return item


@transaction.atomic
def answer_feedback(item: Feedback, *, actor, answer: str) -> Feedback:
    """The agency's answer (回復); a later answer replaces it and keeps the first answer's time."""
    require(actor, "opendata.answer_feedback", item)
    errors: dict[str, list[str]] = {}
    answer = _required_text(errors, "answer", _("agency's answer"), answer, 5000)
    if errors:
        raise ValidationError(errors)
    if item.moderation == Feedback.Moderation.HIDDEN:
        raise ValidationError({"answer": [_("A hidden item is not answered.")]})
    item.answer = answer
    item.answered_by = actor
    if item.answered_at is None:
        item.answered_at = timezone.now()
    item.save(update_fields=["answer", "answered_by", "answered_at"])
    audit.record("feedback.answered", item, late=item.is_overdue)
    return item


@transaction.atomic
def moderate_feedback(item: Feedback, *, actor, decision: str, note: str = "") -> Feedback:
    """RDEC approves (published on the site) or hides (spam, personal data, abuse) an item."""
    require(actor, "opendata.moderate_feedback", item)
    if decision not in (Feedback.Moderation.APPROVED, Feedback.Moderation.HIDDEN):
        raise ValidationError({"decision": [_("Approve or hide.")]})
    note = (note or "").strip()
    if decision == Feedback.Moderation.HIDDEN and not note:
        raise ValidationError(
            {"note": [_("%(field)s: say why the item is hidden.") % {"field": _("review note")}]}
        )
    item.moderation = decision
    item.moderated_by = actor
    item.moderated_at = timezone.now()
    item.moderation_note = note[:300]
    item.save(update_fields=["moderation", "moderated_by", "moderated_at", "moderation_note"])
    audit.record(f"feedback.{decision}", item, note=item.moderation_note)
    return item
