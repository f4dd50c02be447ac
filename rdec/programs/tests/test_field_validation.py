"""場域驗證: the research's §2.1 hidden tests (a proposal to a closed call, the inclusive validation
end and the overdue report, KPI counting of submitted proposals, the landing rate), the rest of the
life of a proposal (match, validation, result, follow-on) and who may do what."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from rdec.core.models import AuditEntry
from rdec.programs import periods, selectors_fields, services, services_fields
from rdec.programs.models import Proposal, Result, Validation
from rdec.programs.tests.factories import CLOSES, TAX_IDS, make_call
from rdec.programs.tests.field_factories import draft, field, field_call, need, propose, validating
from rdec.strategy import live

pytestmark = pytest.mark.django_db

D = datetime.date


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {name: [e.code for e in errors] for name, errors in exc.error_dict.items()}


@pytest.fixture
def call(personas):
    return field_call(personas.officer)


@pytest.fixture
def site(personas):
    return field(personas.staff, personas.staff.agency)


# --- the inclusive end and the overdue report (pure date arithmetic) --------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2022, 8, 1), 5, D(2022, 12, 31)),  # the research's case
        (D(2022, 8, 15), 5, D(2023, 1, 14)),
        (D(2022, 9, 30), 5, D(2023, 2, 28)),  # no 30 February: the month's last day
        (D(2023, 9, 29), 5, D(2024, 2, 28)),  # 2024-02-29 exists: the day before it
        (D(2023, 9, 30), 5, D(2024, 2, 29)),
        (D(2022, 8, 31), 5, D(2023, 1, 30)),
        (D(2022, 1, 1), 12, D(2022, 12, 31)),
        (D(2022, 12, 1), 1, D(2022, 12, 31)),
    ],
)
def test_inclusive_end(start, months, end):
    assert periods.inclusive_end(start, months) == end


@pytest.mark.django_db(transaction=False)
@given(start=st.dates(min_value=D(1950, 1, 1), max_value=D(2200, 1, 1)), months=st.integers(1, 36))
def test_the_end_is_before_the_same_day_months_later_and_the_next_period_starts_the_day_after(start, months):
    end = periods.inclusive_end(start, months)
    year, month = periods.add_months(start, months)
    # the end falls in the month before the month `months` later, or in that month before its day
    assert start <= end
    assert (end.year, end.month) in {(year, month), periods.add_months(D(year, month, 1), -1)}
    # a period starting on the 1st ends on a month's last day
    if start.day == 1:
        assert (end + datetime.timedelta(days=1)).day == 1
    # cutting a period in two at any month boundary gives the same end
    if start.day == 1 and months > 1:
        middle = periods.inclusive_end(start, 1) + datetime.timedelta(days=1)
        assert periods.inclusive_end(middle, months - 1) == end
    # the report is overdue from the day after
    assert periods.overdue_from(end) == end + datetime.timedelta(days=1)


def test_a_validation_starting_on_1_august_ends_on_31_december_and_its_report_is_overdue_on_1_january(
    personas, call, site
):
    proposal = propose(call, personas.citizen, "FV-001")
    validation = validating(personas.officer, proposal, site, starts_on=D(2022, 8, 1))
    assert (validation.starts_on, validation.ends_on, validation.report_due_on) == (
        D(2022, 8, 1),
        D(2022, 12, 31),
        D(2022, 12, 31),
    )
    assert not validation.report_overdue_on(D(2022, 12, 31))
    assert validation.report_overdue_on(D(2023, 1, 1))
    assert list(selectors_fields.reports_overdue(D(2022, 12, 31))) == []
    assert list(selectors_fields.reports_overdue(D(2023, 1, 1))) == [validation]
    services_fields.receive_report(validation, actor=personas.staff, received_on=D(2023, 1, 3))
    assert not validation.report_overdue_on(D(2023, 1, 4))
    assert list(selectors_fields.reports_overdue(D(2023, 1, 4))) == []


# --- proposals --------------------------------------------------------------------------------------


def test_a_proposal_on_a_need_whose_call_closed_yesterday_is_rejected(personas, call):
    posted = need(personas.staff, personas.staff.agency)
    proposal = draft(call, personas.citizen, need=posted)
    late = CLOSES + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services_fields.submit_proposal(
            proposal,
            actor=personas.citizen,
            reference="FV-9",
            organisation="某公司",
            tax_id=TAX_IDS[0],
            now=late,
        )
    assert codes(exc.value) == {"call": ["closed"]}
    proposal.refresh_from_db()
    assert proposal.is_draft
    with pytest.raises(ValidationError) as exc:
        draft(call, personas.citizen, need=posted, at=late)
    assert codes(exc.value) == {"call": ["closed"]}


def test_a_proposal_answers_a_need_or_one_of_the_call_s_themes(personas, call):
    with pytest.raises(ValidationError) as exc:
        draft(call, personas.citizen, theme="")
    assert codes(exc.value) == {"need": ["required"]}
    with pytest.raises(ValidationError) as exc:
        draft(call, personas.citizen, theme="太空旅遊")
    assert codes(exc.value) == {"theme": ["invalid_choice"]}
    assert draft(call, personas.citizen, theme="智慧環境").theme == "智慧環境"


def test_a_proposal_needs_its_parts_and_a_field_validation_call(personas, call):
    with pytest.raises(ValidationError) as exc:
        services_fields.save_proposal(
            call,
            actor=personas.citizen,
            title="",
            solution=" ",
            technology="",
            kpis=[],
            budget="-1",
            funding="loan",
            privacy_security_plan="",
            theme="智慧交通",
            now=CLOSES,
        )
    assert set(codes(exc.value)) == {
        "title",
        "solution",
        "technology",
        "kpis",
        "budget",
        "funding",
        "privacy_security_plan",
    }
    other = make_call(personas.officer, slug="innovation-2022")
    with pytest.raises(ValidationError) as exc:
        draft(other, personas.citizen, theme="智慧交通")
    assert codes(exc.value)["call"] == ["programme"]


def test_submitting_a_proposal_makes_the_engine_s_submission(personas, call):
    proposal = propose(call, personas.citizen, "FV-001")
    submission = proposal.submission
    assert (submission.reference, submission.organisation, submission.tax_id, submission.title) == (
        "FV-001",
        "臺中智慧科技股份有限公司",
        TAX_IDS[0],
        proposal.title,
    )
    assert AuditEntry.objects.filter(verb="programs.proposal_submitted").count() == 1
    with pytest.raises(ValidationError) as exc:
        services_fields.submit_proposal(
            proposal, actor=personas.citizen, reference="FV-002", organisation="x", tax_id=TAX_IDS[0]
        )
    assert codes(exc.value) == {"proposal": ["submitted"]}


def test_a_bad_tax_id_keeps_the_draft(personas, call):
    proposal = draft(call, personas.citizen, theme="智慧交通")
    with pytest.raises(ValidationError) as exc:
        services_fields.submit_proposal(
            proposal,
            actor=personas.citizen,
            reference="FV-1",
            organisation="",
            tax_id="12345678",
            now=call.opens,
        )
    assert codes(exc.value) == {"organisation": ["required"], "tax_id": ["checksum"]}
    assert Proposal.objects.get().is_draft


def test_only_the_author_submits_a_draft(personas, call):
    proposal = draft(call, personas.citizen, theme="智慧交通")
    with pytest.raises(PermissionDenied):
        services_fields.submit_proposal(
            proposal, actor=personas.staff, reference="FV-1", organisation="x", tax_id=TAX_IDS[0]
        )


# --- KPI 1-4-4: proposals submitted this year, the landing rate -------------------------------------


def test_only_submitted_proposals_count_2_submitted_and_1_draft_make_2(personas, call):
    propose(call, personas.citizen, "FV-001")
    propose(call, personas.agri_staff, "FV-002", tax_id=TAX_IDS[1])
    draft(call, personas.other_staff, theme="智慧生活")
    assert Proposal.objects.count() == 3
    assert selectors_fields.proposals_submitted_in_year(2022) == 2  # the target of 3 is not met
    assert selectors_fields.proposals_submitted_in_year(2021) == 0
    assert selectors_fields.proposals_submitted_in_year(2023) == 0
    assert live.live_value("programs.field_proposals_submitted", 2022, 1) == Decimal("0.00")
    assert live.live_value("programs.field_proposals_submitted", 2022, 2) == Decimal("2.00")
    assert live.live_value("programs.field_proposals_submitted", 2022, 4) == Decimal("2.00")


def test_the_year_is_the_city_s_calendar_year(personas):
    """A proposal submitted at 00:30 on 1 January in Taipei is one of the new year (16:30 UTC the day
    before)."""
    import zoneinfo

    tz = zoneinfo.ZoneInfo("Asia/Taipei")
    call = field_call(
        personas.officer,
        opens=datetime.datetime(2022, 12, 1, tzinfo=tz),
        closes=datetime.datetime(2023, 1, 31, tzinfo=tz),
    )
    propose(call, personas.citizen, "FV-NY", at=datetime.datetime(2023, 1, 1, 0, 30, tzinfo=tz))
    propose(call, personas.citizen, "FV-NYE", at=datetime.datetime(2022, 12, 31, 23, 30, tzinfo=tz))
    assert selectors_fields.proposals_submitted_in_year(2023) == 1
    assert selectors_fields.proposals_submitted_in_year(2022) == 1


def _closed(personas, call, site, reference, tax_id, recommendation, *, closed_on=None):
    closed_on = closed_on or D(2023, 1, 10)
    proposal = propose(call, personas.citizen, reference, tax_id=tax_id)
    validation = validating(personas.officer, proposal, site)
    services_fields.receive_report(validation, actor=personas.staff, received_on=D(2022, 12, 30))
    if recommendation == "withdrawn":
        return services_fields.withdraw_validation(
            validation, actor=personas.officer, reason="廠商撤案", on=closed_on
        )
    services_fields.record_result(
        validation,
        actor=personas.officer,
        recommendation=recommendation,
        reasons="成效評估",
        decided_on=closed_on,
    )
    return validation


def test_the_landing_rate_is_closed_as_scale_or_procure_over_all_closed(personas, call, site):
    assert selectors_fields.landing_rate(D(2023, 1, 1), D(2023, 12, 31)) is None
    _closed(personas, call, site, "FV-1", TAX_IDS[0], "scale")
    _closed(personas, call, site, "FV-2", TAX_IDS[1], "procure")
    _closed(personas, call, site, "FV-3", TAX_IDS[2], "stop")
    _closed(personas, call, site, "FV-4", TAX_IDS[3], "withdrawn")
    running = validating(personas.officer, propose(call, personas.citizen, "FV-5", tax_id=TAX_IDS[4]), site)
    assert running.status == Validation.Status.RUNNING  # not closed: not counted
    assert selectors_fields.landing_rate(D(2023, 1, 1), D(2023, 12, 31)) == Decimal("50.00")
    assert selectors_fields.landing_rate(D(2022, 1, 1), D(2022, 12, 31)) is None
    assert live.live_value("programs.field_landing_rate", 2023, 1) == Decimal("50.00")
    assert live.live_value("programs.field_landing_rate", 2022, 4) is None


def test_one_landed_of_three_closed_is_a_third(personas, call, site):
    _closed(personas, call, site, "FV-1", TAX_IDS[0], "procure")
    _closed(personas, call, site, "FV-2", TAX_IDS[1], "stop")
    _closed(personas, call, site, "FV-3", TAX_IDS[2], "stop")
    assert selectors_fields.landing_rate(D(2023, 1, 1), D(2023, 12, 31)) == Decimal("33.33")


# --- matches, validations, results, follow-ons ------------------------------------------------------


def test_only_a_selected_proposal_is_matched(personas, call, site):
    proposal = propose(call, personas.citizen, "FV-1")
    with pytest.raises(ValidationError) as exc:
        services_fields.match_proposal(proposal, site, actor=personas.officer, agreed_on=D(2022, 7, 1))
    assert codes(exc.value) == {"proposal": ["not_selected"]}
    services.decide_submission(proposal.submission, actor=personas.officer, selected=True)
    proposal.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services_fields.match_proposal(proposal, site, actor=personas.staff, agreed_on=D(2022, 7, 1))
    match = services_fields.match_proposal(proposal, site, actor=personas.officer, agreed_on=D(2022, 7, 1))
    assert match.field == site


def test_a_match_lands_in_the_mou_register_as_a_draft_of_the_field_s_agency(personas, call, site):
    from rdec.transparency import selectors_registers
    from rdec.transparency.models import Mou

    proposal = propose(call, personas.citizen, "FV-1")
    services.decide_submission(proposal.submission, actor=personas.officer, selected=True)
    proposal.refresh_from_db()
    match = services_fields.match_proposal(proposal, site, actor=personas.officer, agreed_on=D(2022, 7, 1))
    mou = match.mou
    assert mou is not None and mou.status == Mou.Status.DRAFT
    assert mou.lead_agency == site.agency
    assert [(p.name, p.kind) for p in mou.parties.all()] == [(proposal.submission.organisation, "company")]
    assert site.name in mou.title and proposal.submission.title in mou.title
    assert mou.source == f"場域驗證 {call.slug} FV-1"
    assert [
        services_fields.party_kind(n)
        for n in ("國立中興大學智慧農業團隊", "臺灣智慧城市協會", "大成科技股份有限公司")
    ] == [
        "university",
        "ngo",
        "company",
    ]
    # a draft: the field's agency sees it in its register, the public does not until it is signed and published
    assert mou in selectors_registers.mous_visible_to(personas.staff)
    assert mou not in selectors_registers.public_mous()
    assert (
        AuditEntry.objects.filter(verb="programs.matched", target_id=str(match.pk)).get().changes["mou"]
        == mou.pk
    )


def test_a_validation_stays_within_the_field_s_period_and_needs_the_agreement(personas, call, site):
    proposal = propose(call, personas.citizen, "FV-1")
    services.decide_submission(proposal.submission, actor=personas.officer, selected=True)
    proposal.refresh_from_db()
    match = services_fields.match_proposal(proposal, site, actor=personas.officer)
    with pytest.raises(ValidationError) as exc:
        services_fields.start_validation(match, actor=personas.officer, starts_on=D(2023, 3, 1))
    assert codes(exc.value) == {"match": ["no_agreement"], "starts_on": ["field_unavailable"]}


def test_milestones_measurements_incidents_by_the_field_s_agency(personas, call, site):
    validation = validating(personas.officer, propose(call, personas.citizen, "FV-1"), site)
    services_fields.add_milestone(validation, actor=personas.staff, title="設備安裝", due_on=D(2022, 8, 31))
    services_fields.record_measurement(
        validation,
        actor=personas.staff,
        kpi="車流辨識準確率",
        value="96.5",
        unit="%",
        measured_on=D(2022, 10, 1),
    )
    services_fields.record_incident(
        validation,
        actor=personas.officer,
        occurred_on=D(2022, 9, 2),
        description="颱風斷電兩日",
        severity="major",
    )
    with pytest.raises(PermissionDenied):
        services_fields.add_milestone(validation, actor=personas.other_staff, title="x", due_on=D(2022, 9, 1))
    assert [m.value for m in validation.measurements.all()] == [Decimal("96.50")]
    assert validation.incidents.get().severity == "major"


def test_a_result_needs_the_report_and_its_reasons_and_closes_the_validation(personas, call, site):
    validation = validating(personas.officer, propose(call, personas.citizen, "FV-1"), site)
    with pytest.raises(ValidationError) as exc:
        services_fields.record_result(validation, actor=personas.officer, recommendation="grow", reasons=" ")
    assert codes(exc.value) == {
        "recommendation": ["invalid_choice"],
        "reasons": ["required"],
        "validation": ["no_report"],
    }
    services_fields.receive_report(validation, actor=personas.officer, received_on=D(2022, 12, 20))
    result = services_fields.record_result(
        validation,
        actor=personas.officer,
        recommendation="procure",
        reasons="準確率達標",
        decided_on=D(2023, 1, 5),
    )
    validation.refresh_from_db()
    assert (validation.status, validation.closed_on) == (Validation.Status.CLOSED, D(2023, 1, 5))
    assert list(selectors_fields.results_public()) == [result]
    with pytest.raises(ValidationError) as exc:
        services_fields.record_measurement(
            validation, actor=personas.officer, kpi="x", value=1, measured_on=D(2023, 1, 6)
        )
    assert codes(exc.value) == {"validation": ["closed"]}


def test_a_follow_on_is_a_tender_or_a_commercial_deployment(personas, call, site):
    from rdec.tenders.models import Tender

    validation = _closed(personas, call, site, "FV-1", TAX_IDS[0], "procure")
    result = validation.result
    with pytest.raises(ValidationError) as exc:
        services_fields.record_follow_on(result, actor=personas.officer, kind="tender")
    assert codes(exc.value) == {"tender": ["required"]}
    with pytest.raises(ValidationError) as exc:
        services_fields.record_follow_on(result, actor=personas.officer, kind="commercial", description=" ")
    assert codes(exc.value) == {"description": ["required"]}
    tender = Tender.objects.create(
        number="1110801-A",
        name="路口車流偵測服務採購",
        agency=personas.staff.agency,
        type=Tender.Type.SERVICES,
    )
    follow_on = services_fields.record_follow_on(result, actor=personas.officer, kind="tender", tender=tender)
    assert follow_on.tender == tender
    stopped = _closed(personas, call, site, "FV-2", TAX_IDS[1], "stop").result
    with pytest.raises(ValidationError) as exc:
        services_fields.record_follow_on(
            stopped, actor=personas.officer, kind="commercial", description="自行營運"
        )
    assert codes(exc.value) == {"result": ["stopped"]}
    assert Result.objects.count() == 2


# --- needs and fields --------------------------------------------------------------------------------


def test_an_agency_posts_needs_and_fields_for_its_own_agency_only(personas):
    own = personas.staff.agency
    posted = need(personas.staff, own)
    site = field(personas.staff, own, need=posted, published=False)
    assert (site.agency, site.need, site.published) == (own, posted, False)
    assert list(selectors_fields.fields_public()) == []
    services_fields.publish_field(site, actor=personas.staff)
    assert list(selectors_fields.fields_public()) == [site]
    with pytest.raises(PermissionDenied):
        field(personas.staff, personas.other_staff.agency)
    with pytest.raises(PermissionDenied):
        need(personas.citizen, own)
    with pytest.raises(PermissionDenied):
        services_fields.publish_field(site, actor=personas.other_staff)
    assert (
        field(personas.officer, personas.other_staff.agency, name="豐原站前廣場").agency
        == personas.other_staff.agency
    )
    assert {e.verb for e in AuditEntry.objects.filter(verb__startswith="programs.")} >= {
        "programs.need_posted",
        "programs.field_posted",
        "programs.field_published",
    }


def test_a_field_needs_a_point_an_address_and_a_period(personas):
    with pytest.raises(ValidationError) as exc:
        field(
            personas.staff,
            personas.staff.agency,
            name=" ",
            latitude="91",
            longitude="east",
            address="",
            available_from=D(2022, 7, 1),
            available_until=D(2022, 6, 30),
        )
    assert codes(exc.value) == {
        "name": ["required"],
        "address": ["required"],
        "latitude": ["invalid"],
        "longitude": ["invalid"],
        "available_until": ["before_from"],
    }
    other_need = need(personas.other_staff, personas.other_staff.agency)
    with pytest.raises(ValidationError) as exc:
        field(personas.staff, personas.staff.agency, need=other_need)
    assert codes(exc.value) == {"need": ["other_agency"]}
