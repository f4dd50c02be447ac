"""Formula injection in the tracked-item workbook: a title written as a formula stays text."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from rdec.tracking.tests.factories import item

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("collection_day")]
ATTACK = '=HYPERLINK("http://evil","x")'


def test_a_formula_in_the_title_is_text_in_the_items_workbook(personas):
    from openpyxl import load_workbook

    item(personas.officer, title=ATTACK)
    client = Client()
    client.force_login(personas.staff)
    response = client.get(reverse("tracking:item-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["'" + ATTACK]
    assert all(c.data_type != "f" for c in cells)
