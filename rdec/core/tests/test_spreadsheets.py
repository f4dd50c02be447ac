"""Formula injection (OWASP CSV injection): every writer in core.spreadsheets neutralises text cells
that start with = + - @ a tab or a carriage return, and leaves other values as they are."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from rdec.core import spreadsheets
from rdec.core.spreadsheets import Table, safe_cell, to_csv, to_ods, to_xlsx, unquote_cell

DANGEROUS = "=+-@\t\r"
ATTACK = '=HYPERLINK("http://evil","x")'


@given(first=st.sampled_from(DANGEROUS), rest=st.text())
def test_text_starting_like_a_formula_never_starts_so_after_safe_cell(first, rest):
    out = safe_cell(first + rest)
    assert out[0] not in DANGEROUS
    assert out == "'" + first + rest
    assert unquote_cell(out) == first + rest


@given(st.text().filter(lambda s: not s.startswith(tuple(DANGEROUS))))
def test_other_text_is_unchanged(text):
    assert safe_cell(text) == text


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.decimals(allow_nan=False), st.booleans()))
def test_numbers_stay_numbers(value):
    assert safe_cell(value) is value


def test_dates_and_none_stay():
    day = datetime.date(2026, 3, 1)
    assert safe_cell(day) is day and safe_cell(None) is None
    assert safe_cell(-5) == -5 and safe_cell(Decimal("-1.5")) == Decimal("-1.5")


@given(st.lists(st.text(alphabet=DANGEROUS + "ab,\"'\n 中", max_size=8), min_size=1, max_size=5))
def test_csv_cells_read_back_never_start_with_a_formula_character(cells):
    data = to_csv(["a"] * len(cells), [cells])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for original, read in zip(cells, rows[1], strict=True):
        assert not read.startswith(tuple(DANGEROUS))
        assert read == (("'" + original) if original.startswith(tuple(DANGEROUS)) else original)


def test_xlsx_and_ods_hold_the_attack_as_text():
    from openpyxl import load_workbook

    tables = [Table("t", ["subject", "n"], [[ATTACK, -3], ["+886 4 2228", 2.5], ["@SUM(A1)", 0]])]
    sheet = load_workbook(io.BytesIO(to_xlsx(tables))).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert [c.value for c in cells] == ["'" + ATTACK, -3, "'+886 4 2228", 2.5, "'@SUM(A1)", 0]
    assert all(c.data_type != "f" for c in cells)
    ods = to_ods(tables)
    assert b"table:formula" not in ods  # a quick check of content.xml below
    import zipfile

    content = zipfile.ZipFile(io.BytesIO(ods)).read("content.xml").decode()
    assert "table:formula" not in content and "&apos;=HYPERLINK" in content or "'=HYPERLINK" in content


def test_csv_response_is_a_download():
    response = spreadsheets.csv_response("清單.csv", ["a"], [[ATTACK]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.decode("utf-8-sig").splitlines()[1] == '"\'=HYPERLINK(""http://evil"",""x"")"'
