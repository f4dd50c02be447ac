"""The demo content: a year of documents of every ranked agency, a few agencies over 3 % last
month (the demo's slow ones among them), and a second run adding nothing."""

from __future__ import annotations

import pytest

from rdec.documents import demo, selectors
from rdec.documents.models import Document

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_year_of_documents_and_flags_a_few_agencies(personas):
    demo.seed()
    demo.seed()
    kpis = selectors.monthly_kpis(personas.officer, selectors.previous_month())
    flagged = {k.agency.code for k in kpis.flagged}
    assert 39_000 <= Document.objects.count() <= 41_000
    assert sum(k.closed for k in kpis.rows) > 2_500
    assert 1 <= len(flagged) <= 10
    assert flagged & set(demo.LATE)
