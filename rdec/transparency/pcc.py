"""Reading PCC award notices (決標公告) as the g0v pcc API and the PCC's own exports give them: one
dict of "section:field" keys (`決標資料:決標日期`, `投標廠商:投標廠商2:是否得標` …) and text values.

The traps real parsers fell into, and how this module avoids them (see docs/transparency.md):

- Keys are matched whole, never by substring: 「預算金額」 must not hit 「預算金額是否公開」 (and read 「是」).
- An amount whose 「…是否公開」 flag is 否 (also the multi-line 「否\\n預算金額涉及商業機密」) is None, never 0.
- The supplier is the bidder whose 是否得標 is 是, not bidder 1.
- The award is 總決標金額, not one bidder's 決標金額.
- Dates are strict ROC dates (114/03/05 → 2025-03-05); an impossible date (114/02/30) is an error
  naming its field.

Also the readers of an import file (CSV in UTF-8 or Big5 with the PCC keys as header, or JSON: a
list of objects of PCC keys, or the g0v pcc API's {"records": [{"detail": {...}}]})."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rdec.core import tabular

ROC_OFFSET = 1911

UNIT_ID = "機關資料:機關代碼"
UNIT_NAME = "機關資料:機關名稱"
CASE_NUMBER = "已公告資料:標案案號"
TITLE = "已公告資料:標案名稱"
PROCUREMENT_METHOD = "已公告資料:招標方式"
AWARD_METHOD = "已公告資料:決標方式"
BUDGET = "已公告資料:預算金額"
BUDGET_PUBLIC = "已公告資料:預算金額是否公開"
AWARD_DATE = "決標資料:決標日期"
AWARD_TOTAL = "決標資料:總決標金額"
AWARD_TOTAL_PUBLIC = "決標資料:總決標金額是否公開"
TENDERER_COUNT = "投標廠商:投標廠商家數"
BIDDER_KEY = re.compile(r"^投標廠商:投標廠商(\d+):(廠商代碼|廠商名稱|是否得標|決標金額)$")

_ROC_DATE = re.compile(r"^(\d{1,3})/(\d{1,2})/(\d{1,2})$")
_AMOUNT = re.compile(r"^\d+$")
TAX_ID = re.compile(r"^\d{8}$")
MAX_AMOUNT = Decimal(10) ** 16


def _text(value) -> str:
    return "" if value is None else str(value).strip()


# --- single values -----------------------------------------------------------------------------------


def parse_roc_date(value, *, key: str = AWARD_DATE) -> datetime.date:
    """「114/03/05」 → 2025-03-05; anything else (an impossible day, an ISO date, words) is a
    ValidationError on `key`."""
    text = _text(value)
    match = _ROC_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if year >= 1:
            try:
                return datetime.date(year + ROC_OFFSET, month, day)
            except ValueError:
                pass
    raise ValidationError(
        {
            key: ValidationError(
                _("%(value)s is not a date in the ROC form 114/03/05."),
                code="invalid_date",
                params={"value": text or "—"},
            )
        }
    )


def format_roc_date(day: datetime.date) -> str:
    """2025-03-05 → 「114/03/05」 (the form PCC notices use)."""
    if day.year <= ROC_OFFSET:
        raise ValueError("ROC dates start in 1912")
    return f"{day.year - ROC_OFFSET}/{day.month:02d}/{day.day:02d}"


def parse_amount(value, *, key: str) -> Decimal | None:
    """「4,788,000元」 → Decimal(4788000); empty → None; anything else a ValidationError on `key`."""
    text = _text(value)
    if not text:
        return None
    digits = re.sub(r"[,\s]", "", text).removesuffix("元").removeprefix("NT$")
    if not _AMOUNT.match(digits) or Decimal(digits) >= MAX_AMOUNT:
        raise ValidationError(
            {
                key: ValidationError(
                    _("%(value)s is not an amount in whole New Taiwan dollars."),
                    code="invalid_amount",
                    params={"value": text},
                )
            }
        )
    return Decimal(digits)


def parse_public_flag(value, *, key: str) -> bool | None:
    """A 「…是否公開」 value: 是 → True, 否 (also 「否\\n預算金額涉及商業機密」) → False, absent → None."""
    text = _text(value)
    if not text:
        return None
    first = text.splitlines()[0].strip()
    if first == "是":
        return True
    if first.startswith("否"):
        return False
    raise ValidationError(
        {
            key: ValidationError(
                _("%(value)s is neither 是 nor 否."), code="invalid_flag", params={"value": text}
            )
        }
    )


def parse_yes_no(value, *, key: str) -> bool:
    text = _text(value)
    if text in ("是", "Y", "y"):
        return True
    if text in ("否", "N", "n", ""):
        return False
    raise ValidationError(
        {
            key: ValidationError(
                _("%(value)s is neither 是 nor 否."), code="invalid_flag", params={"value": text}
            )
        }
    )


def award_budget_ratio(award: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """The award over the budget, to four places (4,788,000 / 5,853,750 → 0.8179); None when
    either is not public or the budget is 0."""
    if award is None or not budget:
        return None
    return (award / budget).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


# --- a whole notice ----------------------------------------------------------------------------------


@dataclass
class Bidder:
    number: int
    code: str = ""
    name: str = ""
    winner: bool = False
    amount: Decimal | None = None

    @property
    def is_company(self) -> bool:
        """A company has an 8-digit business ID (統一編號); any other code is a natural person's."""
        return bool(TAX_ID.match(self.code))

    @property
    def is_person(self) -> bool:
        return bool(self.code) and not self.is_company


@dataclass
class AwardData:
    unit_id: str
    unit_name: str
    case_number: str
    title: str
    procurement_method: str
    award_method: str
    award_date: datetime.date
    award_amount: Decimal | None
    budget_amount: Decimal | None
    number_of_tenderers: int | None
    bidders: list[Bidder] = field(default_factory=list)

    @property
    def winners(self) -> list[Bidder]:
        return [b for b in self.bidders if b.winner]

    @property
    def supplier(self) -> Bidder | None:
        winners = self.winners
        return winners[0] if winners else None

    @property
    def ratio(self) -> Decimal | None:
        return award_budget_ratio(self.award_amount, self.budget_amount)


def _public_amount(fields: dict, amount_key: str, flag_key: str, errors: dict) -> Decimal | None:
    try:
        public = parse_public_flag(fields.get(flag_key), key=flag_key)
    except ValidationError as exc:
        errors.update(exc.error_dict)
        return None
    if public is False:
        return None  # not public: empty, never 0, whatever the amount column says
    try:
        return parse_amount(fields.get(amount_key), key=amount_key)
    except ValidationError as exc:
        errors.update(exc.error_dict)
        return None


def _required(fields: dict, key: str, errors: dict, max_length: int) -> str:
    text = _text(fields.get(key))
    if not text:
        errors[key] = [ValidationError(_("This field is required."), code="required")]
    elif len(text) > max_length:
        errors[key] = [
            ValidationError(_("At most %(max)s characters."), code="max_length", params={"max": max_length})
        ]
    return text


def parse_award(fields: dict) -> AwardData:
    """Read one award notice; every problem is reported at once, as a ValidationError keyed by the
    PCC field (`決標資料:決標日期`, …)."""
    if not isinstance(fields, dict):
        raise ValidationError(_("An award notice is an object of PCC fields."), code="invalid")
    errors: dict[str, list] = {}
    unit_id = _text(fields.get(UNIT_ID))
    unit_name = _text(fields.get(UNIT_NAME))
    if not unit_id and not unit_name:
        errors[UNIT_ID] = [
            ValidationError(_("The agency code or the agency name is required."), code="required")
        ]
    if len(unit_id) > 40:
        errors[UNIT_ID] = [
            ValidationError(_("At most %(max)s characters."), code="max_length", params={"max": 40})
        ]
    case_number = _required(fields, CASE_NUMBER, errors, 60)
    title = _required(fields, TITLE, errors, 300)
    award_date = None
    if not _text(fields.get(AWARD_DATE)):
        errors[AWARD_DATE] = [ValidationError(_("This field is required."), code="required")]
    else:
        try:
            award_date = parse_roc_date(fields.get(AWARD_DATE), key=AWARD_DATE)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    award_amount = _public_amount(fields, AWARD_TOTAL, AWARD_TOTAL_PUBLIC, errors)
    budget_amount = _public_amount(fields, BUDGET, BUDGET_PUBLIC, errors)
    count = None
    count_text = _text(fields.get(TENDERER_COUNT))
    if count_text:
        if count_text.isdigit() and int(count_text) < 10000:
            count = int(count_text)
        else:
            errors[TENDERER_COUNT] = [
                ValidationError(
                    _("%(value)s is not a number of tenderers."), code="invalid", params={"value": count_text}
                )
            ]
    bidders: dict[int, Bidder] = {}
    for key, value in fields.items():
        match = BIDDER_KEY.match(str(key))
        if not match:
            continue
        bidder = bidders.setdefault(int(match.group(1)), Bidder(int(match.group(1))))
        part = match.group(2)
        try:
            if part == "廠商代碼":
                bidder.code = _text(value)
            elif part == "廠商名稱":
                bidder.name = _text(value)[:200]
            elif part == "是否得標":
                bidder.winner = parse_yes_no(value, key=key)
            else:
                bidder.amount = parse_amount(value, key=key)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    return AwardData(
        unit_id=unit_id,
        unit_name=unit_name,
        case_number=case_number,
        title=title,
        procurement_method=_text(fields.get(PROCUREMENT_METHOD))[:100],
        award_method=_text(fields.get(AWARD_METHOD))[:100],
        award_date=award_date,
        award_amount=award_amount,
        budget_amount=budget_amount,
        number_of_tenderers=count,
        bidders=[bidders[n] for n in sorted(bidders)],
    )


# --- import files ------------------------------------------------------------------------------------


class UnreadableNotices(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _from_json(data: bytes) -> list[tuple[int, dict]]:
    try:
        document = json.loads(tabular.decode(data))
    except (json.JSONDecodeError, tabular.UnreadableFile) as exc:
        raise UnreadableNotices(_("The file is not valid JSON.")) from exc
    if isinstance(document, dict) and isinstance(document.get("records"), list):
        # the g0v pcc API (/api/tender): the award notices' details
        items = [
            r.get("detail")
            for r in document["records"]
            if isinstance(r, dict) and isinstance(r.get("detail"), dict) and AWARD_DATE in r["detail"]
        ]
    elif isinstance(document, list):
        items = document
    else:
        raise UnreadableNotices(
            _("The JSON file must be a list of award notices (objects of PCC fields) or a pcc API answer.")
        )
    return [(number, item) for number, item in enumerate(items, start=1)]


def _from_table(data: bytes, filename: str) -> list[tuple[int, dict]]:
    try:
        rows = list(tabular.iter_rows(data, filename))
    except tabular.UnreadableFile as exc:
        raise UnreadableNotices(exc.message) from exc
    if not rows:
        raise UnreadableNotices(_("The file is empty."))
    header = [_text(h) for h in rows[0]]
    notices = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(_text(c) for c in row):
            continue
        notices.append((line, {key: _text(value) for key, value in zip(header, row, strict=False) if key}))
    return notices


def read_notices(data: bytes, filename: str = "") -> list[tuple[int, dict]]:
    """The notices of an import file as (row number, fields): a CSV's rows are numbered as a
    spreadsheet shows them (header = row 1), a JSON list's items from 1."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if filename.lower().endswith(".json") or head in (b"[", b"{"):
        return _from_json(data)
    return _from_table(data, filename)
