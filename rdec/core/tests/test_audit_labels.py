"""The audit trail shows names, not codes: record types by their model names, named events by a
label, changed fields by their verbose names; the record-type filter is a select of those names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from rdec.core import audit
from rdec.core.audit_labels import (
    EVENT_LABELS,
    event_label,
    field_label,
    type_choices,
    type_label,
    value_label,
)
from rdec.core.models import AuditEntry
from rdec.tracking.models import Item

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2]


def test_types_events_and_fields_read_in_chinese():
    with translation.override("zh-hant"):
        assert type_label("core.user") == "使用者"
        assert type_label("petitions.extension") == "展期申請"
        assert event_label("strategy.exported") == "匯出施政策略管考"
        assert event_label("item.released") == "解除列管"
        assert event_label("petition.transferred") != "petition.transferred"  # the case history's label
        assert event_label("no.such_event") == "no.such_event"  # never blank
        assert type_label("gone.model") == "gone.model"
        assert field_label("tracking.item", "no_such_field") == "no_such_field"


def test_the_record_type_choices_are_names_and_unique():
    with translation.override("zh-hant"):
        choices = dict(type_choices())
    assert choices["core.user"] == "使用者"
    assert len(set(choices.values())) == len(choices)
    assert set(choices) == {m._meta.label_lower for m in audit.tracked_models()}
    assert not [name for name in choices.values() if re.fullmatch(r"[A-Za-z .]+", name)]


def _recorded_verbs() -> tuple[set[str], list[str]]:
    """The verbs given to audit.record()/event_entry() in the code: literal ones, and f-string
    patterns (feedback.{kind}_submitted) as regular expressions."""
    verbs, patterns = set(), []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in {"record", "event_entry"}:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and "." in first.value:
                verbs.add(first.value)
            elif isinstance(first, ast.JoinedStr):
                parts = [
                    re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_]+" for v in first.values
                ]
                patterns.append("".join(parts))
    return verbs, patterns


def test_every_recorded_event_has_a_label():
    verbs, patterns = _recorded_verbs()
    assert len(verbs) > 30
    with translation.override("zh-hant"):
        missing = sorted(v for v in verbs if event_label(v) == v)
    assert missing == []
    for pattern in patterns:
        if pattern.startswith("petition\\."):
            continue  # the case history's labels (petitions.views.VERB_LABELS)
        assert any(re.fullmatch(pattern, verb) for verb in EVENT_LABELS), pattern


def test_the_audit_pages_show_names_and_filter_by_a_select(client, personas):
    audit.record("strategy.exported", personas.officer, rows=3)
    client.force_login(personas.officer)
    html = client.get("/audit/").content.decode()
    assert '<select name="target_type"' in html
    assert '<option value="core.user">使用者</option>' in html
    assert "匯出施政策略管考" in html
    assert "<code>core.user</code>" not in html and "<code>strategy.exported</code>" not in html
    rows = list(client.get("/audit/", {"target_type": "core.user"}).context["page"])
    assert rows and {e.target_type for e in rows} == {"core.user"}
    entry = AuditEntry.objects.filter(target_type="core.user", action="create").latest("at")
    detail = client.get(f"/audit/{entry.pk}/").content.decode()
    assert "異動前" in detail and "使用者" in detail
    assert 'data-field="username"' in detail


def test_a_choice_fields_stored_code_reads_as_its_label():
    with translation.override("zh-hant"):
        released = str(Item.Status.RELEASED.label)
        assert value_label("tracking.item", "status", "released") == released != "released"
        assert value_label("tracking.item", "status", "no-such-code") == "no-such-code"  # kept as stored
        assert value_label("tracking.item", "title", "released") == "released"  # not a choice field
        assert value_label("gone.model", "status", "released") == "released"
        assert value_label("tracking.item", "status", None) is None


def test_the_audit_detail_shows_a_status_change_by_its_labels(client, personas):
    entry = AuditEntry.objects.create(
        actor=personas.officer,
        action=AuditEntry.Action.UPDATE,
        target_type="tracking.item",
        target_id="1",
        target_repr="T-1",
        changes={"status": ["open", "released"]},
    )
    client.force_login(personas.officer)
    html = client.get(f"/audit/{entry.pk}/").content.decode()
    with translation.override("zh-hant"):
        assert str(Item.Status.OPEN.label) in html and str(Item.Status.RELEASED.label) in html
    assert ">open<" not in html and ">released<" not in html
