"""Services: who may create tenders and enter progress, validation in zh-Hant, the late flag by the
due day of the rule version in force, and the audit trail."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from rdec.core.models import AuditEntry
from rdec.tenders import services
from rdec.tenders.models import RuleVersion, Tender
from rdec.tenders.tests.factories import agency, rule, tender

pytestmark = pytest.mark.django_db
TAIPEI = ZoneInfo("Asia/Taipei")


def at(y, m, d, hour=9):
    return datetime.datetime(y, m, d, hour, tzinfo=TAIPEI)


def test_the_default_rule_version_is_seeded_with_its_sources():
    version = RuleVersion.objects.get(effective_from=datetime.date(2022, 1, 1))
    assert (version.serious_large_works_pct, version.serious_other_pct, version.serious_other_min_days) == (
        D(10),
        D(20),
        10,
    )
    assert (version.performance_threshold_pct, version.entry_due_day) == (D(90), 10)
    assert "政府採購法施行細則第111條" in version.source
    assert "督導列管標案執行進度" in version.source


def test_agency_staff_create_tenders_of_their_own_agency(personas):
    t = services.create_tender(
        actor=personas.staff,
        number="114-A01",
        name="北屯區道路改善工程",
        agency=agency("construction"),
        type="works",
    )
    assert t.agency.code == "construction"
    assert AuditEntry.objects.filter(target_type="tenders.tender", target_id=str(t.pk)).exists()


def test_agency_staff_cannot_create_another_agencys_tender(personas):
    with pytest.raises(PermissionDenied):
        services.create_tender(
            actor=personas.staff, number="114-A02", name="x", agency=agency("environment"), type="works"
        )


def test_a_duplicate_tender_number_is_a_field_error(personas):
    tender(number="114-A03")
    with pytest.raises(ValidationError) as exc:
        services.create_tender(
            actor=personas.officer, number="114-A03", name="x", agency=agency("construction"), type="works"
        )
    assert "number" in exc.value.message_dict


def test_rdec_enters_progress_for_any_agency(personas):
    t = tender("environment")
    p = services.record_progress(
        t, actor=personas.officer, month=datetime.date(2025, 3, 1), planned_pct=D(40), actual_pct=D(40),
        now=at(2025, 4, 8),
    )  # fmt: skip
    assert (p.planned_pct, p.actual_pct, p.is_late) == (D(40), D(40), False)


def test_other_agencies_cannot_enter_progress(personas):
    with pytest.raises(PermissionDenied):
        services.record_progress(
            tender("environment"), actor=personas.staff, month=datetime.date(2025, 3, 1),
            planned_pct=D(40), actual_pct=D(40), now=at(2025, 4, 8),
        )  # fmt: skip


def test_citizens_cannot_enter_progress(personas):
    with pytest.raises(PermissionDenied):
        services.record_progress(
            tender(), actor=personas.citizen, month=datetime.date(2025, 3, 1),
            planned_pct=D(40), actual_pct=D(40), now=at(2025, 4, 8),
        )  # fmt: skip


def test_entry_after_the_10th_of_the_next_month_is_late(personas):
    t = tender()
    on_time = services.record_progress(
        t, actor=personas.staff, month=datetime.date(2025, 3, 1), planned_pct=D(40), actual_pct=D(40),
        now=at(2025, 4, 10, 23),
    )  # fmt: skip
    late = services.record_progress(
        t, actor=personas.staff, month=datetime.date(2025, 4, 1), planned_pct=D(50), actual_pct=D(50),
        now=at(2025, 5, 11, 0),
    )  # fmt: skip
    assert (on_time.is_late, late.is_late) == (False, True)


def test_the_due_day_follows_the_rule_version_of_the_month(personas):
    rule(datetime.date(2025, 7, 1), entry_due_day=5)
    t = tender()
    june = services.record_progress(  # June: old rule, due 7/10
        t, actor=personas.staff, month=datetime.date(2025, 6, 1), planned_pct=D(10), actual_pct=D(10),
        now=at(2025, 7, 9),
    )  # fmt: skip
    july = services.record_progress(  # July: new rule, due 8/5
        t, actor=personas.staff, month=datetime.date(2025, 7, 1), planned_pct=D(20), actual_pct=D(20),
        now=at(2025, 8, 7),
    )  # fmt: skip
    assert (june.is_late, july.is_late) == (False, True)


def test_a_delay_needs_its_reason(personas):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.record_progress(
            tender(), actor=personas.staff, month=datetime.date(2025, 3, 1), planned_pct=D(40),
            actual_pct=D(30), now=at(2025, 4, 8),
        )  # fmt: skip
    assert exc.value.message_dict["reason"] == [
        "The actual progress is below the plan: give the reason for the delay."
    ]


def test_percentages_must_be_between_0_and_100(personas):
    with pytest.raises(ValidationError) as exc:
        services.record_progress(
            tender(), actor=personas.staff, month=datetime.date(2025, 3, 1), planned_pct=D(101),
            actual_pct=D(-1), now=at(2025, 4, 8),
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"planned_pct", "actual_pct"}


def test_a_month_not_begun_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        services.record_progress(
            tender(), actor=personas.staff, month=datetime.date(2025, 5, 1), planned_pct=D(1),
            actual_pct=D(1), now=at(2025, 4, 8),
        )  # fmt: skip
    assert "month" in exc.value.message_dict


def test_a_second_entry_of_the_month_corrects_the_first(personas):
    t = tender()
    for actual in (D(30), D(35)):
        services.record_progress(
            t, actor=personas.staff, month=datetime.date(2025, 3, 1), planned_pct=D(35), actual_pct=actual,
            reason="雨天", now=at(2025, 4, 8),
        )  # fmt: skip
    assert list(t.progress.values_list("actual_pct", flat=True)) == [D(35)]


def test_only_rdec_edits_rule_versions(personas):
    version = RuleVersion(effective_from=datetime.date(2026, 1, 1), source="府函")
    with pytest.raises(PermissionDenied):
        services.save_rule_version(version, actor=personas.staff)
    services.save_rule_version(version, actor=personas.officer)
    assert RuleVersion.objects.filter(effective_from=datetime.date(2026, 1, 1)).exists()


def test_a_rule_version_needs_its_source(personas):
    with pytest.raises(ValidationError):
        services.save_rule_version(
            RuleVersion(effective_from=datetime.date(2026, 1, 1)), actor=personas.officer
        )


def test_change_orders_and_extensions_are_kept_on_the_tender(personas):
    t = tender(planned_completion_on=datetime.date(2026, 6, 30))
    services.add_change_order(
        t, actor=personas.staff, approved_on=datetime.date(2025, 5, 1), description="第1次變更設計",
        amount_change=D(1_200_000),
    )  # fmt: skip
    services.add_extension(
        t, actor=personas.staff, approved_on=datetime.date(2025, 5, 2), days=30, reason="雨天"
    )
    assert (t.change_orders.count(), t.extensions.get().days) == (1, 30)


def test_update_tender_changes_status(personas):
    t = tender()
    services.update_tender(t, actor=personas.staff, status=Tender.Status.SUSPENDED)
    t.refresh_from_db()
    assert t.status == "suspended"


def _lagging_march():
    from rdec.tenders.tests.factories import progress

    c1 = tender("construction", number="C1", name="大里區道路工程", type="works", amount=300_000_000)
    progress(c1, "2025-03", 60, 45, reason="用地取得延宕")
    return c1


def test_the_control_meeting_is_recorded_in_tracking_with_its_agenda(personas):
    _lagging_march()
    meeting = services.open_control_meeting(
        datetime.date(2025, 3, 1), actor=personas.officer, held_at=at(2025, 4, 20, 14), chair_name="副秘書長"
    )
    assert meeting.type == "tenders"
    assert "C1 大里區道路工程" in meeting.agenda and "用地取得延宕" in meeting.agenda
    assert [a.code for a in meeting.agencies.all()] == ["construction"]


def test_a_decision_of_the_control_meeting_becomes_a_tracked_item(personas):
    from rdec.tracking import selectors as tracking_selectors
    from rdec.tracking import services as tracking_services

    _lagging_march()
    meeting = services.open_control_meeting(
        datetime.date(2025, 3, 1), actor=personas.officer, held_at=at(2025, 4, 20, 14), chair_name="副秘書長"
    )
    tracking_services.add_resolution(
        meeting, actor=personas.officer, text="請建設局於5月底前提出C1趕工計畫。", owner=agency("construction"),
        deadline=datetime.date(2025, 5, 31),
    )  # fmt: skip
    items = tracking_selectors.items_visible_to(personas.staff).filter(meeting=meeting)
    assert [i.title for i in items] == ["請建設局於5月底前提出C1趕工計畫。"]


def test_agency_staff_cannot_record_the_control_meeting(personas):
    with pytest.raises(PermissionDenied):
        services.open_control_meeting(
            datetime.date(2025, 3, 1),
            actor=personas.staff,
            held_at=at(2025, 4, 20, 14),
            chair_name="副秘書長",
        )
