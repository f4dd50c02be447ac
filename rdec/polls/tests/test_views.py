"""The polls pages: the RDEC's import → targets → weight → results → disclosure → publish, the errors
as HTTP 400 with messages, and what the public sees."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rdec.polls import services
from rdec.polls.models import Survey
from rdec.polls.tests.factories import DISCLOSURE, TWELVE_TARGETS_CSV, twelve_csv

pytestmark = pytest.mark.django_db


def _disclosure_post(**overrides):
    data = {"action": "disclosure"}
    for name, value in {**DISCLOSURE, **overrides}.items():
        data[f"disclosure-{name}"] = value
    return data


def test_the_rdec_runs_a_poll_from_the_pages(client, personas):
    client.force_login(personas.officer)
    response = client.post(reverse("polls:survey-list"), {"slug": "twelve", "title": "十二人範例"})
    survey = Survey.objects.get(slug="twelve")
    url = reverse("polls:survey-detail", args=[survey.pk])
    assert response.status_code == 302 and response.url == url

    upload = SimpleUploadedFile("fieldwork.csv", twelve_csv())
    assert client.post(url, {"action": "import", "import-file": upload}).status_code == 302
    upload = SimpleUploadedFile("targets.csv", TWELVE_TARGETS_CSV)
    assert client.post(url, {"action": "targets", "targets-file": upload}).status_code == 302
    weighted = client.post(url, {"action": "weight", "weight-tol": "1e-10", "weight-max_iter": "1000"})
    assert weighted.status_code == 302

    page = client.get(url).content.decode()
    assert "52.1" in page  # Q1 "1": 52.1417 %
    # the question's maximum margin at p = 0.5 with deff 1.086801, n = 12
    assert "最大抽樣誤差為正負 29.49 個百分點" in page
    assert "1.087" in page

    # publishing without the eleven disclosure items is blocked
    blocked = client.post(url, {"action": "publish"})
    assert blocked.status_code == 400
    survey.refresh_from_db()
    assert survey.status == Survey.Status.WEIGHTING

    assert client.post(url, _disclosure_post()).status_code == 302
    assert client.post(url, {"action": "publish"}).status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.PUBLISHED


def test_a_bad_fieldwork_file_is_a_400_with_the_rows(client, personas):
    survey = services.create_survey(actor=personas.officer, slug="p", title="t")
    client.force_login(personas.officer)
    upload = SimpleUploadedFile("f.csv", b"case_id,disposition\nA1,9.9\n")
    response = client.post(
        reverse("polls:survey-detail", args=[survey.pk]), {"action": "import", "import-file": upload}
    )
    assert response.status_code == 400
    assert "9.9" in response.content.decode()
    assert not survey.cases.exists()


def test_an_empty_target_cell_is_a_400_naming_it(client, personas):
    survey = services.import_responses(
        "twelve", twelve_csv(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    services.load_targets(
        survey, b"variable,category,share\nsex,M,0.5\nsex,F,0.4\nsex,X,0.1\n", "t.csv", actor=personas.officer
    )
    client.force_login(personas.officer)
    response = client.post(
        reverse("polls:survey-detail", args=[survey.pk]),
        {"action": "weight", "weight-tol": "1e-10", "weight-max_iter": "100"},
    )
    assert response.status_code == 400
    assert "sex" in response.content.decode() and "X" in response.content.decode()


def test_subgroups_below_30_are_flagged(client, personas):
    survey = services.import_responses(
        "twelve", twelve_csv(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    client.force_login(personas.officer)
    page = client.get(reverse("polls:survey-detail", args=[survey.pk]), {"by": "sex"}).content.decode()
    assert 'data-testid="subgroups"' in page
    assert "樣本數 &lt; 30" in page
    assert 'data-testid="rao-scott"' in page


def test_the_public_sees_published_polls_only(client, personas):
    survey = services.import_responses(
        "twelve", twelve_csv(), "f.csv", actor=personas.officer, create=True, title="草稿民調"
    ).survey
    url = reverse("polls:survey-detail", args=[survey.pk])
    assert client.get(url).status_code == 404
    assert "草稿民調" not in client.get(reverse("polls:survey-list")).content.decode()
    services.load_targets(survey, TWELVE_TARGETS_CSV, "t.csv", actor=personas.officer)
    services.weight_survey(survey, actor=personas.officer)
    services.update_survey(survey, actor=personas.officer, **DISCLOSURE)
    services.publish_survey(survey, actor=personas.officer)
    page = client.get(url)
    assert page.status_code == 200
    assert DISCLOSURE["disclosure_limitations"] in page.content.decode()
    assert 'data-testid="import-form"' not in page.content.decode()
    assert client.post(url, {"action": "publish"}).status_code in (302, 403)


def test_the_rdec_sees_the_sample_design_and_its_allocation(client, personas):
    survey = services.create_survey(actor=personas.officer, slug="p", title="t")
    client.force_login(personas.officer)
    response = client.get(reverse("polls:survey-detail", args=[survey.pk]))
    rows = response.context["design"]["rows"]
    assert response.context["design"]["n"] == 1068
    assert rows[0] == {
        "district": "北屯區",
        "population": rows[0]["population"],
        "planned": 119,
        "achieved": 0,
    }
    assert {r["district"]: r["planned"] for r in rows}["和平區"] == 4
    assert 'data-testid="allocation"' in response.content.decode()


def test_marking_reported_freezes_the_weights(client, personas):
    survey = services.import_responses(
        "twelve", twelve_csv(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    services.load_targets(survey, TWELVE_TARGETS_CSV, "t.csv", actor=personas.officer)
    client.force_login(personas.officer)
    url = reverse("polls:survey-detail", args=[survey.pk])
    assert client.post(url, {"action": "report"}).status_code == 400  # not weighted yet
    services.weight_survey(survey, actor=personas.officer)
    assert client.post(url, {"action": "report"}).status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.REPORTED
    refused = client.post(url, {"action": "weight", "weight-tol": "1e-10", "weight-max_iter": "10"})
    assert refused.status_code == 400


def test_hostile_query_strings_are_no_server_error_and_come_back_escaped(client, personas):
    survey = services.import_responses(
        "twelve", twelve_csv(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    client.force_login(personas.officer)
    xss = "<script>window.__xss=1</script>"
    for url, params in [
        (reverse("polls:survey-detail", args=[survey.pk]), {"by": xss}),
        (f"/api/v1/polls/surveys/{survey.pk}/results/", {"question": xss}),
        (f"/api/v1/polls/surveys/{survey.pk}/response-rates/", {"e": "nan", "e_UH": xss}),
        ("/api/v1/polls/surveys/", {"slug": xss, "page": xss}),
    ]:
        response = client.get(url, params)
        assert response.status_code < 500, url
        assert xss not in response.content.decode() or response["Content-Type"].startswith("application/json")
    weight = client.post(
        reverse("polls:survey-detail", args=[survey.pk]),
        {"action": "weight", "weight-tol": "nan", "weight-max_iter": "1e9", "weight-trim_low": xss},
    )
    assert weight.status_code == 400


def test_the_reader_chooses_e_and_weighted_rates_on_the_page(client, personas):
    from rdec.polls import selectors

    # with non-interviews of unknown eligibility (3.x), refusals (2.11) and one not eligible (4.x)
    extra = "".join(
        f"X{i},mobile,,{code},,,,,\n"
        for i, code in enumerate(["3.20", "3.20", "3.12", "2.11", "2.11", "4.10"])
    )
    survey = services.import_responses(
        "twelve", twelve_csv() + extra.encode(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    client.force_login(personas.officer)
    url = reverse("polls:survey-detail", args=[survey.pk])
    default = client.get(url)
    assert default.context["rates"] == selectors.response_rates(survey)
    chosen = client.get(url, {"e": "0.5", "weighted": "on"})
    assert chosen.status_code == 200
    assert chosen.context["rates"] == selectors.response_rates(survey, e=0.5, weighted=True)
    assert chosen.context["rates"]["RR3"] != default.context["rates"]["RR3"]  # the choice shows
    assert "e = 0.5000" in chosen.content.decode()
    bad = client.get(url, {"e": "1.5"})
    assert bad.status_code == 400
    assert bad.context["rates"] == selectors.response_rates(survey)  # the default, and the error shown
    assert "1" in str(bad.context["rates_form"].errors["e"][0])
