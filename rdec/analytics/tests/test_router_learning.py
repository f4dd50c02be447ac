"""The case router learns from the work: every 移文 and re-分案 is a dated label; retraining makes a
versioned candidate that replaces the model in use only if it is not worse on the held-out cases."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from rdec.analytics import router_labels, router_versions
from rdec.analytics.models import RouterModel
from rdec.core.models import Agency
from rdec.petitions import services
from rdec.petitions.models import Case, CaseEvent
from rdec.petitions.tests.factories import file

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
T1 = datetime.datetime(2026, 3, 5, 14, 0, tzinfo=datetime.UTC)


def first_category(texts, agencies, categories):
    return [categories.get(agency, [""])[0] for agency in agencies]


def dated(case, verb, when):
    """The case's last `verb` event happened at `when` (tests do not depend on today's date)."""
    event = CaseEvent.objects.filter(case=case, verb=verb).latest("at", "id")
    CaseEvent.objects.filter(pk=event.pk).update(at=when)


def test_a_transfer_is_a_label_for_the_new_agency_dated_at_the_transfer(personas):
    case, _code = file(subject="水溝堵塞發臭", description="排水溝堵住了，整條巷子很臭。")
    services.transfer_case(
        case, actor=personas.staff, agency=Agency.objects.get(code="environment"), reason="屬環保局"
    )
    dated(case, "transferred", T1)
    [label] = router_labels.labels(now=T1, choose=first_category)
    assert (label.case, label.source, label.agency, label.at) == (case.number, "transfer", "environment", T1)
    # filed under 建設局's pothole: the label names one of 環保局's categories instead
    assert label.category != "pothole"
    assert label.weight == router_labels.recent_weight()


def test_a_reassignment_to_another_agency_is_a_label(personas):
    case, _code = file()
    services.assign_case(case, actor=personas.officer, agency=Agency.objects.get(code="environment"))
    dated(case, "assigned", T0)
    [label] = router_labels.labels(now=T1, choose=first_category)
    assert (label.source, label.agency, label.at) == ("reassign", "environment", T0)


def test_the_last_move_counts_and_unmoved_open_cases_give_no_label(personas):
    file()  # open, never moved: nothing known yet
    case, _code = file()
    services.transfer_case(
        case, actor=personas.staff, agency=Agency.objects.get(code="environment"), reason="a"
    )
    dated(case, "transferred", T0)
    services.transfer_case(
        case, actor=personas.other_staff, agency=Agency.objects.get(code="construction"), reason="b"
    )
    dated(case, "transferred", T1)
    [label] = router_labels.labels(now=T1, choose=first_category)
    # back with 建設局 by a transfer: the pothole category is its own again
    assert (label.agency, label.category, label.at) == ("construction", "pothole", T1)


def test_a_closed_case_is_a_label_of_the_agency_that_answered():
    case, _code = file()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=T0)
    [label] = router_labels.labels(now=T0 + datetime.timedelta(days=180))
    assert (label.source, label.agency, label.category, label.at) == ("closed", "construction", "pothole", T0)
    assert label.weight == 2  # one half-life old: (3 − 1) · ½ + 1


def test_label_texts_carry_no_personal_data(personas):
    case, _code = file(
        subject="陳情人王小明反映",
        description="我是王小明，電話0912-345-678，身分證A123456789，信箱wang@example.com，家住中港路99號旁積水。",
    )
    services.transfer_case(
        case, actor=personas.staff, agency=Agency.objects.get(code="environment"), reason="x"
    )
    [label] = router_labels.labels(choose=first_category)
    for secret in ("王小明", "0912-345-678", "345-678", "A123456789", "wang@example.com", "99號"):
        assert secret not in label.text
    assert "積水" in label.text  # the wording the router learns from stays


def test_newer_labels_weigh_more():
    now = T1
    assert router_labels.weight(now, now) == 3
    assert router_labels.weight(now - datetime.timedelta(days=180), now) == 2
    assert router_labels.weight(now - datetime.timedelta(days=1000), now) == 1


# --- the gate ---------------------------------------------------------------------------------------

FIG = {"tested_on": 40, "category_top1": 0.8, "category_top3": 0.9, "agency_top3": 0.97, "coverage": 0.7}


def figures(top1, precision):
    return {**FIG, "agency_top1": top1, "precision_at_coverage": precision}


def test_the_gate_tolerates_a_small_top1_drop_but_no_lower_precision(settings):
    settings.RDEC_ROUTER_GATE_TOLERANCE = 0.01
    assert router_versions.gate(figures(0.90, 0.98), figures(0.88, 0.97))[0]
    assert router_versions.gate(figures(0.875, 0.97), figures(0.88, 0.97))[0]  # within 1 point
    ok, why = router_versions.gate(figures(0.85, 0.99), figures(0.88, 0.97))
    assert not ok and "85.0%" in why and "88.0%" in why
    ok, why = router_versions.gate(figures(0.90, 0.96), figures(0.88, 0.97))
    assert not ok and "96.0%" in why and "97.0%" in why


@pytest.fixture
def in_use(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return RouterModel.objects.create(
        path=str(tmp_path / "old.joblib"),
        version=1,
        status=RouterModel.Status.ACTIVE,
        trained_on=100,
        tested_on=40,
        category_top1=0.8,
        category_top3=0.9,
        agency_top1=0.88,
        agency_top3=0.97,
        seconds=1.0,
    )


def test_a_worse_candidate_stays_a_candidate_with_the_reason(in_use):
    model = router_versions.register(
        {"stub": "router"},
        figures(0.80, 0.95),
        data_summary={"labels": 3},
        active=in_use,
        active_figures=figures(0.88, 0.97),
    )
    assert (model.version, model.status, model.active) == (2, RouterModel.Status.CANDIDATE, False)
    assert (model.compared_with, model.compared_top1, model.compared_precision) == (in_use, 0.88, 0.97)
    assert "80.0%" in model.decision and "88.0%" in model.decision
    assert list(RouterModel.objects.filter(active=True)) == [in_use]


def test_a_better_candidate_is_put_in_use_and_the_old_one_retired(in_use):
    model = router_versions.register(
        {"stub": "router"},
        figures(0.92, 0.99),
        data_summary={"labels": 3},
        active=in_use,
        active_figures=figures(0.88, 0.97),
    )
    assert (model.status, model.active, model.promoted_at is not None) == (
        RouterModel.Status.ACTIVE,
        True,
        True,
    )
    in_use.refresh_from_db()
    assert (in_use.status, in_use.active) == (RouterModel.Status.RETIRED, False)
    assert list(RouterModel.objects.filter(active=True)) == [model]


def test_an_administrator_may_put_a_candidate_in_use_by_hand(in_use, personas):
    model = router_versions.register(
        {"stub": "router"},
        figures(0.5, 0.5),
        data_summary={},
        active=in_use,
        active_figures=figures(0.88, 0.97),
    )
    router_versions.promote_by_hand(model, actor=personas.admin)
    model.refresh_from_db()
    assert model.active and model.promoted_by == personas.admin and "admin" in model.decision


def test_a_model_put_in_use_by_train_router_is_numbered_and_retires_the_old_one(in_use):
    RouterModel.objects.filter(active=True).update(active=False)  # as services.train_router does
    newer = RouterModel.objects.create(
        path="new.joblib",
        trained_on=1,
        tested_on=1,
        category_top1=1,
        category_top3=1,
        agency_top1=1,
        agency_top3=1,
        seconds=1,
    )
    in_use.refresh_from_db()
    assert (newer.version, newer.status) == (2, RouterModel.Status.ACTIVE)
    assert in_use.status == RouterModel.Status.RETIRED


def test_retraining_learns_from_transfers_and_records_the_version(settings, tmp_path, personas):
    settings.DATA_DIR = tmp_path
    texts = {"light-out": "巷子路燈不亮很暗", "garbage": "垃圾車今天沒有來", "stray-dog": "流浪狗追人咬人"}
    for code, text in texts.items():
        for i in range(20):
            case, _c = file(code=code, subject=text, description=f"{text}，請處理（{i}）")
            Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=T0)
    moved, _c = file(subject="公園的狗屎沒人清", description="公園草地上很多狗大便。")
    services.transfer_case(
        moved, actor=personas.staff, agency=Agency.objects.get(code="environment"), reason="x"
    )
    dated(moved, "transferred", T1)
    model = router_versions.retrain(actor=None, now=T1, choose=first_category, use_broad=False)
    assert model.version == 1 and model.data_summary["by_source"] == {
        "transfer": 1,
        "reassign": 0,
        "closed": 60,
    }
    assert model.data_summary["latest"] == T1.isoformat()
    assert model.tested_on == model.data_summary["held_out"] > 0
    assert model.compared_top1 is not None  # measured against the vocabulary-only router in use
    assert model.decision


def test_retraining_with_the_broad_corpus_holds_out_its_test_split_too(settings, tmp_path, monkeypatch):
    from rdec.analytics import routing

    if not hasattr(routing, "train_broad"):
        pytest.skip("the routing module has no broad corpus")
    settings.DATA_DIR = tmp_path
    for i in range(60):
        case, _c = file(code="garbage", subject="垃圾車今天沒有來", description=f"垃圾車沒來（{i}）")
        Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=T0)
    faq = [
        routing.Text(
            f"房屋稅怎麼繳納第{i}題", routing.AGENCY_LABEL + "tax", "faq", "test" if i % 5 == 0 else "train"
        )
        for i in range(30)
    ]
    monkeypatch.setattr(routing, "shipped_texts", lambda limit=None: faq)
    model = router_versions.retrain(actor=None, now=T1, use_broad=True)
    assert model.data_summary["broad"] == {"faq": 30}
    assert model.data_summary["held_out_broad"] == 6
    assert model.tested_on == 6 + model.data_summary["held_out"]


# --- Done when: a transfer's label appears in the next training run's data ----------------------------


def test_a_transfer_made_in_the_case_page_is_in_the_next_training_runs_data(client, personas):
    case, _code = file(subject="路邊垃圾堆積", description="巷口垃圾堆了一週沒人清，請處理。")
    client.force_login(personas.staff)
    environment = Agency.objects.get(code="environment")
    response = client.post(
        reverse("petitions:case-transfer", args=[case.number]),
        {"agency": environment.pk, "reason": "屬環保局"},
    )
    assert response.status_code == 302
    out = io.StringIO()
    call_command("retrain_router", "--dry-run", stdout=out)
    printed = out.getvalue()
    line = next(row for row in printed.splitlines() if row.startswith(case.number))
    assert "\ttransfer\t" in line and "\tenvironment\t" in line and "垃圾" in line
    assert f"{timezone.localtime():%Y-%m-%d}" in line
    assert "1" in printed.splitlines()[0]  # the transfer is counted


def test_the_admin_shows_both_figures_and_the_decision(client, in_use, personas):
    router_versions.register(
        {"stub": "router"},
        figures(0.80, 0.95),
        data_summary={},
        active=in_use,
        active_figures=figures(0.88, 0.97),
    )
    client.force_login(personas.admin)
    page = client.get(reverse("admin:analytics_routermodel_changelist")).content.decode()
    assert "80.0%" in page and "88.0%" in page and "95.0%" in page and "97.0%" in page
    candidate = RouterModel.objects.get(version=2)
    detail = client.get(reverse("admin:analytics_routermodel_change", args=[candidate.pk])).content.decode()
    assert "80.0%" in detail and "88.0%" in detail
