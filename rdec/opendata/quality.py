"""Machine quality check of a tabular resource, after the national portal's six indicators
(open-data.md §2.3): `linkable`, `downloadable`, `structure`, `csv` (open format), `encoding_match`,
`desc_match`; each 1 = pass, 0 = fail, 2 = not evaluated (skipped after an earlier failure).

This module checks a file's bytes; `fetch.py` gets a linked resource's file and decides
`linkable` (the address answers) and `downloadable` (it is a file, not an HTML page).

- Encoding: the file is decoded in chunks with strict UTF-8 and strict Big5 (cp950) decoders at
  once, so a 100 MB file is never held in memory; a file that is neither is reported with
  charset_normalizer's best guess (when it is installed; otherwise as unknown). A UTF-8 byte-order
  mark is noted. Pure ASCII matches any ASCII-compatible declared encoding; BIG5 = CP950.
- Structure: the header row must exist, have no blank and no duplicate labels; every row must have
  as many cells as the header (missing or extra cells are reported with their row numbers); blank
  rows are reported as warnings.
- Declared types (tableschema.py): every cell is checked against the resource's Table Schema
  (or the types 主要欄位說明 names) in the same pass; type and constraint errors fail `structure`,
  with the first 20 kept by row and column and the total counted (the message's `errors`, `count`).
- Declared fields (主要欄位說明, or the resource's own 資料資源欄位) must match the header: each
  declared field's name (英文欄位 or 中文欄位) or its Chinese name must be a header label, and each
  label must be declared.
- Badge [unconfirmed reconstruction, see docs/opendata.md]: bronze = linkable + downloadable;
  silver = bronze + structure + open format; gold = silver + encoding_match + desc_match.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rdec.opendata import tableschema

PASS, FAIL, NOT_EVALUATED = 1, 0, 2
INDICATORS = ("linkable", "downloadable", "structure", "csv", "encoding_match", "desc_match")
OPEN_FORMATS = {"CSV", "JSON", "XML", "GEOJSON", "ODS", "KML", "KMZ", "RDF", "TXT", "JSONLD", "TSV", "SHP"}
TABULAR = {"CSV", "TSV", "TXT"}
CHUNK = 64 * 1024
ASCII_COMPATIBLE = {"UTF-8", "BIG5", "CP950", "ASCII", "ISO-8859-1", "GB2312"}
MAX_ROW_MESSAGES = 5


@dataclass
class QualityReport:
    indicators: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INDICATORS, NOT_EVALUATED))
    badge: str = "none"
    encoding: str = ""
    fields: list[str] = field(default_factory=list)
    rows: int = 0
    messages: list[dict] = field(default_factory=list)

    def fail(self, indicator: str, code: str, message: str) -> None:
        self.indicators[indicator] = FAIL
        self.messages.append({"indicator": indicator, "code": code, "message": message})

    def note(self, code: str, message: str) -> None:
        self.messages.append({"indicator": "", "code": code, "message": message})

    def as_dict(self) -> dict:
        return asdict(self)

    def codes(self) -> list[str]:
        return [m["code"] for m in self.messages]


def _chunks(stream) -> Iterator[bytes]:
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return
        yield chunk


def detect_encoding(chunks: Iterable[bytes]) -> tuple[str, bool]:
    """("UTF-8" | "ASCII" | "BIG5" | a guess | "", has a UTF-8 BOM), reading the chunks once."""
    decoders = {
        "UTF-8": codecs.getincrementaldecoder("utf-8")(),
        "BIG5": codecs.getincrementaldecoder("cp950")(),
    }
    alive = set(decoders)
    ascii_only = True
    bom = False
    sample = b""
    first = True
    for chunk in chunks:
        if first:
            bom = chunk.startswith(codecs.BOM_UTF8)
            first = False
        if len(sample) < CHUNK:
            sample += chunk[: CHUNK - len(sample)]
        if ascii_only and not chunk.isascii():
            ascii_only = False
        for name in list(alive):
            try:
                decoders[name].decode(chunk)
            except UnicodeDecodeError:
                alive.discard(name)
    for name in list(alive):
        try:
            decoders[name].decode(b"", final=True)
        except UnicodeDecodeError:
            alive.discard(name)
    if first:
        return "", False
    if ascii_only:
        return "ASCII", False
    if "UTF-8" in alive:
        return "UTF-8", bom
    if "BIG5" in alive:
        return "BIG5", False
    try:  # a guess for the rest; charset_normalizer comes with requests and is optional here
        from charset_normalizer import from_bytes
    except ImportError:
        return "", False
    best = from_bytes(sample).best()
    return ((best.encoding or "").upper() if best else ""), False


def encodings_match(declared: str, detected: str) -> bool:
    declared = (declared or "").upper().replace("_", "-")
    declared = {"UTF8": "UTF-8", "CP950": "BIG5", "BIG-5": "BIG5"}.get(declared, declared)
    if detected == "ASCII":
        return declared in ASCII_COMPATIBLE or declared == "BIG5"
    return bool(detected) and declared == detected


def _labels_match(labels: list[str], declared: list[dict]) -> tuple[list[str], list[str]]:
    """(declared fields missing from the header, header labels not declared)."""
    names = {}
    for item in declared:
        keys = {item["name"].strip()}
        if item.get("title"):
            keys.add(item["title"].strip())
        names[item["name"].strip()] = keys
    present = {label.strip() for label in labels}
    missing = [name for name, keys in names.items() if not keys & present]
    known = set().union(*names.values()) if names else set()
    extra = [label for label in labels if label.strip() not in known]
    return missing, extra


def check_file(
    stream,
    *,
    format: str,  # noqa: A002 - the standard's field name
    declared_encoding: str,
    declared_fields: list[dict],
    linkable: int = PASS,
    downloadable: int = PASS,
    schema: dict | None = None,
) -> QualityReport:
    """Check a file opened in binary mode (it is read twice: seek(0) between the passes). `schema`
    is the resource's Table Schema; without one, types named in the declared fields are checked."""
    report = QualityReport()
    report.indicators["linkable"] = linkable
    report.indicators["downloadable"] = downloadable
    fmt = (format or "").upper()
    if linkable != PASS or downloadable != PASS:
        return _badge(report)
    report.indicators["csv"] = PASS if fmt in OPEN_FORMATS else FAIL
    if report.indicators["csv"] == FAIL:
        report.messages.append(
            {
                "indicator": "csv",
                "code": "closed-format",
                "message": _("%(format)s is not an open, machine-readable format; publish CSV, JSON or XML.")
                % {"format": fmt or "?"},
            }
        )
    if fmt not in TABULAR:
        report.note("not-tabular", _("Only CSV files are checked for structure, encoding and fields so far."))
        return _badge(report)

    detected, bom = detect_encoding(_chunks(stream))
    report.encoding = detected
    if not detected:
        report.fail("structure", "source-error", _("The file is empty."))
        return _badge(report)
    if bom:
        report.note("utf8-bom", _("The file starts with a UTF-8 byte-order mark (fine for Excel users)."))
    report.indicators["encoding_match"] = PASS if encodings_match(declared_encoding, detected) else FAIL
    if report.indicators["encoding_match"] == FAIL:
        report.messages.append(
            {
                "indicator": "encoding_match",
                "code": "encoding-mismatch",
                "message": _("The file is encoded in %(detected)s but the metadata says %(declared)s.")
                % {"detected": detected, "declared": declared_encoding or "?"},
            }
        )
    stream.seek(0)
    python_encoding = {"UTF-8": "utf-8-sig", "ASCII": "utf-8", "BIG5": "cp950"}.get(
        detected, detected.lower()
    )
    try:
        text = io.TextIOWrapper(stream, encoding=python_encoding, errors="replace", newline="")
        _structure(report, csv.reader(text), declared_fields, schema)
    except (LookupError, csv.Error) as exc:
        report.fail(
            "structure", "format-error", _("The file cannot be read as CSV: %(error)s") % {"error": exc}
        )
    return _badge(report)


def _structure(
    report: QualityReport, reader, declared_fields: list[dict], schema: dict | None = None
) -> None:
    header = next(reader, None)
    if not header:
        report.fail("structure", "blank-header", _("The first row (the header) is empty."))
        return
    labels = [h.strip() for h in header]
    report.fields = labels
    problems = 0
    blank = [str(i + 1) for i, label in enumerate(labels) if not label]
    if blank:
        problems += 1
        report.fail(
            "structure",
            "blank-label",
            _("Header cells %(columns)s are blank.") % {"columns": ", ".join(blank)},
        )
    seen, duplicates = set(), []
    for label in labels:
        if label and label in seen and label not in duplicates:
            duplicates.append(label)
        seen.add(label)
    if duplicates:
        problems += 1
        report.fail(
            "structure",
            "duplicate-label",
            _("Header labels %(labels)s occur more than once.") % {"labels": "、".join(duplicates)},
        )
    cells = tableschema.compile_schema(schema or tableschema.from_field_description(declared_fields), labels)
    check_row = cells.check_row if cells is not None and cells.rules else None
    short, long, blank_rows = [], [], []
    rows = 0
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            blank_rows.append(number)
            continue
        rows += 1
        if check_row is not None:
            check_row(number, row)
        if len(row) < len(labels):
            short.append(number)
        elif len(row) > len(labels):
            long.append(number)
    report.rows = rows
    if short:
        report.fail(
            "structure",
            "missing-cell",
            _("Rows %(rows)s have fewer cells than the header.") % {"rows": _list(short)},
        )
    if long:
        report.fail(
            "structure",
            "extra-cell",
            _("Rows %(rows)s have more cells than the header.") % {"rows": _list(long)},
        )
    if blank_rows:
        report.note("blank-row", _("Rows %(rows)s are blank.") % {"rows": _list(blank_rows)})
    if cells is not None:
        problems += _cell_results(report, cells)
    if not (problems or short or long):
        report.indicators["structure"] = PASS
    if not declared_fields:
        report.fail("desc_match", "no-declared-fields", _("The metadata declares no fields."))
        return
    missing, extra = _labels_match(labels, declared_fields)
    if missing:
        report.fail(
            "desc_match",
            "missing-label",
            _("Declared fields %(fields)s are not in the file's header.") % {"fields": "、".join(missing)},
        )
    if extra:
        report.fail(
            "desc_match",
            "extra-label",
            _("Columns %(fields)s of the file are not declared in the field description.")
            % {"fields": "、".join(extra)},
        )
    if not (missing or extra):
        report.indicators["desc_match"] = PASS


def _type_name(kind: str) -> str:
    names = {
        "string": _("text"),
        "integer": _("an integer"),
        "number": _("a number"),
        "boolean": _("true or false"),
        "date": _("a date"),
        "datetime": _("a date and time"),
        "time": _("a time"),
        "year": _("a year"),
        "yearmonth": _("a year and month"),
    }
    return names.get(kind, kind)


def _cell_text(error: tableschema.CellError) -> str:
    where = _("row %(row)s, column %(column)s (%(field)s)") % {
        "row": error.row,
        "column": error.column,
        "field": error.field,
    }
    if error.code == "type-error":
        what = _("“%(value)s” is not %(type)s") % {"value": error.value, "type": _type_name(error.type)}
    else:
        what = {
            "required": _("the value is required"),
            "enum": _("“%(value)s” is not one of the allowed values"),
            "minimum": _("“%(value)s” is below the minimum"),
            "maximum": _("“%(value)s” is above the maximum"),
            "minLength": _("“%(value)s” is shorter than allowed"),
            "maxLength": _("“%(value)s” is longer than allowed"),
            "pattern": _("“%(value)s” does not match the pattern"),
        }[error.constraint]
        if "%(value)s" in what:
            what = what % {"value": error.value}
    return f"{where}：{what}"


def _cell_results(report: QualityReport, cells: tableschema.CellChecker) -> int:
    """Add the Table Schema's results to the report; returns how many structure failures."""
    failures = 0
    if cells.unmatched:
        failures += 1
        report.fail(
            "structure",
            "schema-missing-field",
            _("Fields %(fields)s of the Table Schema are not columns of the file.")
            % {"fields": "、".join(cells.unmatched)},
        )
    if cells.invalid:
        report.note(
            "schema-invalid",
            _(
                "The constraints of fields %(fields)s in the Table Schema cannot be read; they are not checked."
            )
            % {"fields": "、".join(cells.invalid)},
        )
    for code in ("type-error", "constraint-error"):
        count = cells.counts[code]
        if not count:
            continue
        if code == "type-error":
            message = ngettext(
                "%(count)s cell does not have the type the Table Schema declares: %(examples)s",
                "%(count)s cells do not have the type the Table Schema declares: %(examples)s",
                count,
            )
        else:
            message = ngettext(
                "%(count)s cell breaks a constraint of the Table Schema: %(examples)s",
                "%(count)s cells break a constraint of the Table Schema: %(examples)s",
                count,
            )
        failures += 1
        errors = [e for e in cells.errors if e.code == code]
        examples = "；".join(_cell_text(e) for e in errors[:MAX_ROW_MESSAGES])
        if count > MAX_ROW_MESSAGES:
            examples += " …"
        report.fail("structure", code, message % {"count": f"{count:,}", "examples": examples})
        report.messages[-1]["count"] = count
        report.messages[-1]["errors"] = [e.as_dict() for e in errors]
    return failures


def _list(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:MAX_ROW_MESSAGES])
    return shown + (" …" if len(numbers) > MAX_ROW_MESSAGES else "")


def _badge(report: QualityReport) -> QualityReport:
    i = report.indicators
    if i["linkable"] == PASS and i["downloadable"] == PASS:
        report.badge = "bronze"
        if i["structure"] == PASS and i["csv"] == PASS:
            report.badge = "silver"
            if i["encoding_match"] == PASS and i["desc_match"] == PASS:
                report.badge = "gold"
    return report


def preview(stream, *, encoding: str = "", rows: int = 10) -> tuple[list[str], list[list[str]]]:
    """The header and the first `rows` rows of a CSV file, read from its first 64 KB only, in the
    given encoding (e.g. the last check's) or the one detected in that first chunk."""
    head = stream.read(CHUNK)
    if not encoding:
        encoding, _bom = detect_encoding([head])
    python_encoding = {"UTF-8": "utf-8-sig", "ASCII": "utf-8", "BIG5": "cp950", "": "utf-8"}.get(
        encoding, encoding.lower()
    )
    try:
        text = head.decode(python_encoding, errors="replace")
    except LookupError:
        text = head.decode("utf-8", errors="replace")
    if len(head) == CHUNK and "\n" in text:
        text = text[: text.rindex("\n")]  # drop the last, possibly cut, line
    try:
        table = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return [], []
    if not table:
        return [], []
    return table[0], table[1 : rows + 1]
