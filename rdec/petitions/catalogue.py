"""The service catalogue: the whole category tree (the 1999 dispatch categories and the rest of
陳情), each leaf with its default agency, its deadline rule and its everyday vocabulary, loaded
from a CSV file a city edits in a spreadsheet (rdec/petitions/data/service_catalogue.csv; columns
in docs/petitions.md, "Service catalogue").

`load_catalogue(path)` checks the whole file first and changes nothing if any row is wrong: the
error names each wrong row (as numbered in a spreadsheet: the header is row 1) and column. Then it
creates or updates the categories by code (a reload of the same file writes nothing), and of the
categories an earlier catalogue loaded that the file no longer has, removes those nothing refers
to and deactivates the others (a category cases were filed under is never deleted).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from rdec.core.models import Agency
from rdec.core.reference import ReferenceDataError
from rdec.petitions.deadlines import CATEGORY_RULES
from rdec.petitions.models import Case, Category

BUNDLED = Path(str(resources.files("rdec.petitions") / "data" / "service_catalogue.csv"))

REQUIRED = ["code", "parent", "name", "agency", "deadline", "vocabulary"]
OPTIONAL = ["name_en", "source", "anonymous_allowed", "active"]
LEAF_ONLY = ["agency", "deadline", "vocabulary"]
TERM_SEPARATORS = re.compile(r"[、;；|｜\n]")
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
YES = {"是", "yes", "y", "true", "1"}
NO = {"否", "no", "n", "false", "0"}
MAX_ERRORS = 50
# In the agency column: the case's district's 區公所 (民政局, which oversees them, without a district)
DISTRICT_OFFICE = {"區公所", "各區公所"}
DISTRICT_OFFICE_FALLBACK = "civil-affairs"


class CatalogueError(ReferenceDataError):
    """The file is wrong; `errors` are the (row, column, problem) found, and nothing was changed."""

    def __init__(self, path, errors: list[tuple[int, str, str]]):
        self.errors = errors
        labels = column_labels()
        lines = [
            _("Row %(row)s, column “%(column)s” (%(label)s): %(problem)s")
            % {"row": r, "column": c, "label": labels.get(c, c), "problem": p}
            for r, c, p in errors
        ]
        head = _("%(path)s: %(count)s errors; nothing was changed.") % {"path": path, "count": len(errors)}
        super().__init__("\n".join([head, *lines]))


def column_labels() -> dict[str, str]:
    return {
        "code": _("code"),
        "parent": _("parent category"),
        "name": _("name"),
        "name_en": _("English name"),
        "agency": _("default agency"),
        "deadline": _("deadline rule"),
        "vocabulary": _("everyday vocabulary"),
        "source": _("catalogue source"),
        "anonymous_allowed": _("anonymous allowed"),
        "active": _("active"),
    }


@dataclass
class Loaded:
    branches: int = 0
    leaves: int = 0
    created: int = 0
    updated: int = 0
    deactivated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def split_terms(value: str) -> list[str]:
    """「房屋稅、地價稅」 → ["房屋稅", "地價稅"] (also ；; | and new lines), blanks and repeats dropped."""
    terms: list[str] = []
    for term in TERM_SEPARATORS.split(value or ""):
        term = term.strip()
        if term and term not in terms:
            terms.append(term)
    return terms


def _agency_index() -> dict[str, Agency]:
    """An agency by its official name, and by its short name or code (both unique) for convenience."""
    index: dict[str, Agency] = {}
    for agency in Agency.objects.all():
        index.setdefault(agency.code, agency)
        index.setdefault(agency.short_name, agency)
    for agency in Agency.objects.all():
        index[agency.name] = agency
    return index


def _flag(value: str, default: bool) -> bool | None:
    value = (value or "").strip().lower()
    if not value:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def read(path: Path) -> tuple[list[dict], list[tuple[int, str, str]]]:
    """The rows, checked: (rows with their values resolved, errors)."""
    errors: list[tuple[int, str, str]] = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        raw = list(reader)
    if not header:
        raise CatalogueError(path, [(1, "code", _("The file is empty."))])
    for column in REQUIRED:
        if column not in header:
            errors.append((1, column, _("The file has no such column.")))
    for column in header:
        if column not in REQUIRED + OPTIONAL:
            errors.append(
                (
                    1,
                    column,
                    _("Unknown column; the columns are: %(columns)s.")
                    % {"columns": ", ".join(REQUIRED + OPTIONAL)},
                )
            )
    if errors:
        raise CatalogueError(path, errors)

    agencies = _agency_index()
    used = set(Case.objects.values_list("category__code", flat=True).distinct())
    first_row: dict[str, int] = {}
    branch_rows = {
        (row.get("code") or "").strip(): n
        for n, row in enumerate(raw, 2)
        if not (row.get("parent") or "").strip()
    }
    rows: list[dict] = []
    for n, row in enumerate(raw, 2):
        if None in row:  # more cells than columns
            errors.append((n, header[-1], _("This row has more cells than the header has columns.")))
            continue
        value = {k: (v or "").strip() for k, v in row.items()}
        code, parent = value["code"], value["parent"]
        if not code:
            errors.append((n, "code", _("Required.")))
        elif not CODE.match(code):
            errors.append(
                (
                    n,
                    "code",
                    _("“%(value)s” is not a code: lowercase letters, digits and hyphens, at most 40.")
                    % {"value": code},
                )
            )
        elif code in first_row:
            errors.append(
                (
                    n,
                    "code",
                    _("The code %(code)s is already in row %(row)s.")
                    % {"code": code, "row": first_row[code]},
                )
            )
        else:
            first_row[code] = n
        if not value["name"]:
            errors.append((n, "name", _("Required.")))
        for column, limit in (("name", 60), ("name_en", 120), ("source", 40)):
            if len(value.get(column, "")) > limit:
                errors.append((n, column, _("Longer than %(max)s characters.") % {"max": limit}))
        flags = {}
        for column in ("anonymous_allowed", "active"):
            flags[column] = _flag(value.get(column, ""), True)
            if flags[column] is None:
                errors.append((n, column, _("“%(value)s” is not 是 or 否.") % {"value": value[column]}))
        item = {"row": n, "code": code, "parent": parent, "value": value, **flags}
        if not parent:  # a branch
            for column in LEAF_ONLY:
                if value[column]:
                    errors.append((n, column, _("Must be empty on a branch (a row with no parent).")))
            if code in used:
                errors.append(
                    (n, "parent", _("Cases are filed under %(code)s: it must stay a leaf.") % {"code": code})
                )
        else:
            if parent not in branch_rows:
                errors.append(
                    (
                        n,
                        "parent",
                        _("%(parent)s is not a branch in this file (a row with no parent).")
                        % {"parent": parent},
                    )
                )
            by_district = value["agency"] in DISTRICT_OFFICE
            name = DISTRICT_OFFICE_FALLBACK if by_district else value["agency"]
            agency = agencies.get(name) if value["agency"] else None
            if not value["agency"]:
                errors.append((n, "agency", _("Required.")))
            elif agency is None:
                errors.append(
                    (n, "agency", _("No agency “%(value)s” in the agency list.") % {"value": value["agency"]})
                )
            rule = CATEGORY_RULES.get(value["deadline"])
            if not value["deadline"]:
                errors.append((n, "deadline", _("Required.")))
            elif rule is None:
                errors.append(
                    (
                        n,
                        "deadline",
                        _("Unknown deadline rule “%(value)s”; the rules are: %(rules)s.")
                        % {"value": value["deadline"], "rules": ", ".join(CATEGORY_RULES)},
                    )
                )
            terms = split_terms(value["vocabulary"])
            if not terms:
                errors.append((n, "vocabulary", _("At least one term, separated by 、.")))
            item.update(agency=agency, rule=rule, terms=terms, district_office=by_district)
        rows.append(item)
        if len(errors) >= MAX_ERRORS:
            break
    return rows, errors


@transaction.atomic
def load_catalogue(path: Path | str = BUNDLED) -> Loaded:
    """Load the catalogue file, all or nothing (CatalogueError lists every wrong row and column)."""
    path = Path(path)
    rows, errors = read(path)
    if errors:
        raise CatalogueError(path, errors)
    existing = {c.code: c for c in Category.objects.select_for_update()}
    result = Loaded()
    saved: dict[str, Category] = {}
    branch_order: dict[str, int] = {}
    leaf_count: dict[str, int] = {}
    for item in sorted(rows, key=lambda i: bool(i["parent"])):  # branches first, each in file order
        value = item["value"]
        if not item["parent"]:
            branch_order[item["code"]] = len(branch_order) + 1
            sort_order = branch_order[item["code"]] * 100
            wanted = {
                "parent": None,
                "default_agency": None,
                "working_days": 6,
                "urgent": False,
                "ack_hours": None,
                "vocabulary": [],
                "deadline_rule": "",
                "district_office": False,
            }
        else:
            leaf_count[item["parent"]] = leaf_count.get(item["parent"], 0) + 1
            sort_order = branch_order[item["parent"]] * 100 + leaf_count[item["parent"]]
            rule = item["rule"]
            wanted = {
                "parent": saved[item["parent"]],
                "default_agency": item["agency"],
                "working_days": rule.working_days,
                "urgent": rule.urgent,
                "ack_hours": rule.ack_hours,
                "vocabulary": item["terms"],
                "deadline_rule": value["deadline"],
                "district_office": item["district_office"],
            }
        wanted.update(
            name=value["name"],
            name_en=value.get("name_en", ""),
            anonymous_allowed=item["anonymous_allowed"],
            active=item["active"],
            sort_order=sort_order,
            source=value.get("source", "") or "catalogue",
        )
        category = existing.get(item["code"])
        if category is None:
            category = Category.objects.create(code=item["code"], **wanted)
            result.created += 1
        else:
            changed = [name for name, v in wanted.items() if getattr(category, name) != v]
            if changed:
                for name in changed:
                    setattr(category, name, wanted[name])
                category.save(update_fields=changed)
                result.updated += 1
        saved[item["code"]] = category
        if item["parent"]:
            result.leaves += 1
        else:
            result.branches += 1
    # Categories an earlier catalogue loaded (they carry a source) that this file no longer has:
    # leaves first, then branches; removed if nothing refers to them, else deactivated.
    gone = [c for code, c in existing.items() if code not in saved and c.source]
    for category in sorted(gone, key=lambda c: c.parent_id is None):
        referred = (
            Case.objects.filter(category=category).exists()
            or category.children.exists()
            or category.reply_templates.exists()
        )
        if not referred:
            try:
                with transaction.atomic():
                    category.delete()
                result.deleted.append(category.code)
                continue
            except ProtectedError:
                pass
        if category.active:
            category.active = False
            category.save(update_fields=["active"])
        result.deactivated.append(category.code)
    from rdec.petitions.selectors import forget_categories

    forget_categories()
    return result
