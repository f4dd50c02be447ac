"""Masking personal data (王○明, 0912-***-678) for everyone who is not a handler of the case."""

from __future__ import annotations

import re

MASK_CHAR = "○"


def normalize_phone(phone: str) -> str:
    """Digits only (0912-345-678 → 0912345678), so a caller's cases are found by number."""
    return "".join(ch for ch in (phone or "") if ch.isdigit())


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if re.fullmatch(r"[A-Za-z .'-]+", name):
        return " ".join(part[0] + "***" for part in name.split())
    if len(name) == 1:
        return MASK_CHAR
    if len(name) == 2:
        return name[0] + MASK_CHAR
    return name[0] + MASK_CHAR * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    if len(digits) >= 9:
        return f"{digits[:4]}-***-{digits[-3:]}"
    return "*" * (len(digits) - 2) + digits[-2:]


def mask_email(email: str) -> str:
    local, sep, domain = (email or "").partition("@")
    if not sep:
        return ""
    return f"{local[:1]}***@{domain}"


def mask_address(address: str) -> str:
    """Keep the street, hide house and floor numbers: 西屯區臺灣大道三段99號5樓 → 西屯區臺灣大道三段＊號＊樓."""
    return re.sub(r"[0-9０-９]+(?:之[0-9０-９]+)?(?=\s*[號樓巷弄鄰之-])", "＊", address or "")


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
