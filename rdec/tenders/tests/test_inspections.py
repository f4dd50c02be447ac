"""Construction quality inspections (工程施工查核): grades by the bands in force on the inspection's
date (across a rule change), findings, photos, improvement reports and their status, consequences
of a 丙等, coverage of the yearly targets, planning suggestions, deficiency statistics and the
金質獎 candidates, reminders, scoping. Expectations are computed by hand in the comments."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from rdec.tenders import deficiency_list, inspection_rules, inspection_selectors, services
from rdec.tenders.models import Deficiency, ImprovementReport, Inspection, Tender
from rdec.tenders.tasks import send_improvement_reminders
from rdec.tenders.tests.factories import inspection, inspection_rule, progress, tender

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


D = datetime.date


# --- grades across a rule change ------------------------------------------------------------------


def test_grades_follow_the_bands_in_force_on_the_inspection_date(personas):
    # seeded version (2022-01-01): 甲 ≥ 80, 乙 ≥ 70; a new version from 2025-07-01: 甲 ≥ 85, 乙 ≥ 75
    inspection_rule(D(2025, 7, 1), grade_a_min=Decimal(85), grade_b_min=Decimal(75))
    t = tender("construction")
    grades = [
        inspection(personas.officer, t, day, score).grade
        for day, score in [
            (D(2025, 6, 30), 82),  # old bands: 82 ≥ 80 → 甲
            (D(2025, 7, 1), 82),  # new bands: 75 ≤ 82 < 85 → 乙
            (D(2025, 6, 30), 72),  # old: 70 ≤ 72 < 80 → 乙
            (D(2025, 7, 1), 72),  # new: 72 < 75 → 丙
            (D(2025, 7, 1), 85),  # new: exactly 85 → 甲
            (D(2025, 6, 30), 69.99),  # old: under 70 → 丙
        ]
    ]
    assert grades == ["A", "B", "B", "C", "A", "C"]


def test_a_new_rule_version_regrades_the_inspections_from_its_date(personas):
    t = tender("construction")
    before = inspection(personas.officer, t, D(2025, 6, 30), 82)
    after = inspection(personas.officer, t, D(2025, 7, 2), 82)
    assert (before.grade, after.grade) == ("A", "A")
    from rdec.tenders.models import InspectionRule

    rule = InspectionRule(
        effective_from=D(2025, 7, 1),
        source="研考會函",
        grade_a_min=Decimal(85),
        grade_b_min=Decimal(75),
    )
    services.save_inspection_rule(rule, actor=personas.officer)
    before.refresh_from_db()
    after.refresh_from_db()
    assert (before.grade, after.grade) == ("A", "B")


def test_grade_b_may_not_start_above_grade_a(personas):
    from rdec.tenders.models import InspectionRule

    rule = InspectionRule(effective_from=D(2026, 1, 1), source="x", grade_a_min=70, grade_b_min=80)
    with pytest.raises(ValidationError):
        services.save_inspection_rule(rule, actor=personas.officer)


def test_only_the_rdec_edits_inspection_rules(personas):
    from rdec.tenders.models import InspectionRule

    with pytest.raises(PermissionDenied):
        services.save_inspection_rule(
            InspectionRule(effective_from=D(2026, 1, 1), source="x"), actor=personas.staff
        )


# --- recording ------------------------------------------------------------------------------------


def test_findings_take_the_lists_points_and_each_party_owes_an_improvement_report(personas):
    t = tender("construction")
    i = services.record_inspection(
        actor=personas.staff,
        tender=t,
        inspected_on=D(2025, 3, 10),
        members="甲\n\n乙",
        score=Decimal(76),
        findings=[
            {"code": "8.01"},
            {"code": "4.02.03", "points": "5"},
            {"code": "5.02.01", "note": "保護層不足"},
        ],
    )
    found = {f.deficiency.code: (f.points, f.party) for f in i.findings.all()}
    # 8.01: list 3 points (contractor); 4.02.03: decided 5 (supervisor); 5.02.01: list 3 (contractor)
    assert found == {
        "8.01": (Decimal(3), "contractor"),
        "4.02.03": (Decimal(5), "supervisor"),
        "5.02.01": (Decimal(3), "contractor"),
    }
    assert i.member_list == ["甲", "乙"]
    # one report per party, due 30 days after 2025-03-10 → 2025-04-09
    assert sorted((r.party, r.due_on) for r in i.improvements.all()) == [
        ("contractor", D(2025, 4, 9)),
        ("supervisor", D(2025, 4, 9)),
    ]


def test_unknown_codes_and_goods_tenders_are_refused(personas):
    goods = tender("construction", type=Tender.Type.GOODS)
    with pytest.raises(ValidationError) as exc:
        services.record_inspection(
            actor=personas.officer, tender=goods, inspected_on=D(2025, 3, 1), members="甲", score=Decimal(80),
            findings=[{"code": "9.99"}],
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"tender", "findings"}


def test_another_agencys_staff_may_not_record_or_see(personas):
    t = tender("construction")
    with pytest.raises(PermissionDenied):
        inspection(personas.other_staff, t, D(2025, 3, 1), 80)
    inspection(personas.officer, t, D(2025, 3, 1), 80)
    assert inspection_selectors.inspections_visible_to(personas.other_staff).count() == 0
    assert inspection_selectors.inspections_visible_to(personas.staff).count() == 1


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def test_photos_must_be_jpeg_or_png_and_at_most_10_mb(personas):
    t = tender("construction")
    with pytest.raises(ValidationError) as exc:
        services.record_inspection(
            actor=personas.officer, tender=t, inspected_on=D(2025, 3, 1), members="甲", score=Decimal(80),
            photos=[SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")],
        )  # fmt: skip
    assert "photos" in exc.value.message_dict
    big = SimpleUploadedFile("big.png", _png())
    big.size = 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError):
        services.record_inspection(
            actor=personas.officer, tender=t, inspected_on=D(2025, 3, 1), members="甲", score=Decimal(80),
            photos=[big],
        )  # fmt: skip
    assert Inspection.objects.count() == 0  # nothing half-recorded
    ok = services.record_inspection(
        actor=personas.officer, tender=t, inspected_on=D(2025, 3, 1), members="甲", score=Decimal(80),
        photos=[SimpleUploadedFile("site.png", _png())],
    )  # fmt: skip
    assert [(p.content_type, p.file.name.endswith(".png")) for p in ok.photos.all()] == [("image/png", True)]


# --- follow-up ------------------------------------------------------------------------------------


def test_follow_up_status_is_pending_then_overdue_then_improved(personas):
    t = tender("construction")
    i = inspection(personas.officer, t, D(2025, 3, 10), 76, codes=["8.01"])  # due 2025-04-09
    report = i.improvements.get()
    assert inspection_selectors.follow_up_status(i, D(2025, 4, 9)) == ImprovementReport.PENDING
    assert inspection_selectors.follow_up_status(i, D(2025, 4, 10)) == ImprovementReport.OVERDUE
    services.submit_improvement(report, actor=personas.staff, submitted_on=D(2025, 4, 12), content="已改善")
    i.refresh_from_db()
    assert inspection_selectors.follow_up_status(i, D(2025, 5, 1)) == ImprovementReport.DONE
    assert report.is_late  # 04-12 after 04-09


def test_consequences_are_recorded_for_grade_c_only(personas):
    t = tender("construction")
    b = inspection(personas.officer, t, D(2025, 3, 10), 75)
    c = inspection(personas.officer, t, D(2025, 3, 11), 60)
    with pytest.raises(ValidationError):
        services.record_consequence(
            b, actor=personas.officer, kind="qc_fee_deduction", decided_on=D(2025, 3, 20)
        )
    services.record_consequence(c, actor=personas.staff, kind="qc_fee_deduction", decided_on=D(2025, 3, 20))
    assert [x.kind for x in c.consequences.all()] == ["qc_fee_deduction"]


def test_improvement_reminders_before_the_deadline_and_once_overdue(personas):
    personas.staff.email = "staff@example.test"
    personas.staff.save()
    t = tender("construction", number="C9", name="北屯路工程")
    inspection(personas.officer, t, D(2025, 3, 10), 76, codes=["8.01"])  # due 2025-04-09
    assert send_improvement_reminders(D(2025, 4, 5)) == 0  # more than 3 days before
    assert send_improvement_reminders(D(2025, 4, 6)) == 1
    assert send_improvement_reminders(D(2025, 4, 7)) == 0  # once
    assert send_improvement_reminders(D(2025, 4, 10)) == 1  # overdue notice
    assert send_improvement_reminders(D(2025, 4, 11)) == 0
    assert [m.to for m in mail.outbox] == [["staff@example.test"], ["staff@example.test"]]
    assert "C9" in mail.outbox[1].subject


# --- coverage -------------------------------------------------------------------------------------


def test_coverage_counts_inspections_against_works_under_execution(personas):
    # 25 works of 建設局 under execution in 2025, plus ones that do not count
    works = [tender("construction", started_on=D(2024, 6, 1)) for _n in range(20)]
    works += [tender("environment", started_on=D(2025, 2, 1)) for _n in range(5)]
    tender("construction", type=Tender.Type.GOODS, started_on=D(2025, 1, 1))  # not works
    tender("construction", started_on=D(2026, 1, 5))  # starts next year
    tender(
        "construction",
        status=Tender.Status.CLOSED,
        started_on=D(2023, 1, 1),
        actual_completion_on=D(2024, 12, 1),
    )
    tender("construction", status=Tender.Status.PLANNING)  # not under execution
    for day in (D(2025, 3, 1), D(2025, 5, 1)):
        inspection(personas.officer, works[0], day, 80)
    inspection(personas.officer, works[21], D(2025, 8, 1), 80)
    inspection(personas.officer, works[1], D(2024, 12, 1), 80)  # last year
    city = inspection_selectors.coverage(personas.officer, 2025, today=D(2025, 7, 2))
    # 3 inspections ÷ 25 works = 12.00 %; share target ceil(25 × 10 %) = 3 → met; 200 → not met
    assert (city.works, city.inspections, city.works_inspected) == (25, 3, 2)
    assert city.ratio_pct == Decimal("12.00")
    assert (city.ratio_target, city.ratio_met, city.count_met, city.remaining) == (3, True, False, 197)
    # even pace to 2 July (183rd of 365 days): int(200 × 183 / 365) = 100
    assert city.expected_by_today == 100
    own = inspection_selectors.coverage(personas.staff, 2025, today=D(2025, 7, 2))
    # 建設局: 20 works, 2 inspections = 10.00 %; ceil(20 × 10 %) = 2 → met
    assert (own.works, own.inspections, own.ratio_pct, own.ratio_met) == (20, 2, Decimal("10.00"), True)


def test_the_years_targets_come_from_the_version_in_force_at_the_years_end(personas):
    inspection_rule(D(2025, 10, 1), coverage_pct=Decimal(15), yearly_target=250)
    c24 = inspection_selectors.coverage(personas.officer, 2024, today=D(2025, 1, 1))
    c25 = inspection_selectors.coverage(personas.officer, 2025, today=D(2025, 1, 1))
    assert (c24.rule.coverage_pct, c24.count_target) == (Decimal(10), 200)
    assert (c25.rule.coverage_pct, c25.count_target) == (Decimal(15), 250)


def test_the_ratio_target_rounds_up():
    rule = inspection_rules.DEFAULT_RULE
    c = inspection_rules.Coverage(
        2025, rule, works=181, inspections=18, works_inspected=10, today=D(2025, 1, 1)
    )
    # 181 × 10 % = 18.1 → 19 inspections needed; 18 ÷ 181 = 9.94 %
    assert (c.ratio_target, c.ratio_met, c.ratio_pct) == (19, False, Decimal("9.94"))


# --- planning -------------------------------------------------------------------------------------


def test_planning_ranks_works_with_reasons(personas):
    today = D(2025, 9, 30)
    w1 = tender("construction", number="W1", amount=300_000_000, started_on=D(2025, 1, 1))
    progress(w1, "2025-08", 60, 45)  # lag 15 ≥ 10
    w2 = tender("construction", number="W2", amount=10_000_000, started_on=D(2024, 1, 1))
    w3 = tender("construction", number="W3", amount=60_000_000, started_on=D(2024, 1, 1))
    tender("construction", number="W4", amount=10_000_000, started_on=D(2024, 1, 1))
    tender("construction", number="G1", type=Tender.Type.GOODS, started_on=D(2024, 1, 1))
    tender("construction", number="X1", status=Tender.Status.CLOSED, started_on=D(2024, 1, 1))
    # W2: 丙 (65) on 2025-06-22 (100 days before), 8.01 = 3 points, report due 07-22 not submitted
    inspection(personas.officer, w2, D(2025, 6, 22), 65, codes=["8.01"])
    # W3: 甲 (90) on 2025-08-31, 30 days before, nothing found
    inspection(personas.officer, w3, D(2025, 8, 31), 90)
    ranked = inspection_selectors.planning(personas.officer, today)
    # W1: large 3 + lagging 3 + never 2 = 8; W2: 丙 3 + overdue 2 + past points 1 = 6;
    # W4: never 2; W3: large 3 − recent 4 = −1
    assert [(c.tender.number, c.points) for c in ranked] == [("W1", 8), ("W2", 6), ("W4", 2), ("W3", -1)]
    assert len(ranked[0].reasons) == 3 and "15.00" in ranked[0].reasons[1]
    assert [c.tender.number for c in inspection_selectors.planning(personas.other_staff, today)] == []


# --- statistics -----------------------------------------------------------------------------------


@pytest.fixture
def stats_data(personas):
    t1 = tender("construction", number="T1", contractor="甲營造")
    t2 = tender("construction", number="T2", contractor="乙營造")
    t3 = tender("environment", number="T3", contractor="甲營造")
    officer = personas.officer
    i1 = inspection(officer, t1, D(2025, 2, 10), 85, codes=["8.01", "4.02.03"], work_type="road")
    inspection(officer, t2, D(2025, 5, 5), 65, codes=["8.01", "5.02.01"], work_type="building")
    inspection(officer, t3, D(2025, 6, 1), 90, codes=["8.01"], work_type="road")
    inspection(officer, t1, D(2024, 11, 1), 75, codes=["4.02.03"], work_type="road")
    i1.improvements.update(submitted_on=D(2025, 3, 1), content="已改善")
    return personas


def test_statistics_rank_codes_overall_and_by_agency_contractor_and_work_type(stats_data):
    s = inspection_selectors.statistics(stats_data.officer, 2025, today=D(2025, 12, 1))
    # 2025: 8.01 three times (3 + 3 + 3 = 9 points); 4.02.03 and 5.02.01 once each (ties by code)
    assert [(c.code, c.count, c.points) for c in s.top_codes] == [
        ("8.01", 3, Decimal(9)),
        ("4.02.03", 1, Decimal(2)),
        ("5.02.01", 1, Decimal(3)),
    ]
    assert (s.inspections, s.findings, s.grades) == (3, 5, {"A": 2, "B": 0, "C": 1})
    assert [(g.label, g.inspections, g.findings, g.top[0].code) for g in s.by_agency] == [
        ("建設局", 2, 4, "8.01"),
        ("環保局", 1, 1, "8.01"),
    ]
    assert [(g.label, g.findings) for g in s.by_contractor] == [("甲營造", 3), ("乙營造", 2)]
    road, building = str(Inspection.WorkType.ROAD.label), str(Inspection.WorkType.BUILDING.label)
    assert [(g.label, g.findings) for g in s.by_work_type] == [(road, 3), (building, 2)]


def test_statistics_trend_over_quarters_and_award_candidates(stats_data):
    s = inspection_selectors.statistics(stats_data.officer, 2025, today=D(2025, 12, 1))
    rows = {q.quarter: (q.inspections, q.average, q.grades["C"], q.findings) for q in s.quarters}
    assert rows["2024Q4"] == (1, Decimal("75.00"), 0, 1)
    assert rows["2025Q1"] == (1, Decimal("85.00"), 0, 2)
    assert rows["2025Q2"] == (2, Decimal("77.50"), 1, 3)  # (65 + 90) ÷ 2
    assert rows["2025Q3"] == (0, None, 0, 0)
    # T1: 甲 85 ≥ 85, improved → candidate; T3: 甲 90 but its report (due 07-01) is overdue; T2: 丙
    assert [c.tender.number for c in s.award_candidates] == ["T1"]


def test_agency_staff_see_their_own_statistics(stats_data):
    s = inspection_selectors.statistics(stats_data.other_staff, 2025, today=D(2025, 12, 1))
    assert (s.inspections, [g.label for g in s.by_agency]) == (1, ["環保局"])


# --- the deficiency list --------------------------------------------------------------------------


def test_the_bundled_list_is_loaded_with_its_sources():
    assert Deficiency.objects.filter(code="4.02.03", party="supervisor").exists()
    assert all(d.source for d in Deficiency.objects.all())


def test_a_bad_file_is_refused_by_row_and_column_and_nothing_changes(personas):
    data = "code,description,points,category,party,source\n9.01,新項目,2,other,contractor,x\n,缺代碼,x,bad,who,\n"
    with pytest.raises(deficiency_list.LoadFailed) as exc:
        services.load_deficiencies(data.encode(), actor=personas.officer, filename="list.csv")
    # row 2 (the second data row): code, points, category and party are wrong; row 1 is fine
    assert len(exc.value.errors) == 4
    assert [c for c in ("code", "points", "category", "party") if any(c in e for e in exc.value.errors)] == [
        "code", "points", "category", "party"
    ]  # fmt: skip
    assert all("2" in e for e in exc.value.errors)
    assert not Deficiency.objects.filter(code="9.01").exists()


def test_the_command_loads_a_list_and_retires_missing_codes(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("code,description,points,category,party,source\n9.01,新項目,2,other,contractor,測試\n")
    call_command("load_deficiencies", str(path), stdout=io.StringIO())
    assert list(Deficiency.objects.filter(is_active=True).values_list("code", flat=True)) == ["9.01"]
    call_command("load_deficiencies", stdout=io.StringIO())  # the bundled list again
    assert Deficiency.objects.filter(is_active=True).count() == len(
        deficiency_list.parse(deficiency_list.BUNDLED.read_bytes(), "x.json")
    )


# --- money per point ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "per_point"),
    [(250_000_000, 8000), (200_000_000, 8000), (60_000_000, 4000), (50_000_000, 4000), (10_000_000, 2000),
     (9_999_999, 1000), (None, 1000)],
)  # fmt: skip
def test_the_money_per_point_follows_the_contract_size(amount, per_point):
    assert inspection_rules.point_value(inspection_rules.DEFAULT_RULE, amount) == Decimal(per_point)


def test_deductions_stop_at_the_cap_of_the_contract(personas):
    # contract NT$1,000,000: 1,000 per point, cap 20 % = 200,000
    t = tender("construction", amount=1_000_000)
    first = inspection(personas.officer, t, D(2025, 3, 1), 60, codes=["8.01"])  # 3 points → 3,000
    Deficiency.objects.filter(code="8.02").update(points=Decimal(99))
    second = inspection(personas.officer, t, D(2025, 4, 1), 60, codes=["8.02", "8.01"])  # 102 → 102,000
    third = inspection(personas.officer, t, D(2025, 5, 1), 60, codes=["8.02"])  # 99 → 99,000 > 95,000 left
    fourth = inspection(personas.officer, t, D(2025, 6, 1), 60, codes=["8.01"])  # nothing left
    assert inspection_selectors.deductions(t) == {
        first.pk: Decimal(3000),
        second.pk: Decimal(102000),
        third.pk: Decimal(95000),
        fourth.pk: Decimal(0),
    }
