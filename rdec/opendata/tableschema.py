"""Checking each cell of a CSV file against the resource's declared Table Schema, in one streaming
pass (quality.py calls `CellChecker.check_row` for every row while it counts cells).

Why not frictionless-py: measured on the benchmark's 100 MB CSV (1,620,000 rows, 4 columns), see
docs/opendata.md § Table Schema validation — it is several times slower than this pass and pulls
in a large dependency tree (petl, jsonschema, marko, typer, …) for the handful of rules used here.

What is checked (Table Schema v1, https://specs.frictionlessdata.io/table-schema/):
- types `string` (any text; `format` not checked), `integer`, `number` (`decimalChar`,
  `groupChar`, `bareNumber: false`), `boolean` (`trueValues`, `falseValues`), `date`, `datetime`,
  `time` (`format`: `default` ISO 8601, `any`, or a strptime pattern such as `%Y/%m/%d`), `year`,
  `yearmonth`; other types (`geopoint`, `object`, `array`, `duration`, `any`) are not checked;
- `missingValues` (schema level, default `[""]`): a missing cell is only an error when the field is
  `required`;
- constraints `required`, `enum`, `minimum`, `maximum`, `minLength`, `maxLength`, `pattern`
  (`unique` is not checked: it would need every value in memory).

Fields are matched to the file's columns by `name` (or `title`); a schema field that is not a column
is reported once. Types may also come from 主要欄位說明 when no Table Schema is declared: an item
whose 說明 says 整數, 數值, or 西元年月日 / YYYY-MM-DD is checked as integer, number or date
(`from_field_description`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MAX_CELL_ERRORS = 20  # kept with row and column; the rest are counted

INTEGER = re.compile(r"[+-]?\d+")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
YEAR = re.compile(r"\d{4}")
YEARMONTH = re.compile(r"(\d{4})-(\d{2})")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CHECKED_TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "time", "year", "yearmonth"}
ANY_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d")
ANY_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")


class Invalid(ValueError):
    pass


def _integer(descriptor: dict) -> Callable[[str], object]:
    bare = descriptor.get("bareNumber", True)

    def cast(value: str) -> int:
        text = value.strip()
        if not bare:
            text = re.sub(r"^[^\d+-]+|[^\d]+$", "", text)
        if not INTEGER.fullmatch(text):
            raise Invalid
        return int(text)

    return cast


def _number(descriptor: dict) -> Callable[[str], object]:
    decimal_char = descriptor.get("decimalChar", ".")
    group_char = descriptor.get("groupChar", "")
    bare = descriptor.get("bareNumber", True)

    def cast(value: str) -> Decimal:
        text = value.strip()
        if group_char:
            text = text.replace(group_char, "")
        if decimal_char != ".":
            text = text.replace(decimal_char, ".")
        if not bare:
            text = re.sub(r"^[^\d+.-]+|[^\d.]+$", "", text)
        if text in ("NaN", "INF", "-INF"):
            return Decimal(text.replace("INF", "Infinity"))
        if not NUMBER.fullmatch(text):
            raise Invalid
        try:
            return Decimal(text)
        except InvalidOperation as exc:
            raise Invalid from exc

    return cast


def _boolean(descriptor: dict) -> Callable[[str], object]:
    true_values = set(descriptor.get("trueValues") or ["true", "True", "TRUE", "1"])
    false_values = set(descriptor.get("falseValues") or ["false", "False", "FALSE", "0"])

    def cast(value: str) -> bool:
        text = value.strip()
        if text in true_values:
            return True
        if text in false_values:
            return False
        raise Invalid

    return cast


def _strptime(formats: tuple[str, ...], kind: str) -> Callable[[str], object]:
    def cast(value: str):
        text = value.strip()
        for fmt in formats:
            try:
                parsed = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007 - local values, compared as such
            except ValueError:
                continue
            return parsed.date() if kind == "date" else parsed.time() if kind == "time" else parsed
        raise Invalid

    return cast


def _date(descriptor: dict) -> Callable[[str], object]:
    fmt = descriptor.get("format") or "default"
    if fmt == "default":

        def cast(value: str) -> datetime.date:
            text = value.strip()
            if not ISO_DATE.fullmatch(text):
                raise Invalid
            try:
                return datetime.date.fromisoformat(text)
            except ValueError as exc:
                raise Invalid from exc

        return cast
    return _strptime(ANY_DATE_FORMATS if fmt == "any" else (fmt,), "date")


def _datetime(descriptor: dict) -> Callable[[str], object]:
    fmt = descriptor.get("format") or "default"
    if fmt == "default":

        def cast(value: str) -> datetime.datetime:
            text = value.strip()
            if "T" not in text:
                raise Invalid
            try:
                return datetime.datetime.fromisoformat(text)
            except ValueError as exc:
                raise Invalid from exc

        return cast
    if fmt == "any":
        iso = _datetime({})
        loose = _strptime(ANY_DATETIME_FORMATS, "datetime")

        def cast_any(value: str):
            try:
                return iso(value)
            except Invalid:
                return loose(value)

        return cast_any
    return _strptime((fmt,), "datetime")


def _time(descriptor: dict) -> Callable[[str], object]:
    fmt = descriptor.get("format") or "default"
    if fmt in ("default", "any"):
        return _strptime(("%H:%M:%S", "%H:%M") if fmt == "any" else ("%H:%M:%S",), "time")
    return _strptime((fmt,), "time")


def _year(descriptor: dict) -> Callable[[str], object]:
    def cast(value: str) -> int:
        text = value.strip()
        if not YEAR.fullmatch(text):
            raise Invalid
        return int(text)

    return cast


def _yearmonth(descriptor: dict) -> Callable[[str], object]:
    def cast(value: str) -> tuple[int, int]:
        match = YEARMONTH.fullmatch(value.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise Invalid
        return int(match.group(1)), int(match.group(2))

    return cast


def _string(descriptor: dict) -> Callable[[str], object]:
    return lambda value: value


CASTS = {
    "string": _string,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "time": _time,
    "year": _year,
    "yearmonth": _yearmonth,
}


@dataclass
class FieldRule:
    """One schema field bound to a column: how to read a cell and which constraints apply."""

    name: str
    type: str
    column: int  # 0-based index in the row
    cast: Callable[[str], object]
    required: bool = False
    enum: set | None = None
    minimum: object = None
    maximum: object = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: re.Pattern | None = None


@dataclass
class CellError:
    row: int
    column: int  # 1-based
    field: str
    value: str
    code: str  # type-error | constraint-error
    type: str
    constraint: str = ""  # required | enum | minimum | maximum | minLength | maxLength | pattern

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "value": self.value,
            "code": self.code,
            "type": self.type,
            "constraint": self.constraint,
        }


@dataclass
class CellChecker:
    rules: list[FieldRule]
    missing_values: frozenset[str]
    unmatched: list[str] = field(default_factory=list)  # schema fields that are not columns
    invalid: list[str] = field(default_factory=list)  # schema fields whose constraints cannot be read
    errors: list[CellError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"type-error": 0, "constraint-error": 0})

    @property
    def total(self) -> int:
        return self.counts["type-error"] + self.counts["constraint-error"]

    def _error(self, number: int, rule: FieldRule, value: str, code: str, constraint: str = "") -> None:
        self.counts[code] += 1
        if len(self.errors) < MAX_CELL_ERRORS:
            self.errors.append(
                CellError(number, rule.column + 1, rule.name, value[:50], code, rule.type, constraint)
            )

    def check_row(self, number: int, row: list[str]) -> None:
        missing_values = self.missing_values
        for rule in self.rules:
            if rule.column >= len(row):
                continue  # a short row is the structure check's missing-cell
            value = row[rule.column]
            if value in missing_values or (rule.type != "string" and not value.strip()):
                if rule.required:
                    self._error(number, rule, value, "constraint-error", "required")
                continue
            try:
                cast = rule.cast(value)
            except Invalid:
                self._error(number, rule, value, "type-error")
                continue
            try:
                self._constraints(number, rule, value, cast)
            except TypeError:  # e.g. a datetime with a zone against a bound without one
                self._error(number, rule, value, "constraint-error", "minimum")

    def _constraints(self, number: int, rule: FieldRule, value: str, cast) -> None:
        if rule.enum is not None and cast not in rule.enum:
            self._error(number, rule, value, "constraint-error", "enum")
        elif rule.minimum is not None and cast < rule.minimum:
            self._error(number, rule, value, "constraint-error", "minimum")
        elif rule.maximum is not None and cast > rule.maximum:
            self._error(number, rule, value, "constraint-error", "maximum")
        elif rule.min_length is not None and len(value) < rule.min_length:
            self._error(number, rule, value, "constraint-error", "minLength")
        elif rule.max_length is not None and len(value) > rule.max_length:
            self._error(number, rule, value, "constraint-error", "maxLength")
        elif rule.pattern is not None and not rule.pattern.fullmatch(value):
            self._error(number, rule, value, "constraint-error", "pattern")


def _bound(cast, value):
    """A constraint's value read as the field's type (numbers and dates may be written as text)."""
    if value is None:
        return None
    return cast(str(value)) if not isinstance(value, bool) else value


def compile_schema(schema: dict | None, labels: list[str]) -> CellChecker | None:
    """Bind the schema's fields to the header's columns; None when nothing is to be checked."""
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return None
    missing_values = schema.get("missingValues", [""])
    checker = CellChecker(
        [], frozenset(str(v) for v in missing_values) if isinstance(missing_values, list) else frozenset({""})
    )
    positions = {}
    for index, label in enumerate(labels):
        positions.setdefault(label.strip(), index)
    for descriptor in schema["fields"]:
        if not isinstance(descriptor, dict) or not descriptor.get("name"):
            continue
        name = str(descriptor["name"]).strip()
        kind = str(descriptor.get("type") or "string")
        column = positions.get(name, positions.get(str(descriptor.get("title") or "").strip()))
        if column is None:
            checker.unmatched.append(name)
            continue
        if kind not in CHECKED_TYPES:
            continue
        constraints = descriptor.get("constraints") or {}
        if not isinstance(constraints, dict):
            constraints = {}
        cast = CASTS[kind](descriptor)
        try:
            rule = FieldRule(name=name, type=kind, column=column, cast=cast)
            rule.required = bool(constraints.get("required"))
            if isinstance(constraints.get("enum"), list):
                rule.enum = {_bound(cast, v) for v in constraints["enum"]}
            if kind != "string":
                rule.minimum = _bound(cast, constraints.get("minimum"))
                rule.maximum = _bound(cast, constraints.get("maximum"))
            if constraints.get("minLength") is not None:
                rule.min_length = int(constraints["minLength"])
            if constraints.get("maxLength") is not None:
                rule.max_length = int(constraints["maxLength"])
            if constraints.get("pattern"):
                rule.pattern = re.compile(str(constraints["pattern"]))
        except (Invalid, TypeError, ValueError, re.error):
            checker.invalid.append(name)
            continue
        if kind == "string" and not (
            rule.required or rule.enum or rule.min_length or rule.max_length or rule.pattern
        ):
            continue  # any text is a string: nothing to check per cell
        checker.rules.append(rule)
    if not (checker.rules or checker.unmatched or checker.invalid):
        return None
    return checker


# Types written in 主要欄位說明's 說明 (the standard has no type syntax; these words are explicit).
DESCRIPTION_TYPES = (
    (re.compile(r"整數"), {"type": "integer"}),
    (re.compile(r"數值"), {"type": "number"}),
    (re.compile(r"西元年月日|YYYY-MM-DD", re.IGNORECASE), {"type": "date"}),
)


def from_field_description(declared: list[dict]) -> dict | None:
    """A Table Schema from 主要欄位說明 items whose 說明 names a type (整數, 數值, 西元年月日 or
    YYYY-MM-DD); None when no item does. Other items are strings (not checked)."""
    fields = []
    for item in declared:
        for pattern, descriptor in DESCRIPTION_TYPES:
            if pattern.search(item.get("description") or ""):
                fields.append({"name": item["name"], "title": item.get("title") or "", **descriptor})
                break
    return {"fields": fields} if fields else None
