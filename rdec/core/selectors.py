"""Reads of core records, scoped to the user where they are not public."""

from __future__ import annotations

from django.db.models import QuerySet

from rdec.core.models import Agency, AuditEntry, District, Village
from rdec.core.permissions import require


def agencies_public() -> QuerySet[Agency]:
    return Agency.objects.select_related("parent", "district")


def agency_tree() -> list[dict]:
    """The agency tree as nested dicts: {"agency": Agency, "children": [...]}, in file order."""
    agencies = list(agencies_public())
    nodes = {a.pk: {"agency": a, "children": []} for a in agencies}
    roots = []
    for a in agencies:
        (nodes[a.parent_id]["children"] if a.parent_id in nodes else roots).append(nodes[a.pk])
    return roots


def districts_public() -> QuerySet[District]:
    return District.objects.defer("geometry")


def villages_public() -> QuerySet[Village]:
    return Village.objects.defer("geometry").select_related("district")


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    require(user, "core.view_audit")
    return AuditEntry.objects.select_related("actor")
