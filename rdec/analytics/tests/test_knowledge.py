"""Duplicates and the knowledge base use the router's text understanding (issue 15, item 5): the 1999
console and the route-suggestions API suggest the knowledge-base article that answers a question, read
with the router's representation (rdec.analytics.knowledge); the duplicate finder compares texts with
it too."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from rdec.analytics import knowledge, routing, selectors, similar
from rdec.core.models import Agency
from rdec.core.services import create_api_key
from rdec.petitions.models import Article

pytestmark = pytest.mark.django_db

ARTICLES = Path(__file__).resolve().parents[2] / "petitions" / "data" / "demo_articles.json"
EVAL = Path(routing.DATA) / "kb-eval.json"
URL = "/api/v1/petitions/route-suggestions/"


@pytest.fixture
def kb(settings):
    """The demo knowledge base (42 articles), valid today; the router in use is the vocabulary-only one."""
    settings.RDEC_ROUTER_BROAD = False
    agencies = {a.code: a for a in Agency.objects.all()}
    today = timezone.localdate()
    rows = json.loads(ARTICLES.read_text(encoding="utf-8"))["articles"]
    Article.objects.bulk_create(
        Article(
            question=r["q"],
            answer=r["a"],
            tags=r["tags"],
            agency=agencies[r["agency"]],
            valid_from=today - datetime.timedelta(days=30),
            review_due=today + datetime.timedelta(days=90),
        )
        for r in rows
    )
    return {a.question: a for a in Article.objects.all()}


def test_a_question_worded_like_an_article_gets_that_article_first(kb, personas):
    found = selectors.kb_suggestions(personas.agent, text="晚上路燈壞掉沒亮，請問怎麼通報維修")
    assert found[0]["article"] == kb["路燈不亮或閃爍要怎麼報修？"]
    assert len(found) <= 3 and all(row["score"] >= knowledge.MIN_SCORE for row in found)
    assert [row["score"] for row in found] == sorted((row["score"] for row in found), reverse=True)
    tax = selectors.kb_suggestions(personas.agent, text="房屋稅幾月要繳")
    assert tax[0]["article"] == kb["房屋稅和地價稅什麼時候繳？"]


def test_below_the_threshold_no_article_is_suggested_rather_than_a_wrong_one(kb, personas):
    text = "學校操場可以租借嗎"  # no article answers it
    assert selectors._kb_index().scores([text]).max() < knowledge.MIN_SCORE
    assert selectors.kb_suggestions(personas.agent, text=text) == []


def test_held_out_questions_find_their_article(kb):
    """The test questions of data/kb-eval.json (never used to choose the weight or the threshold)."""
    index = selectors._kb_index()
    questions = json.loads(EVAL.read_text(encoding="utf-8"))["test"]
    figures = knowledge.evaluate(index, questions, {q: a.pk for q, a in kb.items()})
    assert figures["answered"] == 42 and figures["unanswered"] == 10
    assert figures["top1"] >= 0.85 and figures["top3"] >= 0.9  # the vocabulary-only router (docs: measured)


def test_the_suggestions_follow_new_and_changed_articles(kb, personas):
    text = "社區的共融遊戲場什麼時候開放"
    assert all(
        "共融遊戲場" not in row["article"].question
        for row in selectors.kb_suggestions(personas.agent, text=text)
    )
    article = Article.objects.create(
        question="共融遊戲場開放時間？",
        answer="共融遊戲場每日 6 時至 22 時開放。",
        tags="共融遊戲場,公園,開放時間",
        agency=Agency.objects.get(code="construction"),
        valid_from=timezone.localdate() - datetime.timedelta(days=1),
        review_due=timezone.localdate() + datetime.timedelta(days=90),
    )
    assert selectors.kb_suggestions(personas.agent, text=text)[0]["article"] == article
    article.valid_until = timezone.localdate() - datetime.timedelta(days=1)  # withdrawn from today
    article.save()
    assert article not in [row["article"] for row in selectors.kb_suggestions(personas.agent, text=text)]


def test_the_console_hint_shows_the_article_next_to_the_agency(kb, client, personas):
    client.force_login(personas.agent)
    hint = client.post(
        reverse("analytics:route-hint"),
        {"subject": "路燈不亮", "description": "巷口路燈一直閃爍，要怎麼報修"},
    ).content.decode()
    assert 'data-testid="route-hints"' in hint and 'data-testid="kb-suggestions"' in hint
    article = kb["路燈不亮或閃爍要怎麼報修？"]
    assert reverse("petitions:kb-article", args=[article.pk]) in hint
    assert hint.index("路燈不亮或閃爍要怎麼報修？") < hint.index("</ol>", hint.index("kb-suggestions"))


def test_the_api_adds_the_articles_to_the_route_suggestions(kb, personas):
    api = APIClient()
    api.force_authenticate(personas.agent)
    body = api.post(URL, {"text": "公司欠薪不發兩個月了，可以申請調解嗎"}, format="json").json()
    assert body["suggestions"] and body["suggestions"][0]["agency"]["code"]  # the contract as before
    first = body["kb_articles"][0]
    article = kb["公司欠薪不發，可以申請調解嗎？"]
    assert first["id"] == article.pk and first["title"] == article.question
    assert first["url"].endswith(reverse("petitions:kb-article", args=[article.pk]))
    assert 0 < first["score"] <= 1
    # a connected system may ask for routes but does not read the internal knowledge base
    _key, raw = create_api_key(name="partner", agency=None, actor=None)
    system = APIClient()
    system.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    answer = system.post(URL, {"text": "公司欠薪不發兩個月了，可以申請調解嗎"}, format="json")
    assert answer.status_code == 200 and answer.json()["kb_articles"] == []


def test_the_duplicate_finder_reads_texts_with_the_routers_representation(monkeypatch, personas):
    from rdec.petitions.tests.factories import file

    main, _c = file(
        code="light-out", subject="路燈不亮", description="文心路上的路燈整排不亮", lat=24.1615, lon=120.6469
    )
    twin, _c = file(
        code="light-out", subject="路燈不亮", description="文心路路燈整排都不亮", lat=24.1616, lon=120.647
    )
    router = selectors.active_router()
    seen = []
    original = router.vectors
    monkeypatch.setattr(
        router, "vectors", lambda texts, **kw: seen.append(list(texts)) or original(texts, **kw)
    )
    found = similar.rank(main, [twin])
    assert seen == [[f"{main.subject} {main.description}", f"{twin.subject} {twin.description}"]]
    expected = float((original([seen[0][0]]) @ original([seen[0][1]]).T).toarray()[0, 0])
    place = 1 - similar.distance_m(main.lat, main.lon, twin.lat, twin.lon) / similar.RADIUS_M
    assert found[0][1] == pytest.approx(round(0.6 * expected + 0.4 * place, 3), abs=1e-3)


def test_the_topical_weights_make_question_wording_count_less():
    router = routing.Router(None, {})
    import numpy as np

    class Classifier:
        coef_ = np.array([[4.0, 0.01], [-4.0, 0.0]])

    class Pipeline(list):
        pass

    router.pipeline = Pipeline([Classifier()])
    weights = router._topical_weights().ravel()
    assert weights[0] == pytest.approx(1.0) and weights[1] == pytest.approx(np.sqrt(0.01 / 4))
