"""The knowledge base (內部資料知識庫): versioned articles, reviews, and search that finds
two-character Chinese words inside longer text, ranked by relevance."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rdec.core.models import Agency
from rdec.petitions import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(personas):
    construction = Agency.objects.get(code="construction")
    environment = Agency.objects.get(code="environment")
    make = services.create_article
    return {
        "light": make(
            actor=personas.staff,
            agency=construction,
            question="路燈不亮要向哪裡報修？",
            answer="請提供路燈桿上的編號，由建設局派員於3個工作天內修復。",
            tags="路燈 報修",
        ),
        "light_day": make(
            actor=personas.staff,
            agency=construction,
            question="白天路燈沒有熄滅怎麼辦？",
            answer="請提供位置與路燈編號，建設局將檢修自動點滅器。",
            tags="路燈",
        ),
        "garbage": make(
            actor=personas.other_staff,
            agency=environment,
            question="垃圾車幾點會來？",
            answer="各區清潔隊收運時間不同，可查詢清潔隊路線，或於晚間至定點丟棄。",
            tags="垃圾 清運",
        ),
        "expired": make(
            actor=personas.other_staff,
            agency=environment,
            question="舊的路燈補助方案",
            answer="已停止辦理。",
            valid_from=datetime.date(2020, 1, 1),
            valid_until=datetime.date(2021, 1, 1),
        ),
    }


def test_a_two_character_word_is_found_inside_longer_text_best_match_first(personas, articles):
    found = selectors.articles_search(personas.agent, "路燈")
    assert [a.pk for a in found][:2] == [articles["light"].pk, articles["light_day"].pk]
    assert articles["garbage"] not in found


def test_an_article_no_longer_valid_is_not_found(personas, articles):
    assert articles["expired"] not in selectors.articles_search(personas.agent, "補助")


def test_several_words_must_all_match(personas, articles):
    assert selectors.articles_search(personas.agent, "路燈 白天") == [articles["light_day"]]


def test_citizens_cannot_search_the_internal_knowledge_base(personas, articles):
    with pytest.raises(PermissionDenied):
        selectors.articles_search(personas.citizen, "路燈")


def test_editing_keeps_every_version(personas, articles):
    article = articles["light"]
    services.update_article(
        article,
        actor=personas.staff,
        question=article.question,
        answer="請撥打1999或上網報修，並提供路燈編號。",
        tags="路燈 報修 1999",
    )
    assert article.version == 2
    assert list(article.versions.values_list("version", flat=True)) == [2, 1]
    assert article.versions.get(version=1).answer.startswith("請提供路燈桿上的編號")


def test_only_the_owning_agency_edits_and_reviews(personas, articles):
    with pytest.raises(PermissionDenied):
        services.update_article(articles["light"], actor=personas.other_staff, question="x", answer="y")
    with pytest.raises(PermissionDenied):
        services.review_article(articles["light"], actor=personas.other_staff)
    with pytest.raises(ValidationError):
        services.create_article(
            actor=personas.staff, agency=Agency.objects.get(code="environment"), question="q", answer="a"
        )


def test_articles_past_their_review_date_are_listed_until_reviewed(personas, articles):
    article = articles["garbage"]
    article.review_due = timezone.localdate() - datetime.timedelta(days=1)
    article.save()
    assert article in selectors.articles_due_for_review(personas.agent)
    services.review_article(article, actor=personas.other_staff)
    assert article not in selectors.articles_due_for_review(personas.agent)
