"""Questionnaire filters (skip logic, issue 19 item 1): the import refuses an answer the filter skips,
by row and column; an opened question left empty is item nonresponse; a filtered question's estimates
are on its base; a filter must depend on an earlier question (service, page and API)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from rdec.core.tabular import ImportFailed
from rdec.polls import selectors, services
from rdec.polls.importing import code_ranges
from rdec.polls.models import Survey

pytestmark = pytest.mark.django_db

SATISFACTION = {"1": "非常滿意", "2": "還算滿意", "3": "不太滿意", "4": "非常不滿意"}
QUESTIONS = [
    {"code": "Q1", "wording": "請問您今年幾歲？", "options": {"1": "18–39歲", "2": "40歲以上"}},
    {"code": "Q2", "wording": "請問您過去一年有沒有打過1999市民專線？", "options": {"1": "有", "2": "沒有"}},
    {
        "code": "Q3",
        "wording": "請問您對1999市民專線的服務滿不滿意？",
        "options": SATISFACTION,
        "filter": {"question": "Q2", "codes": ["1"]},
    },
]


def _survey(officer, **kw):
    return services.create_survey(
        actor=officer, slug="filters", title="市政滿意度調查", questions=QUESTIONS, **kw
    )


def _csv(rows):
    lines = ["case_id,disposition,sex,Q1,Q2,Q3"]
    lines += [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


GOOD = [
    ("C1", "1.1", "M", "1", "1", "1"),
    ("C2", "1.1", "F", "2", "1", "2"),
    ("C3", "1.1", "F", "1", "1", ""),  # opened, left empty: item nonresponse
    ("C4", "1.1", "M", "2", "2", ""),  # skipped
    ("C5", "1.1", "F", "1", "2", ""),  # skipped
    ("C6", "2.11", "M", "", "", ""),
]


def test_codes_read_as_ranges():
    assert code_ranges(["1", "2"]) == "1–2"
    assert code_ranges(["1", "2", "3", "5", "9", "x"]) == "1–3, 5, 9, x"


def test_the_questionnaire_stores_each_filter(personas):
    survey = _survey(personas.officer)
    q3 = survey.questions.get(code="Q3")
    assert q3.filter == {"question": "Q2", "codes": ["1"]}
    assert q3.opens_for({"Q2": "1"}) and not q3.opens_for({"Q2": "2"}) and not q3.opens_for({})
    assert survey.questions.get(code="Q2").opens_for({})


def test_an_answer_the_filter_skips_is_an_error_by_row_and_column(personas):
    survey = _survey(personas.officer)
    rows = [
        *GOOD[:5],
        ("C7", "1.1", "M", "1", "2", "3"),  # row 7: answered Q3 though Q2 = 2
        ("C8", "1.2", "F", "1", "", "1"),  # row 8: a partial, Q2 empty, Q3 answered
    ]
    with translation.override("en"), pytest.raises(ImportFailed) as caught:
        services.import_responses(survey.slug, _csv(rows), "f.csv", actor=personas.officer)
    errors = caught.value.errors
    assert len(errors) == 2
    assert errors[0].startswith("Row 7, column Q3:")
    assert "those who answered 1 to Q2" in errors[0] and "is 2" in errors[0]
    assert errors[1].startswith("Row 8, column Q3:") and "empty" in errors[1]
    assert not survey.cases.exists()  # all or nothing


def test_estimates_of_a_filtered_question_are_on_its_base(personas):
    survey = _survey(personas.officer)
    services.import_responses(survey.slug, _csv(GOOD), "f.csv", actor=personas.officer)
    q3 = survey.questions.get(code="Q3")
    with translation.override("en"):
        result = selectors.question_results(survey, q3)
    # base: C1, C2, C3 (Q2 = 1); C3 left it empty → n 2, missing 1; C4/C5 are outside the base
    assert result["n"] == 2 and result["missing"] == 1
    assert result["base"] == "those who answered 1 to Q2"
    pcts = {o["code"]: o["weighted_pct"] for o in result["options"]}
    assert pcts["1"] == pytest.approx(50.0) and pcts["2"] == pytest.approx(50.0) and pcts["3"] == 0
    q2 = selectors.question_results(survey, survey.questions.get(code="Q2"))
    assert q2["n"] == 5 and q2["missing"] == 0 and q2["base"] is None


def test_a_filter_on_an_unknown_or_a_later_question_is_refused(personas):
    survey = _survey(personas.officer)
    q2 = survey.questions.get(code="Q2")
    with pytest.raises(ValidationError) as caught:
        services.update_question(q2, actor=personas.officer, filter_question="Q3", filter_codes="1")
    assert "filter_question" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.update_question(q2, actor=personas.officer, filter_question="Q9", filter_codes="1")
    assert "filter_question" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.update_question(q2, actor=personas.officer, filter_question="Q1", filter_codes="7")
    assert "filter_codes" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.update_question(q2, actor=personas.officer, filter_question="Q2", filter_codes="1")
    assert "filter_question" in caught.value.message_dict  # itself


def test_a_filter_that_imported_answers_break_is_refused(personas):
    survey = _survey(personas.officer)
    services.import_responses(survey.slug, _csv(GOOD), "f.csv", actor=personas.officer)
    q3 = survey.questions.get(code="Q3")
    with pytest.raises(ValidationError) as caught:
        services.update_question(q3, actor=personas.officer, filter_question="Q1", filter_codes="1")
    assert "C2" in caught.value.message_dict["filter_codes"][0]
    # widening it is fine; removing it too
    services.update_question(q3, actor=personas.officer, filter_question="Q2", filter_codes="1、2")
    assert q3.filter == {"question": "Q2", "codes": ["1", "2"]}
    services.update_question(q3, actor=personas.officer, filter_question="", filter_codes="")
    assert q3.filter == {}


def test_a_new_wording_is_a_new_version(personas):
    survey = _survey(personas.officer)
    q2 = survey.questions.get(code="Q2")
    services.update_question(q2, actor=personas.officer, wording=q2.wording)
    assert q2.version == 1
    services.update_question(q2, actor=personas.officer, wording="請問您最近半年有沒有打過1999？")
    q2.refresh_from_db()
    assert q2.version == 2 and q2.wording.startswith("請問您最近半年")


def test_the_page_sets_a_filter_and_refuses_a_later_question(client, personas):
    survey = _survey(personas.officer)
    client.force_login(personas.officer)
    url = reverse("polls:survey-detail", args=[survey.pk])
    post = {"action": "question", "question-question": "Q2", "question-wording": "請問您有沒有打過1999？"}
    bad = client.post(url, {**post, "question-filter_question": "Q3", "question-filter_codes": "1"})
    assert bad.status_code == 400
    assert "篩選" in bad.content.decode() or "之前" in bad.content.decode()
    good = client.post(url, {**post, "question-filter_question": "Q1", "question-filter_codes": "1"})
    assert good.status_code == 302
    assert survey.questions.get(code="Q2").filter == {"question": "Q1", "codes": ["1"]}
    page = client.get(url).content.decode()
    assert 'data-testid="questionnaire"' in page


def test_the_api_creates_a_questionnaire_with_filters_and_refuses_a_later_one(personas):
    client = APIClient()
    client.force_login(personas.officer)
    body = {"slug": "api-filters", "title": "市政滿意度調查", "series": "市政滿意度調查", "wave": 1}
    created = client.post("/api/v1/polls/surveys/", {**body, "questions": QUESTIONS}, format="json")
    assert created.status_code == 201, created.json()
    q3 = [q for q in created.json()["questions"] if q["code"] == "Q3"][0]
    assert q3["filter"] == {"question": "Q2", "codes": ["1"]}
    assert created.json()["series"] == "市政滿意度調查" and created.json()["wave"] == 1
    later = [
        {"code": "Q1", "options": {"1": "有"}, "filter": {"question": "Q2", "codes": ["1"]}},
        {"code": "Q2", "options": {"1": "有"}},
    ]
    refused = client.post("/api/v1/polls/surveys/", {**body, "slug": "x", "questions": later}, format="json")
    assert refused.status_code == 400
    assert "之前" in refused.json()["errors"]["questions"][0]  # zh-Hant: a filter on a later question
    unknown = [{"code": "Q1", "filter": {"question": "Q7", "codes": ["1"]}}]
    refused = client.post(
        "/api/v1/polls/surveys/", {**body, "slug": "y", "questions": unknown}, format="json"
    )
    assert refused.status_code == 400
    assert not Survey.objects.filter(slug__in=["x", "y"]).exists()
