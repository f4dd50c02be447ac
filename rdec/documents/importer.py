"""Importing the document system's export (`rdec import_documents FILE`, and the RDEC's upload page).

Columns (header row; extra columns are ignored; the Chinese headers of the export are accepted):
doc_no, agency, doc_class, speed, received_on, due_on, closed_on — and optionally unit,
extension_days, related_no.

- File: CSV in UTF-8 (with or without BOM) or Big5 (cp950), or an .xlsx workbook (first sheet).
- doc_no: the document number (文號), unique within its agency. **A number already imported for
  the same agency is updated** with the file's values (a re-export corrects and closes documents);
  the same number twice in one file is an error.
- agency: code, short name (建設局) or full name (臺中市政府建設局); 台/臺 and spaces do not matter.
- doc_class: 一般公文, 受會公文, 申請案件, 訴願答辯 (or general, countersign, application, appeal).
- speed: 最速件, 速件, 普通件, 限期 (or most_urgent, urgent, ordinary, time_limited).
- received_on, due_on, closed_on: ISO (2026-03-07, 2026/3/7) or ROC (115/03/07, 115-03-07,
  1150307) dates or date cells. due_on is the sender's deadline and is required for 限期 only (for
  other speeds the due date follows from the speed class and the office calendar, and a due_on in
  the file is ignored). closed_on (發文/結案) is empty while the document is pending; it may not be
  before received_on nor in the future.
- extension_days: days of approved extensions (展期), 0 when empty. related_no: the main document
  of a merged case (併辦/彙辦).

**All or nothing.** Every row is checked first and every problem is reported as "row N, column X:
what is wrong" (the header is row 1). With any error nothing is written. Otherwise everything is
written in one transaction (on PostgreSQL through COPY into a temporary table and one
INSERT … ON CONFLICT UPDATE), together with the figures counted under the rules in force on
each document's receipt (rules.count_document).
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit, tabular
from rdec.core.dates import roc_date
from rdec.core.models import Agency
from rdec.core.tabular import ImportFailed
from rdec.documents import rules
from rdec.documents.models import Document, ImportBatch

COLUMNS = (
    "doc_no",
    "agency",
    "doc_class",
    "speed",
    "received_on",
    "due_on",
    "closed_on",
    "unit",
    "extension_days",
    "related_no",
)
REQUIRED_COLUMNS = ("doc_no", "agency", "doc_class", "speed", "received_on", "closed_on")
HEADER_ALIASES = {
    "文號": "doc_no",
    "收文文號": "doc_no",
    "機關": "agency",
    "機關名稱": "agency",
    "公文類別": "doc_class",
    "類別": "doc_class",
    "速別": "speed",
    "收文日期": "received_on",
    "限辦日期": "due_on",
    "限期日期": "due_on",
    "發文日期": "closed_on",
    "結案日期": "closed_on",
    "承辦單位": "unit",
    "單位": "unit",
    "展期日數": "extension_days",
    "併辦文號": "related_no",
    "相關文號": "related_no",
}
CLASS_ALIASES = {
    "一般公文": Document.DocClass.GENERAL,
    "一般": Document.DocClass.GENERAL,
    "general": Document.DocClass.GENERAL,
    "受會公文": Document.DocClass.COUNTERSIGN,
    "受會": Document.DocClass.COUNTERSIGN,
    "countersign": Document.DocClass.COUNTERSIGN,
    "申請案件": Document.DocClass.APPLICATION,
    "人民申請案件": Document.DocClass.APPLICATION,
    "application": Document.DocClass.APPLICATION,
    "訴願答辯": Document.DocClass.APPEAL,
    "訴願答辯案件": Document.DocClass.APPEAL,
    "appeal": Document.DocClass.APPEAL,
}
SPEED_ALIASES = {
    "最速件": Document.Speed.MOST_URGENT,
    "most_urgent": Document.Speed.MOST_URGENT,
    "速件": Document.Speed.URGENT,
    "urgent": Document.Speed.URGENT,
    "普通件": Document.Speed.ORDINARY,
    "普通": Document.Speed.ORDINARY,
    "ordinary": Document.Speed.ORDINARY,
    "限期": Document.Speed.TIME_LIMITED,
    "限期公文": Document.Speed.TIME_LIMITED,
    "限期件": Document.Speed.TIME_LIMITED,
    "time_limited": Document.Speed.TIME_LIMITED,
}
DATE = re.compile(r"^(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
COMPACT = re.compile(r"^(\d{3}|\d{4})(\d{2})(\d{2})$")
MAX_ERRORS = 500
# the stored columns, in the order of the rows the check produces
FIELDS = (
    "agency_id",
    "doc_no",
    "unit",
    "doc_class",
    "speed",
    "received_on",
    "deadline_on",
    "closed_on",
    "extension_days",
    "related_no",
    "due_on",
    "days_used",
    "counted_days",
    "is_overdue",
)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    pending: int = 0
    seconds: float = 0.0
    batch: ImportBatch | None = None


def _norm(text) -> str:
    return re.sub(r"\s+", "", str(text or "").replace("台", "臺")).lower()


def read_rows(data: bytes, filename: str = "") -> Iterator[list]:
    """The rows of the file (header first): strings, and dates from workbook cells."""
    try:
        yield from tabular.iter_rows(data, filename)
    except tabular.UnreadableFile as exc:
        raise ImportFailed([exc.message]) from exc


_date_cache: dict[str, datetime.date | None] = {}


def parse_date(value) -> datetime.date | None:
    """ISO or ROC date text (or a date) → date; None when it is not a date."""
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if text in _date_cache:
        return _date_cache[text]
    found = None
    match = DATE.match(text) or COMPACT.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if year < 1000:
            year += 1911
        try:
            found = datetime.date(year, month, day)
        except ValueError:
            found = None
    if len(_date_cache) < 100_000:
        _date_cache[text] = found
    return found


def _agencies() -> dict[str, Agency]:
    found: dict[str, Agency] = {}
    for a in Agency.objects.all():
        for key in (a.code, a.short_name, a.name, a.oid):
            if key:
                found.setdefault(_norm(key), a)
    return found


def check_rows(rows: Iterator[list], *, today: datetime.date) -> tuple[list[tuple], list[str]]:
    """Every data row checked and counted: (rows as FIELDS tuples, errors)."""
    errors: list[str] = []
    header_row = next(rows, None)
    if header_row is None:
        return [], [_("The file is empty.")]
    header = [HEADER_ALIASES.get(str(h).strip(), _norm(h)) for h in header_row]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return [], [_("Row 1: the columns %(columns)s are missing.") % {"columns": ", ".join(missing)}]
    col = {name: header.index(name) for name in COLUMNS if name in header}
    width = max(col.values()) + 1
    agencies = _agencies()
    by_text: dict[str, Agency | None] = {}
    book = rules.RuleBook()
    index = rules.WorkingDayIndex()
    seen: dict[tuple[int, str], int] = {}
    out: list[tuple] = []
    i_no, i_agency, i_class, i_speed = col["doc_no"], col["agency"], col["doc_class"], col["speed"]
    i_received, i_closed = col["received_on"], col["closed_on"]
    i_due, i_unit = col.get("due_on"), col.get("unit")
    i_ext, i_rel = col.get("extension_days"), col.get("related_no")
    time_limited = Document.Speed.TIME_LIMITED

    def err(line: int, column: str, message: str) -> None:
        errors.append(
            _("Row %(row)s, column %(column)s: %(message)s")
            % {"row": line, "column": column, "message": message}
        )

    def in_calendar(line: int, column: str, day: datetime.date) -> bool:
        if index.covers(day):
            return True
        err(
            line,
            column,
            _("%(date)s is outside the loaded office calendar (%(first)s to %(last)s).")
            % {"date": roc_date(day), "first": roc_date(index.first), "last": roc_date(index.last)},
        )
        return False

    for line, raw in enumerate(rows, start=2):
        if len(raw) < width:
            if not any(str(c).strip() for c in raw):
                continue
            raw = [*raw, *([""] * (width - len(raw)))]
        before = len(errors)
        number = str(raw[i_no]).strip()
        if not number:
            if not any(str(c).strip() for c in raw):
                continue
            err(line, "doc_no", _("the document number is empty."))
        elif len(number) > 40:
            err(line, "doc_no", _("the document number is longer than 40 characters."))
        agency_text = str(raw[i_agency]).strip()
        if agency_text in by_text:
            agency = by_text[agency_text]
        else:
            agency = by_text[agency_text] = agencies.get(_norm(agency_text)) if agency_text else None
        if not agency_text:
            err(line, "agency", _("the agency is empty."))
        elif agency is None:
            err(line, "agency", _("no agency has the code or name %(value)s.") % {"value": agency_text})
        class_text = str(raw[i_class]).strip()
        doc_class = CLASS_ALIASES.get(class_text) or CLASS_ALIASES.get(_norm(class_text))
        if doc_class is None:
            err(
                line,
                "doc_class",
                _("%(value)s is not 一般公文, 受會公文, 申請案件 or 訴願答辯.") % {"value": class_text},
            )
        speed_text = str(raw[i_speed]).strip()
        speed = SPEED_ALIASES.get(speed_text) or SPEED_ALIASES.get(_norm(speed_text))
        if speed is None:
            err(line, "speed", _("%(value)s is not 最速件, 速件, 普通件 or 限期.") % {"value": speed_text})
        received_raw = raw[i_received]
        received = parse_date(received_raw) if str(received_raw).strip() else None
        if not str(received_raw).strip():
            err(line, "received_on", _("the date of receipt is empty."))
        elif received is None:
            err(
                line,
                "received_on",
                _("%(value)s is not a date like 2026-03-07 or 115/03/07.") % {"value": received_raw},
            )
        elif received > today:
            err(line, "received_on", _("%(value)s is in the future.") % {"value": received_raw})
        elif not in_calendar(line, "received_on", received):
            received = None
        closed_raw = raw[i_closed]
        closed = parse_date(closed_raw) if str(closed_raw).strip() else None
        if str(closed_raw).strip():
            if closed is None:
                err(
                    line,
                    "closed_on",
                    _("%(value)s is not a date like 2026-03-07 or 115/03/07.") % {"value": closed_raw},
                )
            elif closed > today:
                err(line, "closed_on", _("%(value)s is in the future.") % {"value": closed_raw})
            elif received is not None and closed < received:
                err(line, "closed_on", _("the document cannot be closed before it was received."))
            elif not in_calendar(line, "closed_on", closed):
                closed = None
        deadline = None
        due_raw = raw[i_due] if i_due is not None else ""
        if speed == time_limited:
            deadline = parse_date(due_raw) if str(due_raw).strip() else None
            if not str(due_raw).strip():
                err(line, "due_on", _("a time-limited (限期) document needs its deadline."))
            elif deadline is None:
                err(
                    line,
                    "due_on",
                    _("%(value)s is not a date like 2026-03-07 or 115/03/07.") % {"value": due_raw},
                )
        extension = 0
        if i_ext is not None:
            ext_text = str(raw[i_ext]).strip()
            if ext_text:
                if ext_text.isdigit() and int(ext_text) <= 365:
                    extension = int(ext_text)
                else:
                    err(
                        line,
                        "extension_days",
                        _("%(value)s is not a number of days (0–365).") % {"value": ext_text},
                    )
        unit = str(raw[i_unit]).strip() if i_unit is not None else ""
        if len(unit) > 60:
            err(line, "unit", _("the unit is longer than 60 characters."))
        related = str(raw[i_rel]).strip() if i_rel is not None else ""
        if len(related) > 40:
            err(line, "related_no", _("the document number is longer than 40 characters."))
        if agency is not None and number:
            key = (agency.pk, number)
            first = seen.get(key)
            if first is not None:
                err(line, "doc_no", _("row %(row)s already gives this document.") % {"row": first})
            else:
                seen[key] = line
        if len(errors) > MAX_ERRORS:
            errors.append(_("Too many errors; checking stopped."))
            break
        if len(errors) == before:
            counted = rules.count_document(
                book.on(received),
                index,
                speed=speed,
                received_on=received,
                closed_on=closed,
                deadline_on=deadline,
                extension_days=extension,
            )
            out.append(
                (
                    agency.pk, number, unit, doc_class, speed, received, deadline, closed, extension, related,
                    counted.due_on, counted.days_used, counted.counted_days, counted.is_overdue,
                )
            )  # fmt: skip
    if not out and not errors:
        errors.append(_("The file has no data rows."))
    return out, errors


def _write_postgresql(rows: list[tuple], batch_id: int | None) -> tuple[int, int]:
    columns = ", ".join(FIELDS)
    updated_fields = (*FIELDS[2:], "batch_id") if batch_id else FIELDS[2:]
    updates = ", ".join(f"{f} = EXCLUDED.{f}" for f in updated_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE documents_import_rows "
            "(LIKE documents_document INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        cursor.execute("ALTER TABLE documents_import_rows DROP COLUMN id")
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY documents_import_rows ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"WITH written AS (INSERT INTO documents_document ({columns}, batch_id) "  # noqa: S608 - fixed names
            f"SELECT {columns}, %s FROM documents_import_rows "
            f"ON CONFLICT (agency_id, doc_no) DO UPDATE SET {updates} RETURNING (xmax = 0) AS inserted) "
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written",
            [batch_id],
        )
        created, updated = cursor.fetchone()
        cursor.execute("DROP TABLE documents_import_rows")
    return created, updated


def _write_orm(rows: list[tuple], batch: ImportBatch | None) -> tuple[int, int]:
    agencies = {r[0] for r in rows}
    existing = set(Document.objects.filter(agency_id__in=agencies).values_list("agency_id", "doc_no"))
    objects = [Document(batch=batch, **dict(zip(FIELDS, r, strict=True))) for r in rows]
    Document.objects.bulk_create(
        objects,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["agency", "doc_no"],
        update_fields=[*FIELDS[2:], "batch"] if batch else list(FIELDS[2:]),
    )
    updated = sum((r[0], r[1]) in existing for r in rows)
    return len(rows) - updated, updated


def write_rows(rows: list[tuple], batch: ImportBatch | None) -> tuple[int, int]:
    """Insert or update (by agency and number) the checked rows: (created, updated)."""
    if connection.vendor == "postgresql":
        return _write_postgresql(rows, batch.pk if batch else None)
    return _write_orm(rows, batch)


def recount(since: datetime.date | None = None, *, chunk: int = 200_000) -> int:
    """Count the documents received on or after `since` (all when None) again, under the rule
    versions and the office calendar as they are now. Returns how many were recounted."""
    book = rules.RuleBook()
    index = rules.WorkingDayIndex()
    qs = Document.objects.order_by("pk")
    if since is not None:
        qs = qs.filter(received_on__gte=since)
    source = ("agency_id", "doc_no", "unit", "doc_class", "speed", "received_on", "deadline_on", "closed_on",
              "extension_days", "related_no")  # fmt: skip
    done, last_pk = 0, 0
    while True:
        part = list(qs.filter(pk__gt=last_pk).values_list("pk", *source)[:chunk])
        if not part:
            return done
        rows = []
        for pk, *values in part:
            last_pk = pk
            received, deadline, closed, extension = values[5], values[6], values[7], values[8]
            if not index.covers(received) or (closed is not None and not index.covers(closed)):
                continue  # outside the loaded calendar: left as counted before
            c = rules.count_document(
                book.on(received), index, speed=values[4], received_on=received, closed_on=closed,
                deadline_on=deadline, extension_days=extension,
            )  # fmt: skip
            rows.append((*values, c.due_on, c.days_used, c.counted_days, c.is_overdue))
        with transaction.atomic():
            write_rows(rows, None)
        done += len(rows)


def import_rows(
    rows: Iterator[list], *, actor=None, filename: str = "", now: datetime.datetime | None = None
) -> ImportResult:
    started = time.monotonic()
    now = now or timezone.now()
    checked, errors = check_rows(iter(rows), today=timezone.localdate(now))
    if errors:
        raise ImportFailed(errors)
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            filename=filename[:255], imported_at=now, imported_by=user, rows=len(checked)
        )
        created, updated = write_rows(checked, batch)
        batch.created, batch.updated = created, updated
        batch.seconds = round(time.monotonic() - started, 3)
        batch.save(update_fields=["created", "updated", "seconds"])
        audit.write_all(
            [
                audit.event_entry(
                    "documents.imported", batch, rows=len(checked), created=created, updated=updated
                )
            ]
        )
    return ImportResult(
        rows=len(checked),
        created=created,
        updated=updated,
        pending=sum(1 for r in checked if r[7] is None),
        seconds=batch.seconds,
        batch=batch,
    )


def import_file(data: bytes, filename: str = "", **kwargs) -> ImportResult:
    return import_rows(read_rows(data, filename), filename=filename, **kwargs)
