"""Tables written as spreadsheets, one sheet per table: .xlsx (openpyxl) and .ods (odfpy, the
government's ODF standard), and CSV (UTF-8 with a byte-order mark, so that Excel opens it). Every
module's exports use these writers; what a module passes is a list of tables, each with a title, a
header row and rows of plain values.

Formula injection (OWASP "CSV injection"): a text cell that starts with = + - @ a tab or a carriage
return would be taken by Excel or LibreOffice as a formula (`=HYPERLINK("http://evil","x")` in a
petition's subject). Every writer here passes each cell through `safe_cell`, which puts a single
quote in front of such text; numbers, dates and booleans stay what they are. A module that builds
an openpyxl sheet itself appends `safe_row(row)`."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell's value made safe to open: text starting with a formula character gets a leading
    single quote; numbers (int, float, Decimal), booleans, dates and None are returned unchanged;
    lazy translations become text."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unquote_cell(text: str) -> str:
    """The inverse of `safe_cell` for text read back from one of our own files (an importer of a
    file we exported): a quote put in front of a formula character is taken off again."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]


def _csv_text(value) -> str:
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def to_csv(headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    """A CSV file (UTF-8 with a byte-order mark, CRLF line ends), every cell through `safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_text(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_response(filename: str, headers: Sequence, rows: Iterable[Sequence]):
    """An HttpResponse downloading `to_csv(headers, rows)` as `filename` (RFC 6266 filename*)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(to_csv(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


def _sheet_name(index: int, title: str) -> str:
    return f"{index} {title}"[:31]  # both formats number the sheets; Excel allows 31 characters


def to_xlsx(tables, *, max_width: int = 60) -> bytes:
    """Any objects with `title`, `headers` and `rows`: bold, frozen header row; columns as wide as
    their contents (up to `max_width`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for index, table in enumerate(tables, start=1):
        ws = wb.create_sheet(_sheet_name(index, table.title))
        ws.append(safe_row(table.headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            ws.append(safe_row(row))
        for col, header in enumerate(table.headers, start=1):
            width = max([len(str(header)), *(len(str(r[col - 1])) for r in table.rows[:300])]) + 2
            ws.column_dimensions[get_column_letter(col)].width = min(max(width * 1.6, 8), max_width)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_ods(tables) -> bytes:
    """The same tables as an OpenDocument spreadsheet; numbers stay numbers."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdfTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for index, table in enumerate(tables, start=1):
        sheet = OdfTable(name=_sheet_name(index, table.title))
        for values in [table.headers, *table.rows]:
            tr = TableRow()
            for value in values:
                value = safe_cell(value)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                else:
                    cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            sheet.addElement(tr)
        doc.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
