"""The registers as rows: the public pages' CSV / JSON downloads and the open data catalog's
resources (rdec.transparency.opendata) read the same rows, so they never disagree. Only public
records, a natural person's name masked and business ID left out, a hidden amount empty."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from rdec.transparency import selectors

EXPORT_LIMIT = 50_000


def contract_rows(qs):
    for c in qs[:EXPORT_LIMIT]:
        yield {
            "id": c.pk,
            "ocid": c.ocid,
            "agency": c.agency.name,
            "title": c.title,
            "type": c.kind,
            "procurement_method": c.procurement_method,
            "pcc_case_number": c.pcc_case_number,
            "supplier": selectors.supplier_shown(c),
            "supplier_tax_id": selectors.tax_id_shown(c),
            "budget_amount": None if c.budget_amount is None else int(c.budget_amount),
            "award_amount": None if c.award_amount is None else int(c.award_amount),
            "award_date": c.award_date.isoformat() if c.award_date else None,
            "signed_on": c.signed_on.isoformat() if c.signed_on else None,
            "term_start": c.term_start.isoformat() if c.term_start else None,
            "term_end": c.term_end.isoformat() if c.term_end else None,
            "published_at": c.published_at.isoformat() if c.published_at else None,
            "url": settings.SITE_URL + reverse("transparency:contract-detail", args=[c.pk]),
        }


def mou_rows(qs):
    for m in qs[:EXPORT_LIMIT]:
        yield {
            "number": m.number,
            "type": m.doc_type,
            "title": m.title,
            "summary": m.summary,
            "agency": m.lead_agency.name,
            "parties": "；".join(f"{p.name}（{p.get_kind_display()}）" for p in m.parties.all()),
            "signed_on": m.signed_on.isoformat() if m.signed_on else None,
            "term_start": m.term_start.isoformat() if m.term_start else None,
            "term_end": m.term_end.isoformat() if m.term_end else None,
            "status": m.status,
            "published_at": m.published_at.isoformat() if m.published_at else None,
            "url": settings.SITE_URL + reverse("transparency:mou-detail", args=[m.number]),
        }


def disclosure_rows(qs):
    for d in qs[:EXPORT_LIMIT]:
        yield {
            "id": d.pk,
            "agency": d.agency.name,
            "category": d.category,
            "title": d.title,
            "summary": d.summary,
            "methods": "；".join(d.methods or []),
            "url": d.url,
            "published_on": d.published_on.isoformat(),
            "updated_on": d.updated_on.isoformat(),
            "restriction": d.restriction,
        }


REGISTERS = {
    "contracts": (selectors.public_contracts, contract_rows),
    "mous": (selectors.public_mous, mou_rows),
    "disclosures": (selectors.public_disclosures, disclosure_rows),
}


HEADERS = {
    "contracts": [
        "id", "ocid", "agency", "title", "type", "procurement_method", "pcc_case_number", "supplier",
        "supplier_tax_id", "budget_amount", "award_amount", "award_date", "signed_on", "term_start",
        "term_end", "published_at", "url",
    ],
    "mous": [
        "number", "type", "title", "summary", "agency", "parties", "signed_on", "term_start", "term_end",
        "status", "published_at", "url",
    ],
    "disclosures": [
        "id", "agency", "category", "title", "summary", "methods", "url", "published_on", "updated_on",
        "restriction",
    ],
}  # fmt: skip
