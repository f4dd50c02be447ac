"""Comparison with earlier waves of the same question (issue 19 item 4): each option's weighted % per
wave, the change in points and the z test of two independent weighted proportions with the design
effects; a changed wording is not comparable; the API (200/400) and the poll page."""

import math

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rdec.polls import selectors, services
from rdec.polls.tests.factories import DISCLOSURE, make_twelve

pytestmark = pytest.mark.django_db

SERIES = "市政滿意度調查"


def _wave_one(officer, yes=6, no=4):
    rows = ["case_id,disposition,sex,Q1,Q2"]
    rows += [f"W{i:02d},1.1,F,1,1" for i in range(yes)]
    rows += [f"X{i:02d},1.1,M,2,2" for i in range(no)]
    rows.append("R01,2.11,M,,")
    result = services.import_responses(
        "wave-1", ("\n".join(rows) + "\n").encode(), "w1.csv", actor=officer, create=True, title="第1次"
    )
    return services.update_survey(result.survey, actor=officer, series=SERIES, wave=1)


def _wave_two(officer):
    survey = make_twelve(officer)  # §3.7.3: Q1 "1" 52.1417 % weighted, deff 1.086801, n 12
    services.weight_survey(survey, actor=officer)
    return services.update_survey(survey, actor=officer, series=SERIES, wave=2)


def test_two_unweighted_waves_by_hand(personas):
    first = _wave_one(personas.officer, yes=6, no=4)  # 60 %
    rows = ["case_id,disposition,Q1,Q2"] + [f"V{i:02d},1.1,{1 if i < 3 else 2},1" for i in range(10)]  # 30 %
    second = services.import_responses(
        "wave-2", ("\n".join(rows) + "\n").encode(), "w2.csv", actor=personas.officer, create=True, title="t"
    ).survey
    services.update_survey(second, actor=personas.officer, series=SERIES, wave=2)
    out = selectors.wave_comparison(second, second.questions.get(code="Q1"), user=personas.officer)
    before, now = out["waves"]
    assert (before["survey"], now["survey"]) == (first.pk, second.pk)
    assert before["comparable"] and before["n"] == 10 and before["design_effect"] == pytest.approx(1)
    yes = before["options"][0]
    assert yes["weighted_pct"] == pytest.approx(60) and now["options"][0]["weighted_pct"] == pytest.approx(30)
    # 30 % − 60 % = −30 points; se = √(.3·.7/10 + .6·.4/10) = √.045 = .212132; z = −.3/.212132 = −√2
    assert yes["difference"] == pytest.approx(-30)
    assert yes["z"] == pytest.approx(-math.sqrt(2), abs=1e-9)
    assert yes["significant"] is False
    assert now["options"][0]["difference"] is None  # the poll itself


def test_a_weighted_wave_uses_its_design_effect(personas):
    _wave_one(personas.officer, yes=6, no=4)
    second = _wave_two(personas.officer)
    out = selectors.wave_comparison(second, second.questions.get(code="Q1"), user=personas.officer)
    before, now = out["waves"]
    assert now["design_effect"] == pytest.approx(1.086801, abs=1e-6) and now["n"] == 12
    yes = before["options"][0]
    # (.521417 − .6)/√(1.086801·.521417·.478583/12 + 1·.6·.4/10)
    p = 0.52141656
    se = math.sqrt(1.086801 * p * (1 - p) / 12 + 0.6 * 0.4 / 10)
    assert yes["difference"] == pytest.approx(100 * (p - 0.6), abs=1e-4)
    assert yes["z"] == pytest.approx((p - 0.6) / se, abs=1e-5)
    assert yes["significant"] is False


def test_a_changed_wording_is_not_comparable(personas):
    first = _wave_one(personas.officer)
    second = _wave_two(personas.officer)
    services.update_question(
        first.questions.get(code="Q1"), actor=personas.officer, wording="您滿不滿意盧市長？"
    )
    services.update_question(
        second.questions.get(code="Q1"), actor=personas.officer, wording="您滿不滿意盧市長的施政？"
    )
    before, _now = selectors.wave_comparison(second, second.questions.get(code="Q1"), user=personas.officer)[
        "waves"
    ]
    assert not before["comparable"] and before["changes"] == ["wording"]
    assert all(o["difference"] is None and o["significant"] is None for o in before["options"])
    assert before["options"][0]["weighted_pct"] == pytest.approx(60)  # still shown


def test_whitespace_is_not_a_change_of_wording(personas):
    first = _wave_one(personas.officer)
    second = _wave_two(personas.officer)
    services.update_question(
        first.questions.get(code="Q1"), actor=personas.officer, wording="請問您 滿意嗎？"
    )
    services.update_question(
        second.questions.get(code="Q1"), actor=personas.officer, wording="請問您  滿意嗎？ "
    )
    before, _now = selectors.wave_comparison(second, second.questions.get(code="Q1"), user=personas.officer)[
        "waves"
    ]
    assert before["comparable"]


def test_waves_api_200_and_400(personas):
    _wave_one(personas.officer)
    second = _wave_two(personas.officer)
    client = APIClient()
    client.force_login(personas.officer)
    url = f"/api/v1/polls/surveys/{second.pk}/waves/"
    body = client.get(url, {"question": "Q1"}).json()
    assert body["question"] == "Q1" and body["series"] == SERIES
    assert [w["wave"] for w in body["waves"]] == [1, 2]
    assert body["waves"][0]["options"][0]["significant"] is False
    assert client.get(url, {"question": "Q9"}).status_code == 400
    assert client.get(url).status_code == 400


def test_the_public_compares_with_published_waves_only(personas):
    _wave_one(personas.officer)  # fielding, not published
    second = _wave_two(personas.officer)
    services.update_survey(second, actor=personas.officer, **DISCLOSURE)
    services.publish_survey(second, actor=personas.officer)
    body = APIClient().get(f"/api/v1/polls/surveys/{second.pk}/waves/", {"question": "Q1"}).json()
    assert [w["wave"] for w in body["waves"]] == [2]


def test_the_poll_page_shows_the_comparison_block(client, personas):
    _wave_one(personas.officer)
    second = _wave_two(personas.officer)
    client.force_login(personas.officer)
    page = client.get(reverse("polls:survey-detail", args=[second.pk])).content.decode()
    assert 'data-testid="waves-Q1"' in page
    assert "與前次調查比較" in page
    assert "−7.9" in page or "-7.9" in page  # 52.1 % − 60 %
