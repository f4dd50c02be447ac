"""跨域委託研究's rules (research §2.4 hidden tests): the GRB deadlines, the 4-year duplicate check,
no opinion poll filed as research, adoption with its reasons and its tracked item, the adoption rate,
and a recommendation undecided after the follow-up deadline overdue."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from rdec.programs import selectors_research as sel
from rdec.programs import services_research as svc
from rdec.programs.models import Adoption, ResearchRule, TopicProposal
from rdec.tracking.models import Item

pytestmark = pytest.mark.django_db

D = datetime.date
SIGNED = D(2022, 5, 2)
ACCEPTED = D(2022, 12, 20)


def project(personas, *, signed_on=SIGNED):
    return svc.create_project(
        actor=personas.officer,
        title="臺中市青年就業政策研究",
        lead_agency=personas.staff.agency,
        contractor="國立中興大學",
        budget=800000,
        starts_on=signed_on,
        ends_on=signed_on + datetime.timedelta(days=240),
        signed_on=signed_on,
        pi_role="公共行政學系教授",
    )


def report(personas, *, title="臺中市青年就業政策研究", year=2019, **kw):
    return svc.add_report(
        actor=personas.officer,
        agency=kw.pop("agency", personas.staff.agency),
        title=title,
        year=year,
        abstract_zh=kw.pop("abstract_zh", "本研究分析臺中市青年就業與創業之政策需求。"),
        keywords=kw.pop("keywords", "青年就業、創業、勞動政策"),
        **kw,
    )


def topic(personas, **kw):
    return svc.propose_topic(
        actor=personas.staff,
        proposer_kind="agency",
        agency=personas.staff.agency,
        title=kw.pop("title", "臺中市青年就業政策研究"),
        background="青年失業率偏高",
        aims=kw.pop("aims", "研擬青年就業與創業政策"),
        keywords=kw.pop("keywords", "青年就業"),
        kind=kw.pop("kind", "research"),
        proposed_on=kw.pop("proposed_on", D(2022, 6, 15)),
        **kw,
    )


# --- GRB deadlines (calendar days, a dated rule) ------------------------------------------------------


def test_signed_2022_05_02_is_due_in_grb_on_05_05(personas):
    p = project(personas)
    deadlines = sel.grb_deadlines(p, D(2022, 5, 5))
    assert deadlines["registration_due"] == D(2022, 5, 5)
    assert not deadlines["registration_overdue"]
    assert sel.grb_deadlines(p, D(2022, 5, 6))["registration_overdue"]


def test_registered_05_04_is_confirmed_by_the_agency_by_05_11(personas):
    p = project(personas)
    svc.record_grb(p, actor=personas.staff, grb_id="PG11105-0001", registered_on=D(2022, 5, 4))
    deadlines = sel.grb_deadlines(p, D(2022, 5, 11))
    assert not deadlines["registration_overdue"]
    assert deadlines["confirmation_due"] == D(2022, 5, 11)
    assert not deadlines["confirmation_overdue"]
    assert sel.grb_deadlines(p, D(2022, 5, 12))["confirmation_overdue"]
    svc.record_grb(p, actor=personas.staff, confirmed_on=D(2022, 5, 10))
    assert not sel.grb_deadlines(p, D(2022, 6, 1))["confirmation_overdue"]


@given(signed=st.dates(min_value=D(2012, 1, 1), max_value=D(2099, 12, 1)), lag=st.integers(0, 30))
def test_grb_deadlines_are_calendar_days_after_signing_and_registration(signed, lag):
    rule = ResearchRule(grb_registration_days=3, agency_confirmation_days=7)
    assert (rule.grb_due(signed) - signed).days == 3
    registered = signed + datetime.timedelta(days=lag)
    assert (rule.confirmation_due(registered) - registered).days == 7
    assert rule.confirmation_due(registered).weekday() == registered.weekday()


def test_the_deadlines_follow_the_rule_in_force_on_the_signing_day(personas):
    ResearchRule.objects.create(
        effective_from=D(2024, 1, 1),
        source="測試：新版要點",
        grb_registration_days=5,
        agency_confirmation_days=10,
    )
    svc.RULES.forget()
    assert sel.grb_deadlines(project(personas), D(2022, 5, 2))["registration_due"] == D(2022, 5, 5)
    later = project(personas, signed_on=D(2024, 3, 1))
    assert sel.grb_deadlines(later, D(2024, 3, 1))["registration_due"] == D(2024, 3, 6)


def test_a_registration_before_the_signing_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        svc.record_grb(project(personas), actor=personas.staff, grb_id="X", registered_on=D(2022, 5, 1))
    assert "registered_on" in exc.value.message_dict


def test_another_agency_cannot_record_the_grb_registration(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        svc.record_grb(project(personas), actor=personas.other_staff, grb_id="X", registered_on=D(2022, 5, 4))


# --- duplicate check over the last 4 years ------------------------------------------------------------


def test_a_topic_of_2022_06_matching_a_2019_report_is_warned(personas):
    old = report(personas, year=2019)
    t = topic(personas)
    assert [d["report"] for d in t.duplicates] == [old.pk]
    assert t.duplicates[0]["year"] == 2019


def test_a_topic_of_2022_06_matching_only_a_2017_report_gets_no_warning(personas):
    report(personas, year=2017)
    assert topic(personas).duplicates == []


def test_an_unrelated_report_of_2021_is_no_duplicate(personas):
    report(
        personas,
        title="臺中市空氣品質監測改善策略",
        abstract_zh="細懸浮微粒來源解析",
        keywords="空污",
        year=2021,
    )
    assert topic(personas).duplicates == []


# --- what may be filed as research ---------------------------------------------------------------------


def test_an_opinion_poll_cannot_be_filed_as_commissioned_research(personas):
    with pytest.raises(ValidationError) as exc:
        topic(personas, kind=TopicProposal.Kind.OPINION_POLL)
    assert "kind" in exc.value.message_dict
    assert not TopicProposal.objects.exists()


@pytest.mark.parametrize("kind", ["statistical_survey", "software", "training", "land_survey"])
def test_the_other_excluded_kinds_are_refused(personas, kind):
    with pytest.raises(ValidationError) as exc:
        topic(personas, kind=kind)
    assert "kind" in exc.value.message_dict


def test_a_university_topic_names_the_university(personas):
    with pytest.raises(ValidationError) as exc:
        svc.propose_topic(
            actor=personas.citizen,
            proposer_kind="university",
            title="t",
            background="b",
            aims="a",
            kind="research",
        )
    assert "proposer" in exc.value.message_dict


# --- adoption ------------------------------------------------------------------------------------------


def recommendation(personas, *, accepted_on=ACCEPTED, agency=None):
    r = report(personas, year=2022, accepted_on=accepted_on)
    return svc.add_recommendation(
        r,
        actor=personas.officer,
        text="設置青年就業單一窗口",
        kind="immediate",
        agency=agency or personas.staff.agency,
    )


def test_not_adopted_needs_a_reason(personas):
    rec = recommendation(personas)
    with pytest.raises(ValidationError) as exc:
        svc.record_adoption(rec, actor=personas.staff, decision="not_adopted")
    assert "reason" in exc.value.message_dict
    svc.record_adoption(rec, actor=personas.staff, decision="not_adopted", reason="已有類似服務")
    assert not Item.objects.exists()


def test_adopted_needs_an_action_and_a_due_date(personas):
    with pytest.raises(ValidationError) as exc:
        svc.record_adoption(recommendation(personas), actor=personas.staff, decision="partial")
    assert {"action", "due_on"} <= set(exc.value.message_dict)


def test_an_adopted_recommendation_becomes_a_tracked_item_of_the_responsible_agency(personas):
    rec = recommendation(personas)
    adoption = svc.record_adoption(
        rec,
        actor=personas.staff,
        decision="adopted",
        action="113年設置青年就業服務窗口",
        due_on=D(2023, 6, 30),
        decided_on=D(2023, 1, 10),
    )
    item = adoption.tracked_item
    assert item.source == Item.Source.RESEARCH
    assert item.owner == personas.staff.agency and item.deadline == D(2023, 6, 30)
    assert "設置青年就業單一窗口" in item.title


def test_another_agency_cannot_answer_the_recommendation(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        svc.record_adoption(
            recommendation(personas), actor=personas.other_staff, decision="not_adopted", reason="x"
        )


def test_a_recommendation_is_decided_once(personas):
    rec = recommendation(personas)
    svc.record_adoption(rec, actor=personas.staff, decision="not_adopted", reason="無預算")
    with pytest.raises(ValidationError):
        svc.record_adoption(rec, actor=personas.staff, decision="not_adopted", reason="無預算")


def test_the_adoption_rate_is_adopted_and_partial_over_decided(personas):
    decisions = ["adopted", "partial", "not_adopted", "adopted", None]  # one undecided
    for decision in decisions:
        rec = recommendation(personas)
        if decision == "not_adopted":
            svc.record_adoption(rec, actor=personas.staff, decision=decision, reason="經費不足")
        elif decision:
            svc.record_adoption(
                rec, actor=personas.staff, decision=decision, action="辦理", due_on=D(2099, 1, 1)
            )
    figures = sel.yearly_report(2022, D(2023, 1, 1))
    assert (figures["decided"], figures["adopted"], figures["partial"], figures["not_adopted"]) == (
        4,
        2,
        1,
        1,
    )
    assert figures["undecided"] == 1
    assert str(figures["rate"]) == "75.0"  # (2 + 1) / 4, the undecided one not counted


def test_undecided_after_the_follow_up_deadline_is_overdue(personas):
    rec = recommendation(personas, accepted_on=D(2022, 12, 20))
    assert sel.follow_up_due(rec) == D(2023, 3, 20)
    assert not sel.recommendation_overdue(rec, D(2023, 3, 20))
    assert sel.recommendation_overdue(rec, D(2023, 3, 21))
    assert sel.yearly_report(2022, D(2023, 3, 21))["overdue"] == [rec]
    svc.record_adoption(rec, actor=personas.staff, decision="not_adopted", reason="已另案辦理")
    rec.refresh_from_db()
    assert not sel.recommendation_overdue(rec, D(2023, 3, 21))


def test_the_live_source_gives_the_rate_of_the_year_to_date(personas):
    rec = recommendation(personas)
    svc.record_adoption(
        rec,
        actor=personas.staff,
        decision="adopted",
        action="辦理",
        due_on=D(2023, 6, 1),
        decided_on=D(2023, 2, 1),
    )
    other = recommendation(personas)
    svc.record_adoption(
        other, actor=personas.staff, decision="not_adopted", reason="否", decided_on=D(2023, 2, 2)
    )
    assert str(sel.live_adoption_rate(2023, 1)) == "50.00"
    assert sel.live_adoption_rate(2022, 4) is None
    assert Adoption.objects.count() == 2


# --- the library ----------------------------------------------------------------------------------------


def test_a_restricted_report_needs_its_item_and_reason_and_is_not_searched(personas):
    with pytest.raises(ValidationError) as exc:
        report(personas, access="restricted")
    assert {"restriction_item", "restriction_reason"} <= set(exc.value.message_dict)
    report(
        personas,
        title="捷運場站周邊土地開發研究",
        access="restricted",
        restriction_item=7,
        restriction_reason="涉及廠商營業秘密",
    )
    report(personas, title="臺中市公車路網研究", full_text="公車路網與轉乘優惠")
    assert [r.title for r in sel.public_reports("轉乘")] == ["臺中市公車路網研究"]
    assert list(sel.public_reports("土地開發")) == []
