"""Excel (.xlsx) downloads of the strategy lists (openpyxl): one sheet, a title row, a header row,
numbers as numbers, frozen header."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

from rdec.core.spreadsheets import safe_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if value is None:
        return ""
    if isinstance(value, int | float | str):
        return safe_cell(value)  # text that starts like a formula is neutralised
    return safe_cell(str(value))


def workbook_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31].replace("/", "-") or "Sheet"
    sheet.append([safe_cell(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([safe_cell(str(h)) for h in headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    sheet.freeze_panes = "A3"
    for column in sheet.columns:
        width = max((len(str(c.value)) for c in column[1:] if c.value is not None), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width * 1.6))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(name: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(workbook_bytes(title, headers, rows), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response
