"""Masking personal data (王○明, 0912-***-678) for everyone who is not a handler of the case."""

from __future__ import annotations

import re

from rdec.core import pii
from rdec.core.pii import MASK_CHAR, mask_email, mask_name  # noqa: F401 — the field maskers


def normalize_phone(phone: str) -> str:
    """Digits only (0912-345-678 → 0912345678), so a caller's cases are found by number."""
    return "".join(ch for ch in (phone or "") if ch.isdigit())


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    if len(digits) >= 9:
        return f"{digits[:4]}-***-{digits[-3:]}"
    return "*" * (len(digits) - 2) + digits[-2:]


def mask_address(address: str) -> str:
    """Keep the street, hide house and floor numbers: 西屯區臺灣大道三段99號5樓 → 西屯區臺灣大道三段＊號＊樓."""
    return re.sub(r"[0-9０-９]+(?:之[0-9０-９]+)?(?=\s*[號樓巷弄鄰之-])", "＊", address or "")


_HOUSE_NUMBER = re.compile(r"[0-9０-９]+(?:之[0-9０-９]+)?(?=\s*[號樓巷弄鄰])")


def public_text(text: str, case) -> str:
    """Free text of `case` as the public and non-handlers may see it: the core detector's masks
    (phones, ID numbers, e-mails, introduced names, and the case's own petitioner's name, phone and
    e-mail wherever they appear) and house, floor, lane and alley numbers masked."""
    masked = pii.mask_text(
        text or "",
        names=[case.petitioner_name or ""],
        phones=[case.petitioner_phone or ""],
        emails=[case.petitioner_email or ""],
    )
    return _HOUSE_NUMBER.sub("＊", masked)


def text_view(text: str, case, user) -> str:
    """Free text of `case` for `user`: in clear for its handlers, masked by public_text otherwise."""
    from rdec.petitions.permissions import can_see_personal_data

    return text if can_see_personal_data(user, case) else public_text(text, case)


PERSONAL_FIELDS = ("petitioner_name", "petitioner_phone", "petitioner_email", "address")


def masked(case) -> dict:
    """The case's personal fields as a non-handler may see them."""
    return {
        "petitioner_name": mask_name(case.petitioner_name),
        "petitioner_phone": mask_phone(case.petitioner_phone),
        "petitioner_email": mask_email(case.petitioner_email),
        "address": mask_address(case.address),
    }


def personal_view(case, user) -> dict:
    """The personal fields for `user`: in clear for handlers, masked otherwise."""
    from rdec.petitions.permissions import can_see_personal_data

    if can_see_personal_data(user, case):
        return {f: getattr(case, f) for f in PERSONAL_FIELDS}
    return masked(case)


def export_view(case, user) -> dict:
    """The personal fields for an export: in clear for the case's handlers, empty for everyone
    else (an export leaves the platform, so a non-handler's carries no personal data at all)."""
    from rdec.petitions.permissions import can_see_personal_data

    if can_see_personal_data(user, case):
        return {f: getattr(case, f) for f in PERSONAL_FIELDS}
    return dict.fromkeys(PERSONAL_FIELDS, "")
