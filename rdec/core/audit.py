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
from django.db.models.signals import post_delete, post_save, pre_save

from rdec.core import context

MASK = "***"
ALWAYS_EXCLUDED = {"password", "hashed_key", "last_login"}


@dataclass
class Tracking:
    exclude: set[str] = field(default_factory=set)
    mask: set[str] = field(default_factory=set)


_registry: dict[type[models.Model], Tracking] = {}


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return "<binary>"
    return value


def snapshot(instance: models.Model, tracking: Tracking) -> dict:
    values = {}
    for f in instance._meta.concrete_fields:
        if f.name in tracking.exclude or f.name in ALWAYS_EXCLUDED:
            continue
        value = getattr(instance, f.attname)
        values[f.name] = MASK if (f.name in tracking.mask and value not in (None, "")) else _plain(value)
    return values


def _actor_fields() -> dict:
    acting = context.current()
    user = acting.user
    if user is not None and getattr(user, "pk", None) is None:
        user = None
    return {
        "actor": user,
        "actor_label": (user.get_username() if user is not None else "system")[:150],
        "ip_address": acting.ip_address,
    }


def _write(action: str, instance: models.Model, changes: dict, verb: str = "") -> None:
    from rdec.core.models import AuditEntry

    AuditEntry.objects.create(
        action=action,
        verb=verb,
        target_type=instance._meta.label_lower,
        target_id=str(instance.pk),
        target_repr=str(instance)[:200],
        changes=changes,
        **_actor_fields(),
    )


def record(verb: str, target: models.Model, **data) -> None:
    """Record a named event (e.g. "petition.transferred") on `target`, with extra data."""
    from rdec.core.models import AuditEntry

    tracking = _registry.get(type(target), Tracking())
    safe = {k: (MASK if k in tracking.mask else _plain(v)) for k, v in data.items()}
    _write(AuditEntry.Action.EVENT, target, safe, verb=verb)


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

    after = snapshot(instance, _registry[sender])
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        _write(AuditEntry.Action.CREATE, instance, {k: [None, v] for k, v in after.items()})
        return
    diff = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if diff:
        _write(AuditEntry.Action.UPDATE, instance, diff)


def _post_delete(sender, instance, **kwargs):
    from rdec.core.models import AuditEntry

    before = snapshot(instance, _registry[sender])
    _write(AuditEntry.Action.DELETE, instance, {k: [v, None] for k, v in before.items()})


def track(model: type[models.Model], *, exclude: list[str] | None = None, mask: list[str] | None = None):
    """Record every create, update and delete of `model` in the audit trail."""
    _registry[model] = Tracking(set(exclude or ()), set(mask or ()))
    uid = f"rdec-audit-{model._meta.label_lower}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
    post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post")
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-del")


def tracked_models() -> list[type[models.Model]]:
    return list(_registry)
