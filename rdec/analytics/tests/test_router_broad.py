"""The broad router: held-out splits that never share a text (by source, by time), a monotone
calibration, and the routing rule's threshold sending unsure suggestions to 人工分案."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from rdec.analytics import routing, rules, selectors
from rdec.analytics.models import RoutingRule

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shipped():
    return routing.shipped_texts()


def test_the_faq_split_never_puts_a_text_or_its_near_duplicate_on_both_sides(shipped):
    faq = [t for t in shipped if t.source == "faq"]
    assert len(faq) > 6000
    by_split = {s: {t.text for t in faq if t.split == s} for s in routing.SPLITS}
    keys = {s: {routing.near_duplicate_key(t) for t in texts} for s, texts in by_split.items()}
    assert not by_split["train"] & by_split["test"] and not by_split["train"] & by_split["calibrate"]
    assert not keys["train"] & keys["test"] and not keys["train"] & keys["calibrate"]
    assert not keys["calibrate"] & keys["test"]
    # near duplicates (a year apart) share a key, so a side
    assert routing.near_duplicate_key("2017臺北藝術節FAQ") == routing.near_duplicate_key(
        "2018臺北藝術節FAQ？"
    )
    assert 0.15 < len(by_split["test"]) / len(faq) < 0.25


def test_the_kaohsiung_split_is_by_time_train_before_calibrate_before_test(shipped):
    k = [t for t in shipped if t.source == "kaohsiung"]
    train = max(t.date for t in k if t.split == "train")
    calibrate = [t.date for t in k if t.split == "calibrate"]
    test = min(t.date for t in k if t.split == "test")
    assert train < routing.CALIBRATE_FROM <= min(calibrate) <= max(calibrate) < routing.TEST_FROM <= test
    assert all(t.category for t in k)


def test_the_platforms_own_cases_split_by_time_and_a_day_never_straddles():
    rows = [(f"路燈不亮{i}", "light-out", f"2026-0{1 + i // 20}-{1 + i % 20:02d}") for i in range(100)]
    texts = routing.case_texts(rows)
    latest_train = max(t.date for t in texts if t.split == "train")
    assert latest_train < min(t.date for t in texts if t.split == "calibrate")
    assert max(t.date for t in texts if t.split == "calibrate") < min(
        t.date for t in texts if t.split == "test"
    )


def test_calibration_is_monotone():
    rng = np.random.default_rng(0)
    scores = rng.random(500)
    right = rng.random(500) < scores  # a score of s is right with chance s
    xs, ys = routing.isotonic(scores, right)
    assert np.all(np.diff(ys) >= 0) and 0 <= ys.min() and ys.max() <= 1
    router = routing.Router(None, {}, calibration=(xs, ys))
    grid = [router.calibrate(s) for s in np.linspace(0, 1, 101)]
    assert all(b >= a for a, b in zip(grid, grid[1:], strict=False))


def small_corpus() -> list[routing.Text]:
    """FAQ-like questions of two agencies without categories, and 1999 texts of two categories."""
    faq = {
        "tax": ["地價稅如何計算", "房屋稅怎麼繳", "牌照稅繳納期限", "地價稅減免申請", "房屋稅稅率多少"],
        "labor": [
            "職業災害如何申報",
            "勞資爭議調解申請",
            "加班費怎麼算",
            "資遣費如何計算",
            "職災補償怎麼申請",
        ],
    }
    texts = []
    for agency, questions in faq.items():
        for i, q in enumerate(questions * 4):
            split = "train" if i < 12 else "calibrate" if i < 16 else "test"
            texts.append(routing.Text(f"{q}？（{i}）", routing.AGENCY_LABEL + agency, "faq", split))
    for code, phrase in (("light-out", "路燈不亮"), ("garbage", "垃圾車沒來")):
        for i in range(20):
            split = "train" if i < 12 else "calibrate" if i < 16 else "test"
            texts.append(
                routing.Text(f"{phrase}，請處理{i}", code, "kaohsiung", split, f"2016-{9 + i // 8}-01", code)
            )
    return texts


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_broad_training_learns_agencies_without_categories_and_reports_per_source():
    agency_of = {"light-out": "construction", "garbage": "environment"}
    router, metrics = routing.train_broad(small_corpus(), agency_of, vocabulary_prior=False)
    best = router.suggest("請問地價稅如何計算？")[0]
    assert best.agency == "tax" and best.category == "" and 0 <= best.confidence <= 1
    assert router.suggest("巷口路燈不亮")[0].category == "light-out"
    assert set(metrics["sources"]) == {"faq", "kaohsiung"} and metrics["tested_on"] == 16
    faq = router.evaluation["sources"]["faq"]
    assert faq["per_agency"]["tax"]["recall"] == 1.0 and faq["agency_top1"] == 1.0
    assert faq["confusion"]["tax"] == {"tax": 4}
    assert [a["threshold"] for a in faq["abstention"]][:2] == [0.5, 0.6]


def test_below_the_routing_rule_the_suggestion_goes_to_manual_routing():
    day = datetime.date(2026, 12, 1)
    assert rules.routes_alone(0.95, day) and not rules.routes_alone(0.85, day)  # default 90 %
    RoutingRule.objects.create(
        effective_from=datetime.date(2026, 11, 1), auto_route_min_pct=97, source="test"
    )
    assert not rules.routes_alone(0.95, day) and rules.routes_alone(0.98, day)
    assert rules.routes_alone(0.95, datetime.date(2026, 10, 31))  # before the new version: 90 %
    assert not rules.routes_alone(None, day)
    sure = [{"agency": None, "category": None, "score": 0.99, "confidence": 0.99}]
    unsure = [{**sure[0], "confidence": 0.5}]
    assert selectors.routes_alone(sure, day) and not selectors.routes_alone(unsure, day)


def test_the_console_hint_says_manual_routing_when_unsure(client, personas, settings):
    from django.urls import reverse

    settings.RDEC_ROUTER_BROAD = False
    client.force_login(personas.agent)
    RoutingRule.objects.create(
        effective_from=datetime.date(2000, 1, 1), auto_route_min_pct=100, source="test"
    )
    unsure = client.post(reverse("analytics:route-hint"), {"subject": "路燈不亮", "description": "巷子很暗"})
    assert "建議人工分案" in unsure.content.decode() or "Manual routing suggested" in unsure.content.decode()
    RoutingRule.objects.create(effective_from=datetime.date(2001, 1, 1), auto_route_min_pct=0, source="test")
    sure = client.post(reverse("analytics:route-hint"), {"subject": "路燈不亮", "description": "巷子很暗"})
    assert 'data-testid="route-manual"' not in sure.content.decode()
    assert 'data-category="light-out"' in sure.content.decode()


@pytest.fixture
def broad_model(settings, tmp_path, monkeypatch):
    """services.train_router with the broad design on a small corpus (fast) and 60 closed cases."""
    from rdec.analytics import services
    from rdec.petitions.models import Case
    from rdec.petitions.tests.factories import file

    settings.DATA_DIR = tmp_path
    settings.RDEC_ROUTER_BROAD = True
    monkeypatch.setattr(routing, "shipped_texts", small_corpus)
    for code, text in (("light-out", "路燈不亮"), ("garbage", "垃圾車沒來"), ("pothole", "路面坑洞")):
        for i in range(20):
            case, _code = file(code=code, subject=text, description=f"{text}，請處理（{i}）")
            Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    return services.train_router(actor=None)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_the_rdec_sees_the_held_out_figures_per_source_and_agency(broad_model, client, personas):
    from django.core.management import call_command
    from django.urls import reverse

    assert broad_model.tested_on == 16 + 12  # the small corpus's test split and the newest 20 % of the cases
    client.force_login(personas.officer)
    page = client.get(reverse("analytics:router"))
    html = page.content.decode()
    assert page.status_code == 200
    for testid in (
        "router-sources",
        "router-agencies",
        "router-first-level",
        "router-first-level-note",
        "router-confusion",
        "router-reliability",
    ):
        assert f'data-testid="{testid}"' in html
    assert "地方稅務局" in html and "勞工局" in html  # agencies known from FAQ questions only
    client.force_login(personas.agent)
    assert client.get(reverse("analytics:router")).status_code == 403
    import io

    out = io.StringIO()
    call_command("evaluate_router", "--confusion", stdout=out)
    text = out.getvalue()
    assert "faq" in text and "kaohsiung" in text and "cases" in text and "tax" in text
    # the agency figures at first level beside the labelled ones, per source and for the hand-written set
    # (faq, kaohsiung, cases, all; the hand-written set), in English until the catalogue has the msgid
    assert text.count("At first level") + text.count("以一級機關計（二級機關") == 5


def test_a_petition_filed_while_the_router_is_unsure_waits_in_the_rdec_routing_queue(
    client, personas, settings
):
    """The console files it (under the agent's category) and records 建議人工分案 on it; the RDEC's
    inbox ?routing=manual lists it until an agency is assigned."""
    import uuid

    from django.urls import reverse

    from rdec.core.models import Agency
    from rdec.petitions import services as petition_services
    from rdec.petitions.models import Case

    settings.RDEC_ROUTER_BROAD = False
    settings.RDEC_ROUTER_FLAG_UNSURE = True
    filed = []
    for pct, subject in ((100, "詢問地價稅"), (0, "路燈不亮")):
        RoutingRule.objects.update_or_create(
            effective_from=datetime.date(2000, 1, 1), defaults={"auto_route_min_pct": pct, "source": "test"}
        )
        client.force_login(personas.agent)
        data = {
            "submission_token": uuid.uuid4().hex,
            "petitioner_phone": "0922-333-444",
            "petitioner_name": "林先生",
            "category": "light-out",
            "subject": subject,
            "description": f"{subject}，請處理",
            "address": "西屯區文心路二段",
            "channel": "phone",
        }
        assert client.post(reverse("petitions:console"), data).status_code == 302
        filed.append(Case.objects.latest("pk"))
    unsure, sure = filed
    assert unsure.events.filter(verb="routing_manual").exists()
    assert not sure.events.filter(verb="routing_manual").exists()
    client.force_login(personas.officer)
    queue = client.get(reverse("petitions:inbox"), {"routing": "manual"}).content.decode()
    assert unsure.number in queue and sure.number not in queue
    case_page = client.get(reverse("petitions:case", args=[unsure.number])).content.decode()
    assert "建議人工分案" in case_page or "Manual routing suggested" in case_page
    petition_services.assign_case(unsure, actor=personas.officer, agency=Agency.objects.get(code="tax"))
    assert unsure.number not in client.get(reverse("petitions:inbox"), {"routing": "manual"}).content.decode()


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_the_fast_probabilities_are_the_pipelines():
    agency_of = {"light-out": "construction", "garbage": "environment"}
    router, _metrics = routing.train_broad(small_corpus(), agency_of, vocabulary_prior=False)
    texts = ["請問地價稅如何計算？", "巷口路燈不亮", "垃圾車今天沒來", "加班費"]
    assert np.allclose(router.probabilities(texts), router.pipeline.predict_proba(texts), atol=1e-9)
    import pickle

    assert "_weights" in router.__dict__ and "_weights" not in pickle.loads(pickle.dumps(router)).__dict__  # noqa: S301 - our own object


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_broad_training_weighs_each_text_by_its_source(monkeypatch):
    """The FAQ questions count SOURCE_WEIGHT["faq"] times (outnumbered by 1999 texts), the rest once, and
    the classifier is given the weights; the vocabulary counts VOCABULARY_WEIGHT."""
    seen: dict[str, float] = {}
    real_fit = routing.fit

    def spy(pipeline, texts, labels, weights=None):
        seen.update(zip(texts, weights, strict=True))
        real_fit(pipeline, texts, labels, weights)

    monkeypatch.setattr(routing, "fit", spy)
    agency_of = {"light-out": "construction", "garbage": "environment"}
    routing.train_broad(small_corpus(), agency_of)
    assert routing.SOURCE_WEIGHT["faq"] > 1
    assert seen["地價稅如何計算？（0）"] == routing.SOURCE_WEIGHT["faq"]
    assert seen["路燈不亮，請處理0"] == 1.0
    assert seen[routing.vocabulary()["light-out"][0]] == routing.VOCABULARY_WEIGHT
    assert "地價稅如何計算？（15）" not in seen  # the calibrate split is never trained on


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(("weights", "expected"), [((5.0, 1.0), "tax"), ((1.0, 5.0), "labor")])
def test_a_heavier_text_wins_where_labels_disagree(weights, expected):
    texts = ["稅費問題怎麼辦", "稅費問題怎麼辦", "加班費", "地價稅"]
    labels = ["@tax", "@labor", "@labor", "@tax"]
    pipeline = routing.build_pipeline()
    routing.fit(pipeline, texts, labels, [*weights, 1.0, 1.0])
    assert pipeline.predict(["稅費問題怎麼辦"])[0] == "@" + expected
