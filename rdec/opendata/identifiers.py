"""Dataset identifiers of the national standard: 機關代碼 (10 characters) - 流水號 (6 digits)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rdec.core.models import Agency
from rdec.opendata.models import Dataset


def agency_code(agency: Agency) -> str | None:
    """The 10-character government agency code (機關代碼) for identifiers: the agency's own, else
    its nearest parent's (the city's OID when the agency's own is not recorded)."""
    current = agency
    while current is not None:
        if current.oid and re.fullmatch(r"[0-9A-Z]{10}", current.oid):
            return current.oid
        current = current.parent
    return None


def next_identifier(agency: Agency) -> str:
    code = agency_code(agency)
    if code is None:
        raise ValidationError(
            {
                "agency": [
                    _("The agency has no government agency code (機關代碼); an administrator must record it.")
                ]
            }
        )
    taken = Dataset.objects.filter(identifier__startswith=f"{code}-").values_list("identifier", flat=True)
    serial = max((int(i.rsplit("-", 1)[1]) for i in taken), default=0) + 1
    return f"{code}-{serial:06d}"
