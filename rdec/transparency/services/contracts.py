"""Contracts from PCC award notices (決標公告): `import_award` for one notice, `import_awards` for a
file's worth (all or nothing), and `publication_due` (採購法施行細則 §84).

- One contract per contracting process: its `ocid` is `{OCID_PREFIX}-{機關代碼}-{標案案號}`, so a
  re-import finds the same contract. The prefix is the setting RDEC_OCDS_PREFIX; it is not
  registered with the Open Contracting Partnership yet.
- One AwardNotice (one OCDS release) per distinct notice, recognised by the SHA-256 of its canonical
  JSON: the same notice again creates nothing; a changed notice of the same case is an
  `awardUpdate`, the first one an `award`.
- The contract is linked to the tenders module's Tender whose number is the PCC case number.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rdec.core import audit, workdays
from rdec.core.models import Agency
from rdec.core.permissions import require
from rdec.core.tabular import ImportFailed
from rdec.transparency import pcc
from rdec.transparency.models import AwardNotice, Contract
from rdec.transparency.services.rules import rule_for

OCID_PREFIX = getattr(settings, "RDEC_OCDS_PREFIX", "ocds-tc1999")
TAG_AWARD = "award"
TAG_AWARD_UPDATE = "awardUpdate"
MAX_ERRORS = 500


# --- 細則 §84: the publication deadline ----------------------------------------------------------------


def publication_due(award_date: datetime.date) -> datetime.date:
    """The last day to publish the award: N calendar days after the award date (the award day not
    counted, 行政程序法 §48 para 2), N = the rule's `award_publication_days` (細則 §84: 30); a last
    day that is a day off on the government office calendar moves to the next working day when the
    rule's `roll_forward_holidays` is on (§48 para 4). Outside the loaded calendar:
    workdays.CalendarRangeError."""
    rule = rule_for(award_date)
    due = award_date + datetime.timedelta(days=rule.award_publication_days)
    if rule.roll_forward_holidays:
        while not workdays.is_working_day(due):
            due += datetime.timedelta(days=1)
    return due


# --- one notice ------------------------------------------------------------------------------------------


def canonical_fields(fields: dict) -> dict:
    """The notice as kept: keys and values as text, trimmed, empty values left out (a CSV row's empty
    columns and a JSON object without them are the same notice)."""
    kept = {}
    for key, value in fields.items():
        text = "" if value is None else str(value).strip()
        if text:
            kept[str(key).strip()] = text
    return kept


def notice_digest(fields: dict) -> str:
    """SHA-256 of the notice's canonical JSON (canonical fields, keys sorted, no spaces, UTF-8)."""
    canonical = json.dumps(
        canonical_fields(fields), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def make_ocid(unit_id: str, case_number: str) -> str:
    return f"{OCID_PREFIX}-{unit_id}-{case_number}"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").replace("台", "臺"))


def match_agency(data: pcc.AwardData) -> Agency:
    """The agency of the notice: by its code (Agency.oid, or Agency.code), else by its full name."""
    if data.unit_id:
        found = (
            Agency.objects.filter(oid=data.unit_id).first()
            or Agency.objects.filter(code=data.unit_id).first()
        )
        if found is not None:
            return found
    if data.unit_name:
        wanted = _norm(data.unit_name)
        for agency in Agency.objects.filter(name__endswith=data.unit_name[-2:]):
            if _norm(agency.name) == wanted:
                return agency
    raise ValidationError(
        {
            pcc.UNIT_ID: ValidationError(
                _("No agency of the platform has the code %(code)s or the name %(name)s."),
                code="unknown_agency",
                params={"code": data.unit_id or "—", "name": data.unit_name or "—"},
            )
        }
    )


def _tender_for(case_number: str):
    """The tenders module's Tender with this case number (its `number`), or None."""
    tender_model = Contract._meta.get_field("tender").related_model
    return tender_model.objects.filter(number=case_number).first()


@dataclass
class ImportedAward:
    contract: Contract
    notice: AwardNotice
    contract_created: bool
    notice_created: bool


def _search_text(contract: Contract) -> str:
    supplier = "" if contract.supplier_is_person else contract.supplier_name
    return " ".join(p for p in (contract.title, contract.pcc_case_number, supplier) if p)


@transaction.atomic
def import_award(fields: dict, *, agency: Agency | None = None, actor=None) -> ImportedAward:
    """Create or update the contract of one PCC award notice. `agency`: the agency to file it under
    (default: matched by 機關代碼 / 機關名稱); `actor`: None for the system (the import command),
    else a user who may manage that agency's register."""
    data = pcc.parse_award(fields)
    fields = canonical_fields(fields)
    if agency is None:
        agency = match_agency(data)
    if actor is not None:
        require(actor, "transparency.manage_register", Contract(agency=agency))
    ocid = make_ocid(data.unit_id or agency.oid or agency.code, data.case_number)
    digest = notice_digest(fields)
    existing = AwardNotice.objects.select_related("contract").filter(digest=digest).first()
    if existing is not None:
        return ImportedAward(existing.contract, existing, contract_created=False, notice_created=False)

    contract = Contract.objects.select_for_update().filter(ocid=ocid).first()
    created = contract is None
    if created:
        contract = Contract(ocid=ocid, agency=agency, kind=Contract.Kind.PROCUREMENT)
    supplier = data.supplier
    contract.title = data.title
    contract.procurement_method = data.procurement_method
    contract.award_method = data.award_method
    contract.pcc_unit_id = data.unit_id
    contract.pcc_case_number = data.case_number
    contract.tender = _tender_for(data.case_number)
    contract.supplier_name = supplier.name if supplier else ""
    contract.supplier_tax_id = supplier.code if supplier and supplier.is_company else ""
    # a natural person stays masked once someone said so, whatever a later notice looks like
    contract.supplier_is_person = contract.supplier_is_person or bool(supplier and supplier.is_person)
    contract.number_of_tenderers = data.number_of_tenderers
    contract.budget_amount = data.budget_amount
    contract.award_amount = data.award_amount
    contract.award_date = data.award_date
    try:
        contract.publication_due = publication_due(data.award_date)
    except workdays.CalendarRangeError:
        contract.publication_due = None  # before (or after) the loaded office calendar: no deadline kept
    contract.search_text = _search_text(contract)
    contract.save()

    tag = TAG_AWARD if created or not contract.award_notices.exists() else TAG_AWARD_UPDATE
    notice = AwardNotice.objects.create(
        contract=contract, digest=digest, fields=fields, tag=tag, release_id=f"{ocid}-{digest[:16]}"
    )
    audit.record("transparency.award_imported", contract, tag=tag, release_id=notice.release_id)
    return ImportedAward(contract, notice, contract_created=created, notice_created=True)


# --- a file of notices -------------------------------------------------------------------------------


AwardImportFailed = ImportFailed  # the importers' one error (rdec.core.tabular)


@dataclass
class AwardImportResult:
    new_contracts: set[int] = field(default_factory=set)
    updated_contracts: set[int] = field(default_factory=set)
    unchanged_notices: int = 0

    @property
    def contracts(self) -> int:
        return len(self.new_contracts | self.updated_contracts)


def _row_errors(row: int, exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [_("Row %(row)s: %(message)s") % {"row": row, "message": " ".join(exc.messages)}]
    return [
        _("Row %(row)s, column %(column)s: %(message)s") % {"row": row, "column": column, "message": message}
        for column, messages in exc.message_dict.items()
        for message in messages
    ]


def import_awards(
    notices: list[tuple[int, dict]], *, agency: Agency | None = None, actor=None
) -> AwardImportResult:
    """Import (row number, fields) pairs all or nothing: every bad row is reported by its row and
    column (the PCC field), and with any error nothing is written (AwardImportFailed)."""
    result = AwardImportResult()
    errors: list[str] = []
    with transaction.atomic():
        for row, fields in notices:
            try:
                with transaction.atomic():
                    imported = import_award(fields, agency=agency, actor=actor)
            except ValidationError as exc:
                errors.extend(_row_errors(row, exc))
                if len(errors) >= MAX_ERRORS:
                    break
                continue
            contract_id = imported.contract.pk
            if not imported.notice_created:
                result.unchanged_notices += 1
            elif imported.contract_created:
                result.new_contracts.add(contract_id)
            elif contract_id not in result.new_contracts:
                result.updated_contracts.add(contract_id)
        if errors:
            raise AwardImportFailed(errors)
    return result


def import_award_file(
    data: bytes, filename: str = "", *, agency: Agency | None = None, actor=None
) -> AwardImportResult:
    """Read a CSV (UTF-8 or Big5) or JSON file of award notices and import it all or nothing."""
    try:
        notices = pcc.read_notices(data, filename)
    except pcc.UnreadableNotices as exc:
        raise AwardImportFailed([exc.message]) from exc
    if not notices:
        raise AwardImportFailed([_("The file holds no award notice.")])
    return import_awards(notices, agency=agency, actor=actor)
