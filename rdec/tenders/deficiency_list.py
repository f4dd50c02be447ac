"""The deficiency list (缺失項目) as reference data: read from the bundled JSON
(`rdec/tenders/data/deficiencies.json`, with its sources) or from a CSV/JSON file given to
`rdec load_deficiencies FILE`. All or nothing: every bad row is reported, nothing is written unless
all rows are good. Codes are updated in place; codes missing from the file are marked not in use
(findings keep their code)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

BUNDLED = Path(__file__).parent / "data" / "deficiencies.json"
CATEGORIES = {"system", "workmanship", "progress", "design", "other"}
PARTIES = {"agency", "supervisor", "contractor"}
COLUMNS = ("code", "description", "points", "category", "party", "source")


class LoadFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class LoadResult:
    created: int
    updated: int
    retired: int


def parse(data: bytes, filename: str = "") -> list[dict]:
    """Rows of the file (JSON: {"items": [...]} or a list; CSV with the COLUMNS header), checked."""
    text = data.decode("utf-8-sig")
    if filename.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise LoadFailed([_("The file is not valid JSON: %(error)s") % {"error": exc}]) from exc
        rows = doc.get("items", []) if isinstance(doc, dict) else doc
        if not isinstance(rows, list):
            raise LoadFailed([_("The JSON file has no list of items.")])
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    errors, out, seen = [], [], set()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.append(_("Row %(row)s: not an object.") % {"row": number})
            continue
        code = str(row.get("code") or "").strip()
        description = str(row.get("description") or "").strip()
        category = str(row.get("category") or "").strip()
        party = str(row.get("party") or "").strip()
        here = {"row": number}
        if not code:
            errors.append(_("Row %(row)s, column code: give the code.") % here)
        elif code in seen:
            errors.append(_("Row %(row)s, column code: the code appears twice.") % here)
        seen.add(code)
        if not description:
            errors.append(_("Row %(row)s, column description: give the description.") % here)
        try:
            points = Decimal(str(row.get("points", "")).strip())
            if points < 0 or points > 100:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors.append(_("Row %(row)s, column points: give a number from 0 to 100.") % here)
            points = None
        if category not in CATEGORIES:
            errors.append(
                _("Row %(row)s, column category: one of %(values)s.")
                % {**here, "values": ", ".join(sorted(CATEGORIES))}
            )
        if party not in PARTIES:
            errors.append(
                _("Row %(row)s, column party: one of %(values)s.")
                % {**here, "values": ", ".join(sorted(PARTIES))}
            )
        out.append(
            {
                "code": code,
                "description": description[:300],
                "points": points,
                "category": category,
                "party": party,
                "source": str(row.get("source") or "").strip()[:300],
            }
        )
    if not out and not errors:
        errors.append(_("The file has no rows."))
    if errors:
        raise LoadFailed(errors)
    return out


def store(rows: list[dict], model) -> LoadResult:
    """Write checked rows into `model` (the Deficiency model, or its historical version)."""
    existing = {d.code: d for d in model.objects.all()}
    created = updated = 0
    for row in rows:
        found = existing.get(row["code"])
        if found is None:
            model.objects.create(is_active=True, **row)
            created += 1
        else:
            for key, value in row.items():
                setattr(found, key, value)
            found.is_active = True
            found.save()
            updated += 1
    codes = {r["code"] for r in rows}
    retired = model.objects.exclude(code__in=codes).filter(is_active=True).update(is_active=False)
    return LoadResult(created, updated, retired)


def load_bundled(model) -> LoadResult:
    return store(parse(BUNDLED.read_bytes(), BUNDLED.name), model)
