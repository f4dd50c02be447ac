"""OCDS 1.1 releases of the contract register: one release per imported award notice (tag `award`,
or `awardUpdate` for a changed notice of the same case); for a contract registered by its agency
without a notice, one release of the award and the contract (tags `award`, `contract`); one
`contractAmendment` release per recorded amendment; and the release package that wraps them.

- A hidden amount (是否公開 = 否) has no `value` at all; never 0.
- A natural person's name never appears: the supplier of a contract marked `supplier_is_person`,
  and any bidder whose 廠商代碼 is not an 8-digit business ID, are named by a masked name and
  carry no identifier.
- Only published contracts are exported (the view's queryset); the imported notice's raw fields are
  never copied into a release.

The schemas used to check the output ship in data/ocds/ (see its README)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from rdec.core.pii import mask_name
from rdec.transparency import pcc
from rdec.transparency.models import AwardNotice, Contract, ContractAmendment

OCDS_VERSION = "1.1"
CURRENCY = "TWD"
PUBLISHER_NAME = "臺中市政府"
# 政府資料開放授權條款－第1版 (Open Government Data License, version 1.0)
LICENSE = getattr(settings, "RDEC_OCDS_LICENSE", "https://data.gov.tw/license")
PUBLICATION_POLICY = getattr(settings, "RDEC_OCDS_PUBLICATION_POLICY", None)
SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "ocds"


def _value(amount: Decimal | None) -> dict | None:
    return None if amount is None else {"amount": int(amount), "currency": CURRENCY}


def _day(day: datetime.date) -> str:
    """A date as the start of that day in Taipei (OCDS dates are date-times)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)).isoformat()


def _party(bidder: pcc.Bidder, *, masked: bool, roles: list[str]) -> dict:
    if masked or not bidder.is_company:
        party_id = f"tenderer-{bidder.number}"
    else:
        party_id = f"TW-UBN-{bidder.code}"
    party: dict = {"id": party_id, "name": mask_name(bidder.name) if masked else bidder.name, "roles": roles}
    if not masked and bidder.is_company:
        party["identifier"] = {"id": bidder.code, "legalName": bidder.name}
    return party


def release(notice: AwardNotice) -> dict:
    """The OCDS release of one award notice (its contract and agency loaded with it)."""
    contract: Contract = notice.contract
    data = pcc.parse_award(notice.fields)
    agency = contract.agency
    buyer = {"id": f"TW-PCC-{contract.pcc_unit_id or agency.oid or agency.code}", "name": agency.name}
    parties = [{**buyer, "roles": ["buyer"]}]
    tenderers, suppliers = [], []
    for bidder in data.bidders:
        masked = bidder.is_person or (bidder.winner and contract.supplier_is_person)
        roles = ["tenderer", "supplier"] if bidder.winner else ["tenderer"]
        party = _party(bidder, masked=masked, roles=roles)
        parties.append(party)
        ref = {"id": party["id"], "name": party["name"]}
        tenderers.append(ref)
        if bidder.winner:
            suppliers.append(ref)

    tender: dict = {"id": data.case_number, "title": data.title}
    if data.procurement_method:
        tender["procurementMethodDetails"] = data.procurement_method
    if data.award_method:
        tender["awardCriteriaDetails"] = data.award_method
    if data.number_of_tenderers is not None:
        tender["numberOfTenderers"] = data.number_of_tenderers
    if tenderers:
        tender["tenderers"] = tenderers
    if (budget := _value(data.budget_amount)) is not None:
        tender["value"] = budget

    award_id = f"{data.case_number}-award"
    award: dict = {"id": award_id, "date": _day(data.award_date), "status": "active", "suppliers": suppliers}
    if (amount := _value(data.award_amount)) is not None:
        award["value"] = amount

    result: dict = {
        "ocid": contract.ocid,
        "id": notice.release_id,
        "date": notice.imported_at.isoformat(),
        "tag": [notice.tag],
        "initiationType": "tender",
        "language": "zh-Hant",
        "buyer": buyer,
        "parties": parties,
        "tender": tender,
        "awards": [award],
    }
    if contract.signed_on:
        signed: dict = {
            "id": f"{data.case_number}-contract",
            "awardID": award_id,
            "title": contract.title,
            "dateSigned": _day(contract.signed_on),
        }
        result["contracts"] = [_with_term_and_value(signed, contract)]
    return result


def _ids(contract: Contract) -> tuple[str, str]:
    """The award's and the contract's ids within the process (as the notices' releases name them)."""
    base = contract.pcc_case_number or contract.ocid
    return f"{base}-award", f"{base}-contract"


def _buyer(contract: Contract) -> dict:
    agency = contract.agency
    return {"id": f"TW-PCC-{contract.pcc_unit_id or agency.oid or agency.code}", "name": agency.name}


def _supplier(contract: Contract) -> dict | None:
    if not contract.supplier_name:
        return None
    if contract.supplier_is_person or not contract.supplier_tax_id:
        party = {
            "id": "supplier-1",
            "name": mask_name(contract.supplier_name)
            if contract.supplier_is_person
            else contract.supplier_name,
        }
    else:
        party = {
            "id": f"TW-UBN-{contract.supplier_tax_id}",
            "name": contract.supplier_name,
            "identifier": {"id": contract.supplier_tax_id, "legalName": contract.supplier_name},
        }
    return {**party, "roles": ["supplier"]}


def _documents(contract: Contract) -> list[dict]:
    from django.urls import reverse

    found = []
    for doc in contract.documents.all():
        if doc.withheld or not doc.public_copy or doc.approved_at is None:
            continue
        found.append(
            {
                "id": str(doc.pk),
                "documentType": doc.kind if doc.kind != "other" else "contractAnnexe",
                "title": doc.title,
                "url": settings.SITE_URL
                + reverse("transparency:document-public", args=[contract.pk, doc.pk]),
                "format": "application/pdf",
            }
        )
    return found


def contract_release(contract: Contract) -> dict:
    """The release of a contract its agency registered without an award notice: the award and the
    signed contract with its public documents."""
    award_id, contract_id = _ids(contract)
    buyer = _buyer(contract)
    parties = [{**buyer, "roles": ["buyer"]}]
    award: dict = {"id": award_id, "status": "active"}
    if (supplier := _supplier(contract)) is not None:
        parties.append(supplier)
        award["suppliers"] = [{"id": supplier["id"], "name": supplier["name"]}]
    if contract.award_date:
        award["date"] = _day(contract.award_date)
    if (amount := _value(contract.award_amount)) is not None:
        award["value"] = amount
    signed: dict = {"id": contract_id, "awardID": award_id, "title": contract.title, "status": "active"}
    if contract.signed_on:
        signed["dateSigned"] = _day(contract.signed_on)
    _with_term_and_value(signed, contract)
    if documents := _documents(contract):
        signed["documents"] = documents
    published = contract.published_at or contract.updated_at
    return {
        "ocid": contract.ocid,
        "id": f"{contract.ocid}-contract-{published:%Y%m%dT%H%M%S}",
        "date": published.isoformat(),
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "language": "zh-Hant",
        "buyer": buyer,
        "parties": parties,
        "awards": [award],
        "contracts": [signed],
    }


def amendment_release(amendment: ContractAmendment) -> dict:
    """The release of one recorded amendment (契約變更): tag `contractAmendment`."""
    contract = amendment.contract
    award_id, contract_id = _ids(contract)
    changed: dict = {
        "id": contract_id,
        "awardID": award_id,
        "amendments": [
            {
                "id": str(amendment.pk),
                "date": _day(amendment.amended_on),
                "description": amendment.description,
            }
        ],
    }
    if (value := _value(amendment.award_amount)) is not None:
        changed["value"] = value
    return {
        "ocid": contract.ocid,
        "id": f"{contract.ocid}-amendment-{amendment.pk}",
        "date": _day(amendment.amended_on),
        "tag": ["contractAmendment"],
        "initiationType": "tender",
        "language": "zh-Hant",
        "buyer": _buyer(contract),
        "contracts": [changed],
    }


def published_releases(contracts: Iterable[Contract]) -> Iterator[dict]:
    """Every release of the given (published) contracts, contract by contract: its notices' releases
    (or, without any, the contract's own release), then its amendments'."""
    for contract in contracts:
        notices = list(contract.award_notices.all())
        if notices:
            for notice in notices:
                notice.contract = contract
                yield release(notice)
        else:
            yield contract_release(contract)
        for amendment in contract.amendments.all():
            amendment.contract = contract
            yield amendment_release(amendment)


def stream_releases(header: dict, releases: Iterable[dict]) -> Iterator[str]:
    """The release package as JSON text in pieces: the header, then one release at a time."""
    opening = _dumps(header)
    yield opening[:-1] + ',"releases":['
    for index, item in enumerate(releases):
        yield ("," if index else "") + _dumps(item)
    yield "]}"


def _with_term_and_value(signed: dict, contract: Contract) -> dict:
    """An OCDS contract with the contract's term (period) and amount, when known and public."""
    period = {}
    if contract.term_start:
        period["startDate"] = _day(contract.term_start)
    if contract.term_end:
        period["endDate"] = _day(contract.term_end)
    if period:
        signed["period"] = period
    if (value := _value(contract.award_amount)) is not None:
        signed["value"] = value
    return signed


def package_header(*, uri: str, published: datetime.datetime) -> dict:
    """The release package without its releases."""
    return {
        "uri": uri,
        "publishedDate": published.isoformat(),
        "publisher": {"name": PUBLISHER_NAME},
        "license": LICENSE,
        "publicationPolicy": PUBLICATION_POLICY,
        "version": OCDS_VERSION,
    }


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def stream_package(header: dict, notices: Iterable[AwardNotice]) -> Iterator[str]:
    """The release package of the given award notices' releases, in pieces."""
    return stream_releases(header, (release(notice) for notice in notices))


def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def package_validator():
    """A jsonschema validator of the release package, its $ref to the release schema resolved to the
    local copy (no network)."""
    import jsonschema
    from referencing import Registry, Resource

    package = load_schema("release-package-schema.json")
    release_schema = load_schema("release-schema.json")
    registry = Registry().with_resources(
        [
            (release_schema["id"], Resource.from_contents(release_schema, default_specification=_draft4())),
            (package["id"], Resource.from_contents(package, default_specification=_draft4())),
        ]
    )
    return jsonschema.Draft4Validator(package, registry=registry, format_checker=jsonschema.FormatChecker())


def release_validator():
    import jsonschema

    return jsonschema.Draft4Validator(
        load_schema("release-schema.json"), format_checker=jsonschema.FormatChecker()
    )


def _draft4():
    from referencing.jsonschema import DRAFT4

    return DRAFT4
