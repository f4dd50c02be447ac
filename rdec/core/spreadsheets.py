"""Tables written as spreadsheets, one sheet per table: .xlsx (openpyxl) and .ods (odfpy, the
government's ODF standard). Every module's report files use these two writers; what a module
passes is a list of tables, each with a title, a header row and rows of plain values."""

from __future__ import annotations

import io
from dataclasses import dataclass


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
        ws.append(table.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            ws.append(row)
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
