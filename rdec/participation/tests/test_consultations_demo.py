"""The demo's consultations: one open with comments and a hidden advertisement, one with its
response report published (themes 採納 / 部分採納 / 不採納, the PDF and the .odt); seeding twice adds nothing."""

from __future__ import annotations

import pytest

from rdec.core.demo import ensure_demo_accounts
from rdec.participation import selectors
from rdec.participation.demo import seed_consultations
from rdec.participation.models import Consultation

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_an_open_and_a_reported_consultation():
    ensure_demo_accounts()
    seed_consultations()
    seed_consultations()
    assert Consultation.objects.count() == 2
    park = Consultation.objects.get(slug="park-playgrounds")
    assert park.status == "open" and park.comments.count() == 4
    assert [e["ground"] for e in selectors.moderation_log(park)] == ["advertising"]
    ibike = Consultation.objects.get(slug="ibike-stations")
    assert ibike.status == "reported" and ibike.report_pdf and ibike.report_odt
    assert sorted(ibike.themes.values_list("decision", flat=True)) == ["adopted", "not_adopted", "partly"]
    for c in (park, ibike):
        for comment in c.comments.all():
            assert comment.display_name not in (comment.author.username, comment.author.email)
