"""The audit trail: every create, update and delete of a registered domain model is recorded with
who, when, from where, and the values before and after. Services record named events with
`record()`. Entries are never edited or deleted (see `AuditEntry`).

A module registers its models once, in its `AppConfig.ready()`:

    audit.track(Petition, exclude=["search_vector"], mask=["petitioner_phone"])

Masked fields are written as "***" so personal data never reaches the trail.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from dataclasses import dataclass, field

from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save

from rdec.core import context, pii

MASK = "***"
ALWAYS_EXCLUDED = {"last_login"}
ALWAYS_MASKED = {"password", "hashed_key"}


@dataclass
class Tracking:
    exclude: set[str] = field(default_factory=set)
    mask: set[str] = field(default_factory=set)
    id_attr: str = "pk"


_registry: dict[type[models.Model], Tracking] = {}


class _StoredName(str):
    """A stored file's name: the platform made it (a uuid path), so it is not free text to mask —
    a random run of digits in it could otherwise be read as a phone number."""


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return "<binary>"
    if isinstance(value, FieldFile):
        return _StoredName(value.name or "")
    return value


def snapshot(instance: models.Model, tracking: Tracking) -> dict:
    """The tracked field values, unmasked: they are compared, then masked by `_shown()`."""
    return {
        f.name: _plain(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name not in tracking.exclude and f.name not in ALWAYS_EXCLUDED
    }


def _shown(tracking: Tracking, name: str, value):
    if (name in tracking.mask or name in ALWAYS_MASKED) and value not in (None, ""):
        return MASK
    if isinstance(value, str) and value and not isinstance(value, _StoredName):
        # free text (a description, a note, a reply) may hold typed phones, e-mails, ID numbers
        return pii.mask_text(value)
    return value


def _pairs(tracking: Tracking, pairs: dict) -> dict:
    return {k: [_shown(tracking, k, a), _shown(tracking, k, b)] for k, (a, b) in pairs.items()}


def _actor_label(user) -> str:
    """The username; for a connected system, with its key's scopes (`api.bi [oversight, read-only]`)."""
    if user is None:
        return "system"
    label = user.get_username()
    if getattr(user, "role", None) == "system":
        read_only, oversight = user.api_scope
        scopes = ["oversight" if oversight else "agency", "read-only" if read_only else "read-write"]
        label = f"{label} [{', '.join(scopes)}]"
    return label


def _actor_fields() -> dict:
    acting = context.current()
    user = acting.user
    if user is not None and getattr(user, "pk", None) is None:
        user = None
    return {
        "actor": user,
        "actor_label": _actor_label(user)[:150],
        "ip_address": acting.ip_address,
    }


def _entry(action: str, instance: models.Model, changes: dict, verb: str = ""):
    from rdec.core.models import AuditEntry

    tracking = _registry.get(type(instance), Tracking())
    return AuditEntry(
        action=action,
        verb=verb,
        target_type=instance._meta.label_lower,
        target_id=str(getattr(instance, tracking.id_attr))[:64],
        target_repr=pii.mask_text(str(instance))[:200],
        changes=changes,
        **_actor_fields(),
    )


def _write(action: str, instance: models.Model, changes: dict, verb: str = "") -> None:
    _entry(action, instance, changes, verb).save()


def record(verb: str, target: models.Model, **data) -> None:
    """Record a named event (e.g. "petition.transferred") on `target`, with extra data."""
    event_entry(verb, target, **data).save()


def event_entry(verb: str, target: models.Model, **data):
    """The unsaved entry `record()` would write: for services that write many rows at once."""
    from rdec.core.models import AuditEntry

    tracking = _registry.get(type(target), Tracking())
    safe = {k: _shown(tracking, k, _plain(v)) for k, v in data.items()}
    return _entry(AuditEntry.Action.EVENT, target, safe, verb=verb)


def created_entry(instance: models.Model):
    """The unsaved entry a create of a tracked model writes. bulk_create() sends no signals: a
    service that bulk-creates tracked rows writes these itself, with `write_all()`."""
    from rdec.core.models import AuditEntry

    tracking = _registry[type(instance)]
    after = snapshot(instance, tracking)
    return _entry(
        AuditEntry.Action.CREATE, instance, _pairs(tracking, {k: (None, v) for k, v in after.items()})
    )


def write_all(entries: list) -> None:
    from rdec.core.models import AuditEntry

    AuditEntry.objects.bulk_create(entries)


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old, _registry[sender]) if old is not None else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    from rdec.core.models import AuditEntry

    tracking = _registry[sender]
    after = snapshot(instance, tracking)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        _write(AuditEntry.Action.CREATE, instance, _pairs(tracking, {k: (None, v) for k, v in after.items()}))
        return
    diff = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
    if diff:
        _write(AuditEntry.Action.UPDATE, instance, _pairs(tracking, diff))


def _post_delete(sender, instance, **kwargs):
    from rdec.core.models import AuditEntry

    tracking = _registry[sender]
    before = snapshot(instance, tracking)
    _write(AuditEntry.Action.DELETE, instance, _pairs(tracking, {k: (v, None) for k, v in before.items()}))


def track(
    model: type[models.Model],
    *,
    exclude: list[str] | None = None,
    mask: list[str] | None = None,
    id_attr: str = "pk",
):
    """Record every create, update and delete of `model` in the audit trail, identified by `id_attr`."""
    _registry[model] = Tracking(set(exclude or ()), set(mask or ()), id_attr)
    uid = f"rdec-audit-{model._meta.label_lower}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
    post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post")
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-del")


def tracked_models() -> list[type[models.Model]]:
    return list(_registry)
