"""簡政創新: the research's §2.2 hidden tests (a month without a digest is flagged, no reason no
refusal, one lead per cross-agency item, the year-end review through the engine's rubric, totals,
ties and versions), adopted items under control (列管), overdue referrals, process reforms, awards,
KPI 10-2-4's live figure and who may do what."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdec.core.models import AuditEntry
from rdec.programs import selectors, selectors_innovation, services, services_innovation
from rdec.programs.models_innovation import Assessment, Digest, Referral, improvement
from rdec.programs.tests.factories import CLOSES, DURING, TAX_IDS, make_call, review, reviewer
from rdec.tracking.models import Item

pytestmark = pytest.mark.django_db

D = datetime.date


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {name: [e.code for e in errors] for name, errors in exc.error_dict.items()}


def sent_digest(officer, year, month, routing_agencies, *, lead=None, due_on=None, sent_on=None):
    digest = services_innovation.create_digest(actor=officer, year=year, month=month)
    item = services_innovation.add_item(
        digest,
        actor=officer,
        headline="新北市推動線上申辦免附戶籍謄本",
        kind="news",
        source_url="https://www.ntpc.gov.tw/",
        place="新北市",
        summary="以電子查驗取代紙本",
    )
    sent_on = sent_on or D(year, month, 5)
    services_innovation.send_digest(
        digest,
        actor=officer,
        routing={item: (routing_agencies, lead)},
        letter_number="府授研創字第1120001234號",
        due_on=due_on or sent_on + datetime.timedelta(days=14),
        sent_on=sent_on,
    )
    return digest, item


# --- a month without a digest ------------------------------------------------------------------------


def test_a_month_without_a_digest_is_flagged(personas):
    for month in (1, 2, 4):
        sent_digest(personas.officer, 2026, month, [personas.staff.agency])
    services_innovation.create_digest(actor=personas.officer, year=2026, month=5)  # not sent: no digest yet
    assert selectors_innovation.missing_digest_months(2026, D(2026, 5, 20)) == [3, 5]
    assert selectors_innovation.missing_digest_months(2025, D(2026, 5, 20)) == list(range(1, 13))
    assert selectors_innovation.missing_digest_months(2027, D(2026, 5, 20)) == []


@settings(max_examples=30, deadline=None)
@given(today=st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)), year=st.integers(2019, 2031))
def test_the_flagged_months_are_exactly_the_begun_months_without_a_sent_digest(today, year):
    months = selectors_innovation.missing_digest_months(year, today)
    # nothing is sent in this example's database: every begun month is flagged, none of the future
    assert months == selectors_innovation.months_due(year, today)
    assert all(D(year, m, 1) <= today for m in months)
    if year < today.year:
        assert months == list(range(1, 13))


def test_one_digest_per_month(personas):
    services_innovation.create_digest(actor=personas.officer, year=2026, month=3)
    with pytest.raises(ValidationError) as exc:
        services_innovation.create_digest(actor=personas.officer, year=2026, month=3)
    assert codes(exc.value) == {"month": ["unique"]}
    with pytest.raises(ValidationError) as exc:
        services_innovation.create_digest(actor=personas.officer, year=2026, month=13)
    assert "month" in codes(exc.value)


# --- referrals: one lead, due dates ----------------------------------------------------------------------


def test_a_cross_agency_item_has_exactly_one_lead(personas):
    officer = personas.officer
    a, b = personas.staff.agency, personas.other_staff.agency
    digest = services_innovation.create_digest(actor=officer, year=2026, month=6)
    item = services_innovation.add_item(digest, actor=officer, headline="跨局處案件", kind="citizen_feedback")
    kwargs = {"letter_number": "府授研字第1號", "due_on": D(2026, 6, 30), "sent_on": D(2026, 6, 2)}
    with pytest.raises(ValidationError) as exc:
        services_innovation.send_digest(digest, actor=officer, routing={item: ([a, b], None)}, **kwargs)
    assert codes(exc.value) == {f"lead_{item.pk}": ["required"]}
    with pytest.raises(ValidationError) as exc:
        services_innovation.send_digest(
            digest, actor=officer, routing={item: ([a, b], personas.agri_staff.agency)}, **kwargs
        )
    assert codes(exc.value) == {f"lead_{item.pk}": ["invalid"]}
    assert not Referral.objects.exists()
    services_innovation.send_digest(digest, actor=officer, routing={item: ([a, b], b)}, **kwargs)
    assert {(r.agency, r.lead) for r in item.referrals.all()} == {(a, False), (b, True)}
    selectors_innovation.check_one_lead(item)
    # the database refuses a second lead too
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(item=item).update(lead=True)


def test_a_single_agency_leads_and_every_item_must_go_somewhere(personas):
    digest, item = sent_digest(personas.officer, 2026, 7, [personas.staff.agency])
    assert item.referrals.get().lead is True
    other = services_innovation.create_digest(actor=personas.officer, year=2026, month=8)
    lone = services_innovation.add_item(other, actor=personas.officer, headline="x", kind="news")
    with pytest.raises(ValidationError) as exc:
        services_innovation.send_digest(
            other,
            actor=personas.officer,
            routing={},
            letter_number="",
            due_on=D(2026, 7, 1),
            sent_on=D(2026, 8, 3),
        )
    assert codes(exc.value) == {
        f"agencies_{lone.pk}": ["required"],
        "letter_number": ["required"],
        "due_on": ["before_sent"],
    }


@settings(max_examples=40, deadline=None)
@given(due=st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31)), delta=st.integers(-40, 40))
def test_a_referral_is_overdue_from_the_day_after_its_due_date_while_unanswered(due, delta):
    referral = Referral(due_on=due, sent_on=due)
    day = due + datetime.timedelta(days=delta)
    assert referral.is_overdue_on(day) is (delta >= 1)


def test_an_answered_referral_is_never_overdue(personas):
    _digest, item = sent_digest(personas.officer, 2026, 1, [personas.staff.agency], due_on=D(2026, 1, 20))
    referral = item.referrals.get()
    assert referral.is_overdue_on(D(2026, 1, 21))
    services_innovation.assess_referral(
        referral, actor=personas.staff, decision="not_adopt", reason="本局已有類似措施", now=DURING
    )
    referral = Referral.objects.select_related("assessment").get(pk=referral.pk)
    assert not referral.is_overdue_on(D(2026, 3, 1))


# --- assessments ----------------------------------------------------------------------------------


@pytest.fixture
def referral(personas):
    _digest, item = sent_digest(personas.officer, 2026, 2, [personas.staff.agency])
    return item.referrals.get()


NOW = datetime.datetime(2026, 2, 10, 10, 0, tzinfo=datetime.UTC)


def test_not_adopting_without_a_reason_is_refused(personas, referral):
    with pytest.raises(ValidationError) as exc:
        services_innovation.assess_referral(
            referral, actor=personas.staff, decision="not_adopt", reason="  ", now=NOW
        )
    assert codes(exc.value) == {"reason": ["required"]}
    assert not Assessment.objects.exists()
    # the database refuses it as well
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(referral=referral, decision="not_adopt", assessed_at=NOW)


def test_adopting_needs_measures_and_a_schedule(personas, referral):
    for decision in ("adopt", "partial"):
        with pytest.raises(ValidationError) as exc:
            services_innovation.assess_referral(referral, actor=personas.staff, decision=decision, now=NOW)
        assert codes(exc.value) == {"measures": ["required"], "target_on": ["required"]}
    with pytest.raises(ValidationError) as exc:
        services_innovation.assess_referral(
            referral, actor=personas.staff, decision="adopt", measures="x", target_on=D(2026, 1, 1), now=NOW
        )
    assert codes(exc.value) == {"target_on": ["past"]}
    assert not Item.objects.exists()


@pytest.mark.parametrize("decision", ["adopt", "partial"])
def test_an_adopted_item_is_put_under_control(personas, referral, decision):
    assessment = services_innovation.assess_referral(
        referral,
        actor=personas.staff,
        decision=decision,
        measures="改以電子查驗，免附謄本",
        target_on=D(2026, 6, 30),
        now=NOW,
    )
    tracked = assessment.tracking_item
    assert tracked is not None
    assert (tracked.source, tracked.owner, tracked.deadline, tracked.title) == (
        Item.Source.INNOVATION,
        personas.staff.agency,
        D(2026, 6, 30),
        "新北市推動線上申辦免附戶籍謄本",
    )
    assert Assessment.objects.get().tracking_item_id == tracked.pk
    assert AuditEntry.objects.filter(verb="programs.referral_assessed").exists()


def test_not_adopting_tracks_nothing_and_an_answer_is_given_once(personas, referral):
    services_innovation.assess_referral(
        referral, actor=personas.staff, decision="not_adopt", reason="法規限制", now=NOW
    )
    assert not Item.objects.exists()
    with pytest.raises(ValidationError) as exc:
        services_innovation.assess_referral(
            referral, actor=personas.staff, decision="not_adopt", reason="再答", now=NOW
        )
    assert codes(exc.value) == {"referral": ["answered"]}


def test_only_the_referred_agency_answers(personas, referral):
    for user in (personas.other_staff, personas.citizen, personas.officer):
        with pytest.raises(PermissionDenied):
            services_innovation.assess_referral(
                referral, actor=user, decision="not_adopt", reason="x", now=NOW
            )
    assert list(selectors_innovation.referrals_visible_to(personas.other_staff)) == []
    assert list(selectors_innovation.referrals_visible_to(personas.staff)) == [referral]
    assert list(selectors_innovation.referrals_visible_to(personas.officer)) == [referral]


def test_only_the_rdec_manages_digests(personas):
    with pytest.raises(PermissionDenied):
        services_innovation.create_digest(actor=personas.staff, year=2026, month=1)
    assert not Digest.objects.exists()


# --- process reforms ---------------------------------------------------------------------------------


def test_a_process_reform_keeps_its_before_and_after_measures(personas):
    reform = services_innovation.record_process_reform(
        actor=personas.staff,
        agency=personas.staff.agency,
        year=2026,
        item="建築執照審查流程",
        strategy="法令或流程檢討",
        days_before=30,
        days_after=12,
        documents_before=8,
        documents_after=5,
        visits_before=3,
        visits_after=0,
    )
    assert (reform.days_improvement, reform.documents_improvement, reform.visits_improvement) == (
        Decimal("60.0"),
        Decimal("37.5"),
        Decimal("100.0"),
    )
    assert improvement(0, 0) is None
    with pytest.raises(PermissionDenied):
        services_innovation.record_process_reform(
            actor=personas.staff, agency=personas.other_staff.agency, year=2026, item="x", strategy="y"
        )
    with pytest.raises(ValidationError) as exc:
        services_innovation.record_process_reform(
            actor=personas.staff,
            agency=personas.staff.agency,
            year=2026,
            item="",
            strategy="y",
            days_before=-1,
        )
    assert set(codes(exc.value)) == {
        "item",
        "days_before",
        "days_after",
        "documents_before",
        "documents_after",
        "visits_before",
        "visits_after",
    }


# --- the year-end review through the engine ---------------------------------------------------------------


def enter(call, user, title, tax_id):
    return services_innovation.enter_innovation(
        call, actor=user, agency=user.agency, title=title, description="說明", tax_id=tax_id, now=DURING
    )


def test_the_year_end_review_uses_the_engine_rubric_totals_and_tie_break(personas):
    officer = personas.officer
    # weights must sum to 100 (the engine refuses otherwise)
    with pytest.raises(ValidationError):
        make_call(officer, slug="bad", criteria=[{"code": "a", "name": "A", "weight": 90}], tie_break="a")
    call = make_call(officer, tie_break="method")  # programme "innovation", 10/30/30/30
    a = enter(call, personas.staff, "線上申辦免附謄本", TAX_IDS[0])
    b = enter(call, personas.other_staff, "跨機關資料介接", TAX_IDS[1])
    c = enter(call, personas.agri_staff, "農業補助一站式", TAX_IDS[2])
    assert a.submission.call == call and a.submission.organisation == personas.staff.agency.name
    judge = reviewer("judge")
    # 80, 70, 90, 60 × 10, 30, 30, 30 → 74.0
    review(a.submission, officer, judge, {"structure": 80, "method": 70, "analysis": 90, "conclusions": 60})
    # the same total, 74.0, with a higher tie-break criterion (method 80): ranked above a
    review(b.submission, officer, judge, {"structure": 80, "method": 80, "analysis": 80, "conclusions": 60})
    review(c.submission, officer, judge, {"structure": 50, "method": 50, "analysis": 50, "conclusions": 50})
    ranking = selectors.ranking(call, selectors.default_round(call), names=False)
    assert [(e.reference, e.score, e.rank) for e in ranking] == [
        (b.submission.reference, Decimal("74"), 1),
        (a.submission.reference, Decimal("74"), 2),
        (c.submission.reference, Decimal("50"), 3),
    ]
    # changing the rubric after scoring makes a new version; the old review keeps its total
    rubric = services.change_rubric(
        call,
        actor=officer,
        criteria=[
            {"code": "method", "name": "方法", "weight": 50},
            {"code": "analysis", "name": "分析", "weight": 50},
        ],
        tie_break="analysis",
    )
    assert rubric.version == 2
    ranking = selectors.ranking(call, selectors.default_round(call), names=False)
    assert {e.reference: e.score for e in ranking}[a.submission.reference] == Decimal("74")
    # the RDEC's awards follow the ranking and record the engine's decision
    award = services_innovation.give_award(b, actor=officer, level="distinction", awarded_on=D(2022, 12, 20))
    assert (award.rank, award.level) == (1, "distinction")
    b.submission.refresh_from_db()
    assert b.submission.decision == "selected"
    with pytest.raises(ValidationError) as exc:
        services_innovation.give_award(b, actor=officer, level="merit")
    assert codes(exc.value) == {"entry": ["awarded"]}
    with pytest.raises(PermissionDenied):
        services_innovation.give_award(a, actor=personas.staff, level="merit")


def test_no_award_before_a_score_and_no_late_entry(personas):
    call = make_call(personas.officer)
    entry = enter(call, personas.staff, "未評分", TAX_IDS[0])
    with pytest.raises(ValidationError) as exc:
        services_innovation.give_award(entry, actor=personas.officer, level="merit")
    assert codes(exc.value) == {"entry": ["unranked"]}
    with pytest.raises(ValidationError) as exc:
        services_innovation.enter_innovation(
            call,
            actor=personas.staff,
            agency=personas.staff.agency,
            title="逾時",
            description="x",
            tax_id=TAX_IDS[1],
            now=CLOSES + datetime.timedelta(seconds=1),
        )
    assert codes(exc.value) == {"call": ["closed"]}


# --- KPI 10-2-4 ------------------------------------------------------------------------------------------


def test_the_live_figure_counts_months_with_a_digest_sent_to_the_quarters_end(personas):
    for month in (1, 2, 5):
        sent_digest(personas.officer, 2026, month, [personas.staff.agency])
    assert selectors_innovation.live_digests_sent(2026, 1) == 2
    assert selectors_innovation.live_digests_sent(2026, 2) == 3
    assert selectors_innovation.live_digests_sent(2025, 4) == 0
    from rdec.strategy import live

    source = live.get_live_source("programs.innovation_digests_sent")
    assert source is not None and source.func(2026, 4) == 3


class _Undo(Exception):
    pass


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(-400, 400))
def test_a_schedule_may_not_end_in_the_past_and_becomes_the_tracked_deadline(personas, referral, offset):
    target = NOW.date() + datetime.timedelta(days=offset)  # NOW is 18:00 in Taipei, the same day
    try:
        with transaction.atomic():
            if offset < 0:
                with pytest.raises(ValidationError) as exc:
                    services_innovation.assess_referral(
                        referral,
                        actor=personas.staff,
                        decision="partial",
                        measures="m",
                        target_on=target,
                        now=NOW,
                    )
                assert codes(exc.value) == {"target_on": ["past"]}
            else:
                assessment = services_innovation.assess_referral(
                    referral,
                    actor=personas.staff,
                    decision="partial",
                    measures="m",
                    target_on=target,
                    now=NOW,
                )
                assert assessment.tracking_item.deadline == target
            raise _Undo
    except _Undo:
        pass
