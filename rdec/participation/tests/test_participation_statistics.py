"""Statistics for the strategy KPI 10-1-1 as live sources: consultations held, comments, participants,
proposals, 成案 and responses on time — year to date at each quarter's end."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from rdec.core.models import Agency, Role
from rdec.core.tests.factories import UserFactory
from rdec.participation import selectors
from rdec.participation.models import (
    Comment,
    Consultation,
    Conversation,
    Endorsement,
    Participant,
    Proposal,
    Statement,
    Vote,
)
from rdec.strategy import live

pytestmark = pytest.mark.django_db

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=TAIPEI)


@pytest.fixture
def data():
    people = [UserFactory(username=f"p{i}", role=Role.CITIZEN) for i in range(6)]
    officer = UserFactory(username="officer", role=Role.RDEC_OFFICER)
    agency = Agency.objects.get(code="construction")

    def consultation(slug, opens, status=Consultation.Status.OPEN, **kw):
        return Consultation.objects.create(
            slug=slug,
            title=slug,
            background="b",
            questions="q",
            stage="before",
            agency=agency,
            status=status,
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=14),
            created_by=officer,
            **kw,
        )

    c1 = consultation(
        "c1",
        datetime.date(2026, 2, 1),
        Consultation.Status.REPORTED,
        report_due=datetime.date(2026, 3, 31),
        report_published_at=at(2026, 3, 20),
    )
    c2 = consultation(
        "c2",
        datetime.date(2026, 5, 1),
        Consultation.Status.REPORTED,
        report_due=datetime.date(2026, 6, 10),
        report_published_at=at(2026, 6, 20),
    )  # late
    consultation("draft", datetime.date(2026, 2, 1), Consultation.Status.DRAFT)
    consultation("last-year", datetime.date(2025, 12, 1))
    Comment.objects.create(
        consultation=c1, author=people[0], display_name="a", body="x", created_at=at(2026, 2, 2)
    )
    Comment.objects.create(
        consultation=c1, author=people[0], display_name="a", body="y", created_at=at(2026, 2, 3)
    )
    Comment.objects.create(
        consultation=c1, author=people[1], display_name="b", body="z", created_at=at(2026, 2, 3), hidden=True
    )
    Comment.objects.create(
        consultation=c2, author=people[2], display_name="c", body="w", created_at=at(2026, 5, 2)
    )

    def proposal(n, submitted, status, **kw):
        return Proposal.objects.create(
            number=f"115-{n:04d}",
            title=f"t{n}",
            content="c",
            benefits="b",
            proposer=people[3],
            display_name="d",
            status=status,
            submitted_at=submitted,
            check_due=submitted.date(),
            threshold=2,
            **kw,
        )

    p1 = proposal(
        1,
        at(2026, 1, 10),
        Proposal.Status.RESPONDED,
        established_at=at(2026, 2, 1),
        response_due=datetime.date(2026, 4, 1),
        responded_at=at(2026, 3, 30),
    )
    proposal(2, at(2026, 1, 11), Proposal.Status.REJECTED)
    proposal(
        3,
        at(2026, 4, 11),
        Proposal.Status.RESPONDED,
        established_at=at(2026, 4, 20),
        response_due=datetime.date(2026, 6, 1),
        responded_at=at(2026, 6, 5),
    )  # late
    Endorsement.objects.create(proposal=p1, citizen=people[4], created_at=at(2026, 1, 20))
    Endorsement.objects.create(proposal=p1, citizen=people[5], created_at=at(2026, 1, 20), review="voided")
    conv = Conversation.objects.create(slug="conv", title="conv")
    s = Statement.objects.create(conversation=conv, text="s")
    imported = Participant.objects.create(conversation=conv, external_id="42")  # no account: not counted
    own = Participant.objects.create(conversation=conv, external_id="u1", user=people[1])
    Vote.objects.create(statement=s, participant=imported, value=1, created_at=at(2026, 3, 1))
    Vote.objects.create(statement=s, participant=own, value=1, created_at=at(2026, 3, 1))
    return people


def test_each_count_is_year_to_date_at_the_quarters_end(data):
    assert selectors.consultations_held(2026, 1) == 1
    assert selectors.consultations_held(2026, 2) == 2
    assert selectors.comments_made(2026, 1) == 2  # the hidden one left out
    assert selectors.comments_made(2026, 4) == 3
    assert selectors.proposals_submitted(2026, 1) == 2
    assert selectors.proposals_submitted(2026, 2) == 3
    assert selectors.proposals_established(2026, 1) == 1
    assert selectors.proposals_established(2026, 2) == 2


def test_participants_are_distinct_accounts_that_proposed_supported_commented_or_voted(data):
    # Q1: p0 (comments), p1 (hidden comment and a vote), p3 (proposals), p4 (support); p5's support voided
    assert selectors.participants(2026, 1) == 4
    assert selectors.participants(2026, 2) == 5  # p2 commented in May


def test_responses_on_time_are_a_share_of_those_responded(data):
    assert selectors.proposal_responses_on_time_rate(2026, 1) == Decimal("100.00")
    assert selectors.proposal_responses_on_time_rate(2026, 2) == Decimal("50.00")
    assert selectors.consultation_reports_on_time_rate(2026, 1) == Decimal("100.00")
    assert selectors.consultation_reports_on_time_rate(2026, 2) == Decimal("50.00")
    assert selectors.proposal_responses_on_time_rate(2025, 4) is None  # nothing responded: unknown, not 0


def test_the_sources_are_registered_for_the_strategy_module(data):
    keys = {s.key for s in live.live_sources()}
    assert {
        "participation.consultations_held",
        "participation.comments",
        "participation.participants",
        "participation.proposals",
        "participation.proposals_established",
        "participation.proposal_responses_on_time_rate",
        "participation.consultation_reports_on_time_rate",
    } <= keys
    assert live.live_value("participation.proposals", 2026, 2) == Decimal("3.00")
    assert live.get_live_source("participation.proposal_responses_on_time_rate").value_type == "level"
