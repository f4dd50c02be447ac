"""Formula injection in the inbox CSV: a subject written as a formula comes out as text."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from rdec.petitions.tests.factories import file

pytestmark = pytest.mark.django_db
ATTACK = '=HYPERLINK("http://evil","x")'


def test_a_formula_in_the_subject_is_neutralised_in_the_inbox_csv(client, personas):
    case, _ = file(subject=ATTACK)
    client.force_login(personas.staff)
    response = client.get(reverse("petitions:inbox-export"), {"status": "all"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    row = next(r for r in rows if r[0] == case.number)
    assert row[4] == "'" + ATTACK
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)
