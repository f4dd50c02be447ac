"""Reading the tables people upload (CSV in UTF-8 or Big5, or an .xlsx workbook), for every
module's importer: the rows as lists, header first. What a file cannot be read as is an
UnreadableFile with a message for the user; each importer reports it its own way.

A workbook is a zip: its entries are checked before it is opened (core.attachments.check_zip:
RDEC_ZIP_MAX_ENTRIES, RDEC_ZIP_MAX_UNCOMPRESSED_BYTES, RDEC_ZIP_MAX_RATIO), then streamed
(openpyxl read_only). A table of more than RDEC_IMPORT_MAX_ROWS rows with content (header
included) stops at that row with an UnreadableFile, so a huge sheet cannot hold a worker."""

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


class ImportFailed(Exception):
    """Nothing was imported; `errors` lists every problem ("row N, column X: ..."). Every importer of
    the platform (petitions, tenders, documents, open data, Pol.is, award notices, review scores)
    raises this one, all or nothing."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


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


def _too_many_rows(limit: int) -> UnreadableFile:
    return UnreadableFile(
        _("The file has more than %(limit)s rows; split it into smaller files.") % {"limit": f"{limit:,}"}
    )


EMPTY_RUN_ENDS_TABLE = 1000  # a workbook formatted far below its data: the table has ended


def _capped(rows, limit: int) -> Iterator[list]:
    """At most `limit` rows with content; empty rows do not count, but a run of
    EMPTY_RUN_ENDS_TABLE of them ends the table."""
    count = empty = 0
    for row in rows:
        if any(v not in (None, "") for v in row):
            count, empty = count + 1, 0
            if count > limit:
                raise _too_many_rows(limit)
        else:
            empty += 1
            if empty > EMPTY_RUN_ENDS_TABLE:
                return
        yield row


def check_workbook(data: bytes, filename: str = "") -> None:
    """Refuse a workbook whose zip would unpack to too much, before openpyxl opens it."""
    from django.core.exceptions import ValidationError

    from rdec.core.attachments import check_zip

    try:
        check_zip(data, name=filename.rsplit("/", 1)[-1] or _("The workbook"))
    except ValidationError as exc:
        raise UnreadableFile(" ".join(exc.messages)) from exc


def iter_rows(data: bytes, filename: str = "", *, max_rows: int | None = None) -> Iterator[list]:
    """The rows of the first sheet of a workbook (cells as `cell_value` gives them) or of a CSV file
    (strings as they are), at most `max_rows` (RDEC_IMPORT_MAX_ROWS) of them."""
    from django.conf import settings

    limit = max_rows or settings.RDEC_IMPORT_MAX_ROWS
    if is_workbook(data, filename):
        from openpyxl import load_workbook

        check_workbook(data, filename)
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise UnreadableFile(_("The workbook cannot be read (%(error)s).") % {"error": exc}) from exc
        try:
            rows = wb.worksheets[0].iter_rows(values_only=True)
            for row in _capped(rows, limit):
                yield [cell_value(v) for v in row]
        finally:
            wb.close()
    else:
        yield from _capped(csv.reader(io.StringIO(decode(data))), limit)
