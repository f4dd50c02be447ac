"""Loading the category tree (with default agencies and deadlines) from a JSON file."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from rdec.core.models import Agency
from rdec.core.reference import ReferenceDataError
from rdec.petitions.models import Category

BUNDLED = Path(str(resources.files("rdec.petitions") / "data" / "categories.json"))


@transaction.atomic
def load_categories(path: Path = BUNDLED) -> int:
    rows = json.loads(Path(path).read_text(encoding="utf-8"))["categories"]
    agencies = {a.code: a for a in Agency.objects.all()}
    seen: dict[str, Category] = {}
    for n, row in enumerate(rows, 1):
        for field in ("code", "name"):
            if not row.get(field):
                raise ReferenceDataError(
                    _("%(path)s, category %(n)s: the field %(field)s is required.")
                    % {"path": path, "n": n, "field": field}
                )
        parent = seen.get(row["parent"]) if row.get("parent") else None
        if row.get("parent") and parent is None:
            raise ReferenceDataError(
                _("%(path)s, category %(n)s (%(code)s): parent %(parent)s is not defined above it.")
                % {"path": path, "n": n, "code": row["code"], "parent": row["parent"]}
            )
        agency = None
        if row.get("agency"):
            agency = agencies.get(row["agency"])
            if agency is None:
                raise ReferenceDataError(
                    _("%(path)s, category %(n)s (%(code)s): agency %(agency)s is not loaded.")
                    % {"path": path, "n": n, "code": row["code"], "agency": row["agency"]}
                )
        category, _created = Category.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "parent": parent,
                "default_agency": agency,
                "working_days": row.get("working_days", 6),
                "urgent": row.get("urgent", False),
                "ack_hours": row.get("ack_hours"),
                "anonymous_allowed": row.get("anonymous_allowed", True),
                "sort_order": row.get("sort_order", n),
            },
        )
        seen[category.code] = category
    return len(seen)
