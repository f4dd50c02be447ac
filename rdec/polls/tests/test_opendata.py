"""A published poll in the open data catalog: de-identified microdata (no case id, no phone-like or
other columns, age bands, small districts merged below k) and frequency tables equal to the results
API, each a UTF-8 CSV with its Table Schema; republishing updates the same dataset; a poll that is not
published never reaches the catalog."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rdec.opendata.models import Dataset
from rdec.polls import opendata, services
from rdec.polls.importing import PHONE_VALUE
from rdec.polls.models import Survey
from rdec.polls.tests.factories import DISCLOSURE

pytestmark = pytest.mark.django_db

# completes per district: 北屯區 and 西屯區 above k = 10, 和平區 and 新社區 below it
DISTRICTS = {"北屯區": 14, "西屯區": 12, "新社區": 6, "和平區": 4}
AGES = ["20-29", "37", "40-49", "60+"]  # one file gives an exact age: it leaves only as its band
TARGETS = b"variable,category,share\nsex,M,0.49\nsex,F,0.51\n"


def fieldwork_csv() -> bytes:
    lines = ["case_id,frame,district,disposition,sex,age_band,education,region,Q1,Q2,tel"]
    i = 0
    for district, n in DISTRICTS.items():
        for _ in range(n):
            i += 1
            lines.append(
                f"ID-{i:04d},mobile,{district},1.1,{'M' if i % 2 else 'F'},{AGES[i % 4]},大學,city,"
                f"{1 + i % 2},{1 + i % 3},0912-000-{i:03d}"
            )
    lines.append("ID-9001,landline,北屯區,2.11,M,60+,國中,city,,,04-2228-9111")
    lines.append("ID-9002,landline,,2.20,,,,,,,0422289112")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def small_k(settings):
    settings.RDEC_POLLS_MICRODATA_MIN_DISTRICT = 10


def make_poll(officer, slug="city-2026") -> Survey:
    result = services.import_responses(
        slug, fieldwork_csv(), "fieldwork.csv", actor=officer, create=True, title="市政滿意度調查"
    )
    survey = result.survey
    services.update_survey(
        survey,
        actor=officer,
        contractor="○○民意調查公司",
        field_start="2026-10-01",
        field_end="2026-10-05",
        **DISCLOSURE,
    )
    survey.questions.filter(code="Q1").update(
        wording="您對市政整體滿不滿意？", options={"1": "滿意", "2": "不滿意"}
    )
    services.load_targets(survey, TARGETS, "targets.csv", actor=officer)
    services.weight_survey(survey, actor=officer)
    survey.refresh_from_db()
    return survey


def rows_of(resource) -> list[dict]:
    with resource.file.open("rb") as f:
        raw = f.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 (with BOM, as every CSV of the platform)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def publish(survey, officer, capture):
    with capture(execute=True):
        services.publish_survey(survey, actor=officer)
    survey.refresh_from_db()
    return survey


def test_merging_rule_for_small_districts():
    # every district under k, then the next smallest while the group is under k or a single district
    assert opendata.merged_districts({"A": 40, "B": 35, "C": 4, "D": 7}, 10) == {"C", "D"}
    assert opendata.merged_districts({"A": 40, "B": 35, "C": 4}, 10) == {"B", "C"}
    assert opendata.merged_districts({"A": 40, "B": 35, "C": 3, "D": 2}, 10) == {"B", "C", "D"}
    assert opendata.merged_districts({"A": 40, "B": 35, "": 2}, 10) == set()
    assert opendata.age_band("37") == "30-39" and opendata.age_band("18") == "未滿20"
    assert opendata.age_band("75") == "70+" and opendata.age_band("40-49") == "40-49"


def test_published_poll_sends_deidentified_microdata_and_frequency_tables(
    personas, small_k, django_capture_on_commit_callbacks
):
    survey = publish(make_poll(personas.officer), personas.officer, django_capture_on_commit_callbacks)
    dataset = survey.dataset
    assert dataset is not None and dataset.is_active
    assert dataset.license == "ogdl-tw-1.0" and dataset.agency.code == "rdec"
    poll_url = reverse("polls:survey-detail", args=[survey.pk])
    for text in ("市政滿意度調查", "○○民意調查公司", "115年10月1日", "115年10月5日", poll_url):
        assert text in dataset.description, text
    assert dataset.landing_page.endswith(poll_url)
    micro, freq = dataset.resources.order_by("number")
    assert (micro.format, micro.encoding, freq.format, freq.encoding) == ("CSV", "UTF-8", "CSV", "UTF-8")
    assert [f["name"] for f in micro.schema["fields"]] == [
        "seq", "frame", "sex", "age_band", "education", "district", "Q1", "Q2", "weight",
    ]  # fmt: skip
    assert freq.schema["fields"][0]["name"] == "question"

    rows = rows_of(micro)
    assert list(rows[0]) == ["seq", "frame", "sex", "age_band", "education", "district", "Q1", "Q2", "weight"]
    completes = sum(DISTRICTS.values())
    assert len(rows) == completes  # the refusal and the non-contact are not there
    assert [int(r["seq"]) for r in rows] == list(range(1, completes + 1))
    text = micro.file.open("rb").read().decode("utf-8-sig")
    assert "ID-" not in text and "case_id" not in text and "disposition" not in text
    assert "tel" not in rows[0] and "region" not in rows[0] and "city" not in text
    assert not any(PHONE_VALUE.match(v) for r in rows for v in r.values())
    assert "0912" not in text
    assert {r["age_band"] for r in rows} == {"20-29", "30-39", "40-49", "60+"}  # 37 → 30-39
    districts = {r["district"] for r in rows}
    assert districts == {"北屯區", "西屯區", opendata.MERGED_DISTRICT}
    assert sum(r["district"] == opendata.MERGED_DISTRICT for r in rows) == 10  # 新社區 6 + 和平區 4
    assert "和平區" not in text and "新社區" not in text
    weights = [float(r["weight"]) for r in rows]
    assert sum(weights) / len(weights) == pytest.approx(1, abs=1e-5)

    # the frequency table gives the results API's numbers (4 decimals)
    api = APIClient()
    body = api.get(f"/api/v1/polls/surveys/{survey.pk}/results/", {"question": "Q1"}).json()
    table = [r for r in rows_of(freq) if r["question"] == "Q1"]
    assert [r["code"] for r in table] == [o["code"] for o in body["options"]] == ["1", "2"]
    assert table[0]["label"] == "滿意" and table[0]["wording"] == "您對市政整體滿不滿意？"
    for row, option in zip(table, body["options"], strict=True):
        assert int(row["n"]) == option["n"]
        for name in ("weighted_pct", "ci_low", "ci_high"):
            assert float(row[name]) == round(option[name], 4)

    # the catalog's own quality check reads both files against their schema: gold
    for resource in (micro, freq):
        check = resource.quality_checks.order_by("-id").first()
        assert check is not None and check.badge == "gold", check and check.messages

    # the published poll's page links its dataset
    page = api.get(poll_url, HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert reverse("opendata:dataset-detail", args=[dataset.name]) in page


def test_republishing_updates_the_same_dataset(personas, small_k, django_capture_on_commit_callbacks):
    survey = publish(make_poll(personas.officer), personas.officer, django_capture_on_commit_callbacks)
    dataset = survey.dataset
    micro, freq = dataset.resources.order_by("number")
    assert (micro.versions.count(), freq.versions.count()) == (1, 1)
    # unchanged: nothing new
    assert opendata.publish(survey.pk) == "unchanged"
    # a correction of a question's wording: the frequency table gets a new version, the same dataset
    survey.questions.filter(code="Q1").update(wording="整體而言，您對市政滿不滿意？")
    publish(survey, personas.officer, django_capture_on_commit_callbacks)
    assert Dataset.objects.filter(title__contains="市政滿意度調查").count() == 1
    survey.refresh_from_db()
    assert survey.dataset_id == dataset.pk and dataset.resources.count() == 2
    freq.refresh_from_db()
    micro.refresh_from_db()
    # the wording is in both files' schemas (and in the frequency table itself): a new version of each
    assert (micro.versions.count(), freq.versions.count()) == (2, 2)
    assert any("整體而言" in r["wording"] for r in rows_of(freq))


def test_a_poll_that_is_not_published_never_reaches_the_catalog(
    personas, small_k, django_capture_on_commit_callbacks
):
    survey = make_poll(personas.officer)
    assert opendata.publish(survey.pk) == "skipped"
    draft = services.create_survey(actor=personas.officer, slug="draft", title="草稿")
    assert opendata.publish(draft.pk) == "skipped"
    # publishing refused (a disclosure item missing): no job, no dataset
    services.update_survey(survey, actor=personas.officer, disclosure_limitations="")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017,PT011
        services.publish_survey(survey, actor=personas.officer)
    assert not Dataset.objects.exists()
    survey.refresh_from_db()
    assert survey.dataset is None and survey.status != Survey.Status.PUBLISHED


def test_a_free_text_question_stays_out(personas, small_k):
    survey = make_poll(personas.officer)
    survey.questions.filter(code="Q2").update(options={})  # an open question: its answers are free text
    headers, _rows, facts = opendata.microdata(survey)
    assert "Q2" not in headers and facts["questions"] == ["Q1"]
    assert not any(r[0] == "Q2" for r in opendata.frequency_rows(survey))


def test_the_default_k_is_30(personas):
    survey = make_poll(personas.officer)
    _headers, rows, facts = opendata.microdata(survey)
    assert facts["k"] == 30
    # every district is under 30: all merged into one group
    assert {r[5] for r in rows} == {opendata.MERGED_DISTRICT}
    assert re.search(r"\d{2}-\d{4}", opendata.microdata_csv(survey).decode("utf-8-sig")) is None
