"""Loading reference data from files: districts and villages (GeoJSON), the agency tree (JSON) and
the government office calendar (the JSON of data.gov.tw dataset 14718, or its original Big5 CSV).

Each loader is idempotent (it updates by code or date) and all-or-nothing (one transaction). A bad
record raises `ReferenceDataError` naming the file, the record and the field.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from importlib import resources
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from rdec.core import geo, workdays
from rdec.core.models import Agency, CalendarDay, District, Village

DATA = resources.files("rdec.core") / "data"


class ReferenceDataError(ValueError):
    pass


def bundled(name: str) -> Path:
    return Path(str(DATA / name))


def _read_json(path: Path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ReferenceDataError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc


@transaction.atomic
def load_districts(path: Path, city_code: str | None = None) -> int:
    features = _read_json(path).get("features", [])
    count = 0
    for n, feature in enumerate(features, 1):
        p = feature.get("properties", {})
        if city_code and p.get("COUNTYCODE") != city_code:
            continue
        code = str(p.get("TOWNCODE", ""))
        if len(code) != 8 or not code.isdigit() or not p.get("TOWNNAME") or not feature.get("geometry"):
            raise ReferenceDataError(
                _("%(path)s, feature %(n)s: TOWNCODE, TOWNNAME and geometry are required.")
                % {"path": path, "n": n}
            )
        District.objects.update_or_create(
            code=code,
            defaults={
                "name": p["TOWNNAME"],
                "name_en": p.get("TOWNENG", ""),
                "city_code": p.get("COUNTYCODE", code[:5]),
                "city_name": p.get("COUNTYNAME", "").replace("台", "臺"),
                "geometry": feature["geometry"],
            },
        )
        count += 1
    transaction.on_commit(geo.invalidate)
    return count


@transaction.atomic
def load_villages(path: Path, city_code: str | None = None) -> int:
    features = _read_json(path).get("features", [])
    districts = {d.code: d for d in District.objects.all()}
    count = 0
    for n, feature in enumerate(features, 1):
        p = feature.get("properties", {})
        if city_code and p.get("COUNTYCODE") != city_code:
            continue
        code, town = str(p.get("VILLCODE", "")), str(p.get("TOWNCODE", ""))
        if town not in districts:
            raise ReferenceDataError(
                _("%(path)s, feature %(n)s: district %(code)s is not loaded; load the districts first.")
                % {"path": path, "n": n, "code": town}
            )
        if (
            len(code) != 11
            or not code.startswith(town)
            or not p.get("VILLNAME")
            or not feature.get("geometry")
        ):
            raise ReferenceDataError(
                _(
                    "%(path)s, feature %(n)s: VILLCODE (11 digits starting with TOWNCODE), VILLNAME and geometry are required."
                )
                % {"path": path, "n": n}
            )
        Village.objects.update_or_create(
            code=code,
            defaults={
                "name": p["VILLNAME"],
                "name_en": p.get("VILLENG", ""),
                "district": districts[town],
                "geometry": feature["geometry"],
            },
        )
        count += 1
    transaction.on_commit(geo.invalidate)
    return count


AGENCY_FIELDS = ("name", "short_name", "name_en", "level", "oid", "evaluation_group", "sort_order")


@transaction.atomic
def load_agencies(path: Path) -> int:
    """Create or update the agency tree. Parents must come before their children in the file."""
    doc = _read_json(path)
    rows = doc["agencies"] if isinstance(doc, dict) else doc
    levels = set(Agency.Level.values)
    by_code: dict[str, Agency] = {}
    for n, row in enumerate(rows, 1):
        code = row.get("code", "")
        for field in ("code", "name", "short_name", "level"):
            if not row.get(field):
                raise ReferenceDataError(
                    _("%(path)s, agency %(n)s: the field %(field)s is required.")
                    % {"path": path, "n": n, "field": field}
                )
        if row["level"] not in levels:
            raise ReferenceDataError(
                _("%(path)s, agency %(n)s (%(code)s): unknown level %(level)s.")
                % {"path": path, "n": n, "code": code, "level": row["level"]}
            )
        parent = None
        if row.get("parent"):
            parent = by_code.get(row["parent"]) or Agency.objects.filter(code=row["parent"]).first()
            if parent is None:
                raise ReferenceDataError(
                    _("%(path)s, agency %(n)s (%(code)s): parent %(parent)s is not defined above it.")
                    % {"path": path, "n": n, "code": code, "parent": row["parent"]}
                )
        district = None
        if row.get("district"):
            district = District.objects.filter(code=row["district"]).first()
            if district is None:
                raise ReferenceDataError(
                    _("%(path)s, agency %(n)s (%(code)s): district %(district)s is not loaded.")
                    % {"path": path, "n": n, "code": code, "district": row["district"]}
                )
        defaults = {f: row.get(f, "" if f != "sort_order" else n) for f in AGENCY_FIELDS}
        defaults.update(
            parent=parent,
            district=district,
            valid_from=_iso_or_none(row.get("valid_from")),
            valid_to=_iso_or_none(row.get("valid_to")),
        )
        agency, _created = Agency.objects.update_or_create(code=code, defaults=defaults)
        by_code[code] = agency
    return len(by_code)


def _iso_or_none(value):
    return datetime.date.fromisoformat(value) if value else None


# --- the office calendar ----------------------------------------------------------------------------


def parse_calendar_json(text: str, source: str) -> list[tuple[datetime.date, bool, str]]:
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(
            _("%(source)s is not valid JSON: %(error)s") % {"source": source, "error": exc}
        ) from exc
    days = []
    for n, row in enumerate(rows, 1):
        try:
            day = datetime.datetime.strptime(str(row["date"]), "%Y%m%d").date()  # noqa: DTZ007
            off = row["isHoliday"]
            if not isinstance(off, bool):
                raise TypeError
        except (KeyError, ValueError, TypeError) as exc:
            raise ReferenceDataError(
                _("%(source)s, record %(n)s: expected date (YYYYMMDD) and isHoliday (true/false).")
                % {"source": source, "n": n}
            ) from exc
        days.append((day, off, str(row.get("description", "")).strip()))
    return days


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "big5", "cp950"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReferenceDataError(_("The file is neither UTF-8 nor Big5."))


CSV_COLUMNS = ("西元日期", "星期", "是否放假", "備註")


def parse_calendar_csv(data: bytes, source: str) -> list[tuple[datetime.date, bool, str]]:
    """The government's original CSV: 西元日期 (YYYYMMDD), 星期, 是否放假 (0 work, 2 day off), 備註."""
    reader = csv.reader(io.StringIO(_decode(data)))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in ("西元日期", "是否放假") if c not in header]
    if missing:
        raise ReferenceDataError(
            _("%(source)s: missing column(s) %(columns)s.")
            % {"source": source, "columns": "、".join(missing)}
        )
    col = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    days = []
    for line, row in enumerate(reader, 2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            day = datetime.datetime.strptime(row[col["西元日期"]].strip(), "%Y%m%d").date()  # noqa: DTZ007
        except (ValueError, IndexError) as exc:
            raise ReferenceDataError(
                _("%(source)s, row %(line)s, column 西元日期: expected a date like 20260101.")
                % {"source": source, "line": line}
            ) from exc
        flag = row[col["是否放假"]].strip() if len(row) > col["是否放假"] else ""
        if flag not in ("0", "2"):
            raise ReferenceDataError(
                _("%(source)s, row %(line)s, column 是否放假: expected 0 (working day) or 2 (day off).")
                % {"source": source, "line": line}
            )
        note = row[col["備註"]].strip() if "備註" in col and len(row) > col["備註"] else ""
        days.append((day, flag == "2", note))
    return days


@transaction.atomic
def load_calendar_days(days: list[tuple[datetime.date, bool, str]]) -> int:
    """Insert or replace the given days. One audit entry per changed day."""
    existing = {c.date: c for c in CalendarDay.objects.filter(date__in=[d for d, _o, _n in days])}
    new = []
    for day, off, note in days:
        row = existing.get(day)
        if row is None:
            new.append(CalendarDay(date=day, is_holiday=off, description=note))
        elif (row.is_holiday, row.description) != (off, note):
            row.is_holiday, row.description = off, note
            row.save(update_fields=["is_holiday", "description"])
    CalendarDay.objects.bulk_create(new, batch_size=1000)
    transaction.on_commit(workdays.invalidate)
    return len(days)


def load_calendar_file(path: Path) -> int:
    path = Path(path)
    data = path.read_bytes()
    if path.suffix.lower() == ".json":
        return load_calendar_days(parse_calendar_json(_decode(data), path.name))
    return load_calendar_days(parse_calendar_csv(data, path.name))


def load_bundled(city_code: str = "66000") -> dict[str, int]:
    """Everything the platform ships for Taichung: districts, villages, agencies, calendar."""
    counts = {
        "districts": load_districts(bundled("taichung-districts.geojson"), city_code),
        "villages": load_villages(bundled("taichung-villages.geojson"), city_code),
        "agencies": load_agencies(bundled("taichung-agencies.json")),
        "calendar_days": 0,
    }
    for path in sorted(bundled("calendar").glob("*.json")):
        counts["calendar_days"] += load_calendar_file(path)
    return counts
