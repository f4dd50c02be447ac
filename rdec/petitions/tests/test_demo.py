"""The demo petitions are consistent: statuses match dates, due dates are on the office calendar,
every case has a tenure and a history, and seeding twice changes nothing."""

from __future__ import annotations

import io
import re

import pytest
from django.db.models import Count
from django.utils import timezone

from rdec.core import geo, workdays
from rdec.petitions import deadlines, demo
from rdec.petitions.models import (
    AgencyTenure,
    Article,
    Case,
    CaseEvent,
    CaseNumber,
    DutyContact,
    Rating,
    Reply,
    ReplyTemplate,
)
from rdec.petitions.tracking import check_tracking_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = io.StringIO()
    made = demo.seed(stdout=out, size=600)
    return made, out.getvalue()


def test_seed_makes_consistent_cases(seeded):
    made, output = seeded
    assert made == 600 == Case.objects.count()
    assert "RDEC2345" in output
    today = timezone.localdate()
    now = timezone.now()
    statuses = set()
    for case in Case.objects.select_related("category", "district", "village"):
        statuses.add(case.status)
        assert case.received_at <= now
        assert case.original_due_date == deadlines.due_date_for(case.received_at, case.category.working_days)
        assert workdays.is_working_day(case.due_date) or case.due_date == case.original_due_date
        assert case.due_date >= case.original_due_date
        if case.status in (Case.Status.REPLIED, Case.Status.CLOSED):
            assert case.replied_at is not None and case.received_at <= case.replied_at <= now
        else:
            assert case.replied_at is None
        if case.status in (Case.Status.CLOSED, Case.Status.WITHDRAWN):
            assert case.closed_at is not None and case.closed_at <= now
            assert case.closed_at >= (case.replied_at or case.received_at)
        else:
            assert case.closed_at is None
        if case.lat is not None:
            place = geo.resolve(case.lat, case.lon)
            assert place.district_id == case.district_id and place.village_id == case.village_id
        assert case.district_id is not None
        if case.petitioner_phone:
            assert case.petitioner_phone.startswith("0900000")
        assert (today - timezone.localtime(case.received_at).date()).days <= 366
    assert {Case.Status.CLOSED, Case.Status.IN_PROGRESS} <= statuses
    assert not Case.objects.annotate(n=Count("tenures")).filter(n=0).exists()
    assert not Case.objects.annotate(n=Count("events")).filter(n=0).exists()
    open_tenures = AgencyTenure.objects.filter(ended_at__isnull=True).values_list("case_id", flat=True)
    assert len(open_tenures) == len(set(open_tenures))  # one holder at a time
    assert not Case.objects.filter(status=Case.Status.CLOSED, replies__isnull=True).exists()
    assert Reply.objects.count() == Case.objects.filter(replied_at__isnull=False).count()
    assert set(Rating.objects.values_list("score", flat=True)) <= {1, 2, 3, 4, 5}
    assert CaseEvent.objects.filter(verb="received").count() == 600
    # the numbers go on from where the demo stopped
    for year, last in CaseNumber.objects.values_list("year", "last"):
        assert Case.objects.filter(number=f"{year}-{last:07d}").exists()
    # the printed sample works on the tracking page
    number = re.search(r"\d{3}-\d{7}", output).group(0)
    assert check_tracking_code(Case.objects.get(number=number), demo.DEMO_TRACKING_CODE)


def test_seed_makes_the_reference_content(seeded):
    assert Article.objects.count() >= 40
    assert Article.objects.filter(review_due__lt=timezone.localdate()).exists()
    assert DutyContact.objects.filter(agency__code="construction").exists()
    assert all(c.phone.startswith("04-2228-") for c in DutyContact.objects.all())
    assert ReplyTemplate.objects.values("category").distinct().count() >= 40


def test_seed_is_idempotent(seeded):
    assert demo.seed(stdout=io.StringIO(), size=600) == 0
    assert Case.objects.count() == 600
