"""Reading the tables people upload (CSV in UTF-8 or Big5, or an .xlsx workbook), for every
module's importer: the rows as lists, header first. What a file cannot be read as is an
UnreadableFile with a message for the user; each importer reports it its own way."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _


class UnreadableFile(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Big5 (cp950, then strict big5)."""
    for encoding in ("utf-8-sig", "cp950", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is neither UTF-8 nor Big5."))


def cell_value(value):
    """A workbook cell as the importers take it: text (whole numbers without ".0"), or a date."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def is_workbook(data: bytes, filename: str = "") -> bool:
    return data[:2] == b"PK" or filename.lower().endswith(".xlsx")


def iter_rows(data: bytes, filename: str = "") -> Iterator[list]:
    """The rows of the first sheet of a workbook (cells as `cell_value` gives them) or of a CSV file
    (strings as they are)."""
    if is_workbook(data, filename):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise UnreadableFile(_("The workbook cannot be read (%(error)s).") % {"error": exc}) from exc
        try:
            for row in wb.worksheets[0].iter_rows(values_only=True):
                yield [cell_value(v) for v in row]
        finally:
            wb.close()
    else:
        yield from csv.reader(io.StringIO(decode(data)))
