"""Importing the old 1999 system's case export (`rdec import_petitions FILE.csv`).

Columns: case_no, received_at, channel, category, subject, description, district, address, lat,
lon, agency, status, replied_at, closed_at, satisfaction (header row; extra columns are ignored).

- Encoding: UTF-8 (with or without BOM) or Big5 (cp950).
- category: code or name, a leaf or `parent/leaf` (each by code or name).
- district: name (北屯區, 北屯, 臺中市北屯區) or MOI code (66000080); with lat/lon the point decides
  the district and village (rdec.core.geo). Without lat/lon a district or an address is required.
- agency: code, short name or full name; empty means the category's default agency.
- dates: ISO 8601 (2022-03-07, 2022-03-07T14:05+08:00) or ROC (111/03/07, 111/03/07 14:05).
- channel: code (web, phone, ...) or Chinese label (網路, 1999電話, 市長信箱, 臨櫃, 議員轉介, ...);
  empty means 1999 phone.
- status: code or 受理/分案/處理中/已回覆/結案/撤回.
- satisfaction: empty or 1–5 (kept as a rating of the reply).

**All or nothing.** Every row is validated in memory first and every problem is reported as
"row N, column X: what is wrong" (the header is row 1). If there is any error nothing is written.
Otherwise every case is written in one transaction (bulk inserts in batches), so a failure half way
leaves the database as it was. Case numbers already in the database are errors, so importing the
same file twice is refused.

Imported cases keep case_no as their number, get their due date from the office calendar
(`deadlines.due_date_for`), one agency tenure, one history event "imported", no petitioner data
(the export has none) and a tracking code nobody knows (the old system's codes are not exported).
One audit entry "petition.imported" is recorded per batch, on the batch's first case.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rdec.core import audit, geo, tabular, workdays
from rdec.core.context import acting_as
from rdec.core.models import Agency, District, Village
from rdec.core.tabular import ImportFailed
from rdec.petitions import deadlines, numbering
from rdec.petitions.models import AgencyTenure, Case, CaseEvent, Category, Rating
from rdec.petitions.search import search_text
from rdec.petitions.tracking import hash_code

COLUMNS = (
    "case_no",
    "received_at",
    "channel",
    "category",
    "subject",
    "description",
    "district",
    "address",
    "lat",
    "lon",
    "agency",
    "status",
    "replied_at",
    "closed_at",
    "satisfaction",
)
REQUIRED_COLUMNS = ("case_no", "received_at", "category", "subject", "description")
BATCH_SIZE = 2000

CHANNEL_ALIASES = {
    "網路": Case.Channel.WEB,
    "網站": Case.Channel.WEB,
    "網路陳情": Case.Channel.WEB,
    "1999": Case.Channel.PHONE,
    "1999電話": Case.Channel.PHONE,
    "1999專線": Case.Channel.PHONE,
    "電話": Case.Channel.PHONE,
    "市長信箱": Case.Channel.EMAIL,
    "電子郵件": Case.Channel.EMAIL,
    "e-mail": Case.Channel.EMAIL,
    "email": Case.Channel.EMAIL,
    "市長信箱/e-mail": Case.Channel.EMAIL,
    "臨櫃": Case.Channel.COUNTER,
    "臨櫃陳情": Case.Channel.COUNTER,
    "議員轉介": Case.Channel.COUNCILLOR,
    "議員": Case.Channel.COUNCILLOR,
    "open311": Case.Channel.OPEN311,
    "行動市政會議": Case.Channel.MEETING,
}
STATUS_ALIASES = {
    "受理": Case.Status.RECEIVED,
    "已受理": Case.Status.RECEIVED,
    "分案": Case.Status.ASSIGNED,
    "已分案": Case.Status.ASSIGNED,
    "處理中": Case.Status.IN_PROGRESS,
    "已回覆": Case.Status.REPLIED,
    "回覆": Case.Status.REPLIED,
    "結案": Case.Status.CLOSED,
    "已結案": Case.Status.CLOSED,
    "撤回": Case.Status.WITHDRAWN,
    "已撤回": Case.Status.WITHDRAWN,
}
IMPORTABLE_STATUSES = {s for s in Case.Status.values if s != Case.Status.MERGED}

ROC_DATE = re.compile(r"^(\d{2,3})[/.-](\d{1,2})[/.-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
PLATFORM_NUMBER = re.compile(r"^(\d{2,3})-(\d{7})$")  # the platform's own format (services._next_number)
SLASH_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


@dataclass
class ImportResult:
    cases: int = 0
    ratings: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else Big5 / cp950."""
    try:
        return tabular.decode(data)
    except tabular.UnreadableFile as exc:
        raise ImportFailed([exc.message]) from exc


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").replace("台", "臺")).lower()


def parse_datetime(value: str) -> datetime.datetime:
    """ISO 8601 or ROC (111/03/07, 111/03/07 14:05[:33]) or 2022/03/07; naive means Taipei time."""
    value = value.strip()
    match = ROC_DATE.match(value)
    if match and len(match.group(1)) <= 3 and not value[:4].isdigit():
        year = int(match.group(1)) + 1911
        parts = match.groups()[1:]
    else:
        match = SLASH_DATE.match(value)
        if match:
            year, parts = int(match.group(1)), match.groups()[1:]
        else:
            parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    month, day, hour, minute, second = (int(p) if p else 0 for p in parts)
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute, second))  # noqa: DTZ001


class _Lookups:
    """Every reference table in memory: categories, districts, villages, agencies, channels."""

    def __init__(self):
        self.categories = list(Category.objects.select_related("parent", "default_agency"))
        self.cat_by_key: dict[str, list[Category]] = {}
        self.cat_by_path: dict[tuple[str, str], Category] = {}
        for cat in self.categories:
            for key in {_norm(cat.code), _norm(cat.name)}:
                self.cat_by_key.setdefault(key, []).append(cat)
            if cat.parent_id:
                for pkey in {_norm(cat.parent.code), _norm(cat.parent.name)}:
                    for key in {_norm(cat.code), _norm(cat.name)}:
                        self.cat_by_path[(pkey, key)] = cat
        self.districts: dict[str, District] = {}
        for d in District.objects.only("id", "code", "name", "city_name"):
            names = {d.code, d.name, d.name.removesuffix("區"), d.city_name + d.name}
            for key in names:
                self.districts[_norm(key)] = d
        self.villages = dict(Village.objects.values_list("id", "code"))
        self.agencies: dict[str, Agency] = {}
        for a in Agency.objects.all():
            for key in (a.code, a.short_name, a.name, a.oid):
                if key:
                    self.agencies.setdefault(_norm(key), a)
        self.fallback_agency = Agency.objects.filter(code="rdec").first()
        self.channels = {_norm(k): v for k, v in CHANNEL_ALIASES.items()}
        self.statuses = {_norm(k): v for k, v in STATUS_ALIASES.items()}
        for choices, target in ((Case.Channel, self.channels), (Case.Status, self.statuses)):
            for value, label in choices.choices:
                target[_norm(value)] = value
                target[_norm(str(label))] = value
                with translation.override("zh-hant"):
                    target[_norm(str(label))] = value
        self.due_cache: dict[tuple[datetime.date, int], datetime.date] = {}

    def category(self, value: str) -> tuple[Category | None, str]:
        if "/" in value or "›" in value:
            parent, leaf = re.split(r"[/›]", value, maxsplit=1)
            cat = self.cat_by_path.get((_norm(parent), _norm(leaf)))
            return cat, "" if cat else _("unknown category %(value)s") % {"value": value}
        found = self.cat_by_key.get(_norm(value), [])
        leaves = [c for c in found if c.parent_id]
        if not found:
            return None, _("unknown category %(value)s") % {"value": value}
        if not leaves:
            return None, _("%(value)s is a category group; give one of its categories") % {"value": value}
        if len({c.pk for c in leaves}) > 1:
            return None, _("%(value)s is ambiguous; write it as group/category") % {"value": value}
        return leaves[0], ""

    def due_date(self, received_at: datetime.datetime, working_days: int) -> datetime.date:
        key = (timezone.localtime(received_at).date(), working_days)
        if key not in self.due_cache:
            self.due_cache[key] = deadlines.due_date_for(received_at, working_days)
        return self.due_cache[key]


def _read_rows(data: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lstrip("\ufeff").lower() for h in next(reader, [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFailed(
            [
                _("row 1, column %(column)s: the column is missing from the header.") % {"column": c}
                for c in missing
            ]
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}
    rows = []
    for line, cells in enumerate(reader, 2):
        if not any(c.strip() for c in cells):
            continue
        rows.append((line, {name: (cells[i].strip() if i < len(cells) else "") for name, i in index.items()}))
    return header, rows


def _row_error(line: int, column: str, message: str) -> str:
    return _("row %(row)s, column %(column)s: %(message)s") % {
        "row": line,
        "column": column,
        "message": message,
    }


def _validate(rows, lookups: _Lookups) -> tuple[list[dict], list[tuple[int, str]]]:
    errors: list[tuple[int, str]] = []
    valid: list[dict] = []
    seen: dict[str, int] = {}
    today = timezone.now()

    for line, row in rows:

        def err(column, message, line=line):
            errors.append((line, _row_error(line, column, message)))

        before = len(errors)
        out: dict = {"line": line}
        number = row.get("case_no", "")
        if not number:
            err("case_no", _("the case number is empty"))
        elif len(number) > 20:
            err("case_no", _("longer than 20 characters"))
        elif number in seen:
            err(
                "case_no",
                _("%(number)s appears again (first on row %(first)s)")
                % {"number": number, "first": seen[number]},
            )
        else:
            seen[number] = line
        out["number"] = number

        def when(column, required=False, row=row):
            value = row.get(column, "")
            if not value:
                if required:
                    err(column, _("the date is empty"))
                return None
            try:
                moment = parse_datetime(value)
            except (ValueError, OverflowError):
                err(
                    column,
                    _("%(value)s is not a date (use 2022-03-07, 111/03/07 or 111/03/07 14:05)")
                    % {"value": value},
                )
                return None
            if moment > today + datetime.timedelta(days=1):
                err(column, _("%(value)s lies in the future") % {"value": value})
                return None
            return moment

        received = when("received_at", required=True)
        replied = when("replied_at")
        closed = when("closed_at")
        for column, moment in (("replied_at", replied), ("closed_at", closed)):
            if received and moment and moment < received:
                err(column, _("earlier than received_at"))
        out.update(received_at=received, replied_at=replied, closed_at=closed)

        category, problem = (
            lookups.category(row.get("category", ""))
            if row.get("category")
            else (None, _("the category is empty"))
        )
        if problem:
            err("category", problem)
        out["category"] = category

        channel_value = row.get("channel", "")
        channel = lookups.channels.get(_norm(channel_value)) if channel_value else Case.Channel.PHONE
        if channel is None:
            err("channel", _("unknown channel %(value)s") % {"value": channel_value})
        out["channel"] = channel

        status_value = row.get("status", "")
        status = lookups.statuses.get(_norm(status_value)) if status_value else None
        if status_value and status not in IMPORTABLE_STATUSES:
            err(
                "status",
                _("unknown status %(value)s (use 受理, 分案, 處理中, 已回覆, 結案 or 撤回)")
                % {"value": status_value},
            )
        if status is None and not status_value:
            status = (
                Case.Status.CLOSED if closed else Case.Status.REPLIED if replied else Case.Status.ASSIGNED
            )
        if status in (Case.Status.REPLIED, Case.Status.CLOSED) and received and not replied:
            err("replied_at", _("a replied or closed case needs the reply date"))
        if status in (Case.Status.CLOSED, Case.Status.WITHDRAWN) and received and not closed:
            err("closed_at", _("a closed or withdrawn case needs the closing date"))
        if status in Case.OPEN_STATUSES and closed:
            err(
                "closed_at",
                _("an open case (%(status)s) cannot have a closing date") % {"status": status_value},
            )
        out["status"] = status

        subject, description = row.get("subject", ""), row.get("description", "")
        if not subject and not description:
            err("subject", _("give a subject or a description"))
        subject = subject or description[:40]
        if len(subject) > 200:
            err("subject", _("longer than 200 characters"))
        out["subject"], out["description"] = subject, description or subject
        address = row.get("address", "")
        if len(address) > 200:
            err("address", _("longer than 200 characters"))
        out["address"] = address

        district = None
        district_value = row.get("district", "")
        if district_value:
            district = lookups.districts.get(_norm(district_value))
            if district is None:
                err(
                    "district",
                    _("unknown district %(value)s (give its name or MOI code)") % {"value": district_value},
                )
        lat_value, lon_value = row.get("lat", ""), row.get("lon", "")
        lat = lon = None
        village_id = None
        for column, value, low, high in (("lat", lat_value, -90, 90), ("lon", lon_value, -180, 180)):
            if value:
                try:
                    number_value = float(value)
                except ValueError:
                    err(column, _("%(value)s is not a number") % {"value": value})
                    continue
                if not low <= number_value <= high:
                    err(column, _("%(value)s is out of range") % {"value": value})
                    continue
                if column == "lat":
                    lat = number_value
                else:
                    lon = number_value
        if bool(lat_value) != bool(lon_value):
            err("lat" if not lat_value else "lon", _("give both lat and lon, or neither"))
        elif lat is not None and lon is not None:
            place = geo.resolve(lat, lon)
            if place is None:
                err("lat", _("the point %(lat)s, %(lon)s lies outside the city") % {"lat": lat, "lon": lon})
            else:
                district = lookups.districts.get(place.district_code)
                village_id = place.village_id
        elif not lat_value and not district_value and not address:
            err("district", _("give a district, an address or lat/lon"))
        out.update(lat=lat, lon=lon, district=district, village_id=village_id)

        agency_value = row.get("agency", "")
        agency = None
        if agency_value:
            agency = lookups.agencies.get(_norm(agency_value))
            if agency is None:
                err("agency", _("unknown agency %(value)s") % {"value": agency_value})
        elif category is not None:
            agency = category.default_agency or lookups.fallback_agency
        out["agency"] = agency

        satisfaction = row.get("satisfaction", "")
        out["satisfaction"] = None
        if satisfaction:
            if not satisfaction.isdigit() or not 1 <= int(satisfaction) <= 5:
                err("satisfaction", _("%(value)s is not a score from 1 to 5") % {"value": satisfaction})
            elif not replied:
                err("satisfaction", _("a case is rated only after its reply (replied_at is empty)"))
            else:
                out["satisfaction"] = int(satisfaction)

        if len(errors) == before and received and category is not None:
            try:
                out["due_date"] = lookups.due_date(received, category.working_days)
            except workdays.CalendarRangeError as exc:
                err("received_at", str(exc))
        if len(errors) == before:
            valid.append(out)
    return valid, errors


def _existing_numbers(numbers: list[str]) -> list[str]:
    found = []
    for start in range(0, len(numbers), 1000):
        chunk = numbers[start : start + 1000]
        found.extend(Case.objects.filter(number__in=chunk).values_list("number", flat=True))
    return found


def _random_code() -> str:
    return secrets.token_hex(8)


def import_file(path: str | Path, *, actor=None) -> ImportResult:
    """Validate the whole file, then import it in one transaction, or raise ImportFailed."""
    path = Path(path)
    return import_bytes(path.read_bytes(), source=path.name, actor=actor)


def import_bytes(data: bytes, *, source: str = "import.csv", actor=None) -> ImportResult:
    _header, rows = _read_rows(data)
    if not rows:
        raise ImportFailed([_("The file has no rows to import.")])
    lookups = _Lookups()
    valid, errors = _validate(rows, lookups)
    numbers = {row.get("case_no", ""): line for line, row in rows if row.get("case_no")}
    existing = _existing_numbers(list(numbers))
    errors.extend(
        (
            numbers[n],
            _row_error(numbers[n], "case_no", _("%(number)s is already in the database") % {"number": n}),
        )
        for n in existing
    )
    if errors:
        errors.sort(key=lambda e: e[0])
        messages = [message for _line, message in errors]
        if existing and len(existing) == len(numbers):
            messages.insert(
                0, _("Every case in this file is already in the database: it was imported before.")
            )
        raise ImportFailed(messages)
    with acting_as(actor):
        return _write(valid, source, actor)


@transaction.atomic
def _write(valid: list[dict], source: str, actor) -> ImportResult:
    result = ImportResult()
    user = actor if actor is not None and getattr(actor, "pk", None) else None
    for start in range(0, len(valid), BATCH_SIZE):
        batch = valid[start : start + BATCH_SIZE]
        cases = []
        for r in batch:
            cat = r["category"]
            received = r["received_at"]
            cases.append(
                Case(
                    number=r["number"],
                    tracking_code_hash=hash_code(r["number"], _random_code()),
                    channel=r["channel"],
                    category=cat,
                    subject=r["subject"],
                    description=r["description"],
                    search_text=search_text(r["subject"], r["description"]),
                    address=r["address"],
                    lat=r["lat"],
                    lon=r["lon"],
                    district=r["district"],
                    village_id=r["village_id"],
                    agency=r["agency"],
                    status=r["status"],
                    urgent=cat.urgent,
                    received_at=received,
                    due_date=r["due_date"],
                    original_due_date=r["due_date"],
                    ack_due_at=received + datetime.timedelta(hours=cat.ack_hours)
                    if cat.urgent and cat.ack_hours
                    else None,
                    replied_at=r["replied_at"],
                    closed_at=r["closed_at"],
                    created_by=user,
                )
            )
        Case.objects.bulk_create(cases, batch_size=BATCH_SIZE)
        if any(c.pk is None for c in cases):  # databases that do not return ids from bulk inserts
            ids = dict(Case.objects.filter(number__in=[c.number for c in cases]).values_list("number", "id"))
            for c in cases:
                c.pk = c.id = ids[c.number]
        tenures, events, ratings = [], [], []
        for c, r in zip(cases, batch, strict=True):
            ended = c.closed_at if c.status in (Case.Status.CLOSED, Case.Status.WITHDRAWN) else None
            tenures.append(
                AgencyTenure(case_id=c.pk, agency=c.agency, started_at=c.received_at, ended_at=ended)
            )
            events.append(
                CaseEvent(
                    case_id=c.pk,
                    at=c.received_at,
                    actor=user,
                    verb="imported",
                    agency=c.agency,
                    public=False,
                    data={"source": source, "row": r["line"], "status": c.status},
                )
            )
            if r["satisfaction"]:
                ratings.append(Rating(case_id=c.pk, score=r["satisfaction"], created_at=c.replied_at))
            result.by_status[c.status] = result.by_status.get(c.status, 0) + 1
        AgencyTenure.objects.bulk_create(tenures, batch_size=BATCH_SIZE)
        CaseEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        Rating.objects.bulk_create(ratings, batch_size=BATCH_SIZE)
        result.cases += len(cases)
        result.ratings += len(ratings)
        audit.record(
            "petition.imported",
            cases[0],
            source=source,
            rows=f"{batch[0]['line']}-{batch[-1]['line']}",
            count=len(cases),
            first=cases[0].number,
            last=cases[-1].number,
        )
    _advance_case_numbers([r["number"] for r in valid])
    return result


def _advance_case_numbers(numbers: list[str]) -> None:
    """Numbers in the platform's own format (111-0000123) move the year's counter past them, so
    cases filed later never get an imported number."""
    highest: dict[int, int] = {}
    for number in numbers:
        match = PLATFORM_NUMBER.match(number)
        if match:
            year, seq = int(match.group(1)), int(match.group(2))
            highest[year] = max(highest.get(year, 0), seq)
    for year, seq in highest.items():
        numbering.advance_to(year, seq)
