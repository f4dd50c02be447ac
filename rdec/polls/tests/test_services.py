"""Importing fieldwork, loading targets, weighting and publishing, through the services and commands."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from rdec.core.tabular import ImportFailed
from rdec.polls import selectors, services
from rdec.polls.models import Case, Survey
from rdec.polls.tests.factories import (
    DISCLOSURE,
    TWELVE_TARGETS_CSV,
    TWELVE_WEIGHTS,
    aapor_csv,
    make_twelve,
    twelve_csv,
)

pytestmark = pytest.mark.django_db


def test_import_creates_a_draft_poll_with_the_files_questions_and_keeps_no_phone_numbers(personas):
    result = services.import_responses(
        "twelve", twelve_csv(), "fieldwork.csv", actor=personas.officer, create=True, title="範例"
    )
    survey = result.survey
    assert result.created and result.cases == 14 and result.completes == 12
    assert result.dropped == ["tel"]
    assert [(q.code, q.options) for q in survey.questions.all()] == [
        ("Q1", {"1": "1", "2": "2"}),
        ("Q2", {"1": "1", "2": "2", "3": "3"}),
    ]
    assert survey.status == Survey.Status.FIELDING
    stored = repr(list(Case.objects.values()))
    assert "0912" not in stored and "2228" not in stored
    case = survey.cases.get(case_id="C03")
    assert (case.outcome, case.sex, case.age_band, case.extra) == ("I", "M", "40-59", {"region": "city"})
    assert survey.cases.get(case_id="C13").outcome == "R"


def test_a_phone_column_is_dropped_by_its_values_whatever_its_name(personas):
    data = b"case_id,disposition,contact,Q1\nA1,1.1,0912345678,1\nA2,1.1,+886 912 345 679,2\n"
    result = services.import_responses("p", data, "f.csv", actor=personas.officer, create=True, title="t")
    assert result.dropped == ["contact"]
    assert "contact" not in result.survey.cases.first().extra


def test_import_is_all_or_nothing_with_row_and_column_errors(personas):
    data = (
        "case_id,district,disposition,sex,Q1\n"
        "A1,北屯區,1.1,M,1\n"
        "A1,北屯區,1.1,F,2\n"
        "A3,火星區,9.9,F,1\n"
        "A4,西屯,2.11,M,1\n"
    ).encode()
    with pytest.raises(ImportFailed) as caught:
        services.import_responses("p", data, "f.csv", actor=personas.officer, create=True, title="t")
    errors = caught.value.errors
    assert any("3" in e and "case_id" in e for e in errors)
    assert any("4" in e and "district" in e for e in errors)
    assert any("4" in e and "disposition" in e for e in errors)
    assert any("5" in e and "Q1" in e for e in errors)  # a refusal with an answer
    assert not Survey.objects.exists()


def test_import_needs_the_case_id_and_disposition_columns(personas):
    with pytest.raises(ImportFailed) as caught:
        services.import_responses(
            "p", b"id,Q1\n1,1\n", "f.csv", actor=personas.officer, create=True, title="t"
        )
    assert "case_id" in caught.value.errors[0] and "disposition" in caught.value.errors[0]


def test_only_the_rdec_imports(personas):
    with pytest.raises(PermissionDenied):
        services.import_responses("p", aapor_csv(), "f.csv", actor=personas.staff, create=True, title="t")


def test_district_names_and_towncodes_are_read_as_the_district(personas):
    data = "case_id,district,disposition\nA1,66000080,1.1\nA2,北屯,1.1\nA3,和平區,1.1\n".encode()
    survey = services.import_responses(
        "p", data, "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    assert list(survey.cases.values_list("district", flat=True)) == ["北屯區", "北屯區", "和平區"]


# --- targets -------------------------------------------------------------------------------------------


def test_targets_not_summing_to_one_are_refused(personas):
    survey = services.import_responses(
        "twelve", twelve_csv(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    data = b"variable,category,share\nsex,M,0.48\nsex,F,0.50\n"
    with pytest.raises(ImportFailed) as caught:
        services.load_targets(survey, data, "t.csv", actor=personas.officer)
    assert "sex" in caught.value.errors[0] and "0.9800" in caught.value.errors[0]
    assert not survey.targets.exists()


def test_a_target_variable_must_name_a_fieldwork_column(personas):
    survey = services.import_responses(
        "twelve", twelve_csv(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    data = b"variable,category,share\nincome,high,1\n"
    with pytest.raises(ImportFailed) as caught:
        services.load_targets(survey, data, "t.csv", actor=personas.officer)
    error = caught.value.errors[0]
    assert "income" in error and "variable" in error and "2" in error


def test_targets_keep_their_vintage_and_source(personas):
    survey = make_twelve(personas.officer)
    target = survey.targets.get(variable="sex", category="F")
    assert (target.share, target.vintage, target.source) == (0.51, "115/09", "內政部戶政司")


# --- weighting -----------------------------------------------------------------------------------------


def test_weighting_the_twelve_gives_the_research_weights_and_deff(personas):
    survey = make_twelve(personas.officer)
    run = services.weight_survey(survey, actor=personas.officer)
    weights = [w["weight"] for w in selectors.case_weights(survey)]
    assert weights == pytest.approx(TWELVE_WEIGHTS, abs=1e-6)
    assert run.converged and run.n == 12
    assert run.deff == pytest.approx(1.086801, abs=1e-6)
    assert run.n_eff == pytest.approx(12 / 1.086801, abs=1e-5)
    assert run.parameters["base_weights"] == "equal"
    assert survey.cases.get(case_id="C13").weight is None
    survey.refresh_from_db()
    assert survey.status == Survey.Status.WEIGHTING


def test_weighted_estimate_of_the_twelve(personas):
    survey = make_twelve(personas.officer)
    services.weight_survey(survey, actor=personas.officer)
    results = selectors.question_results(survey, survey.questions.get(code="Q1"))
    yes = results["options"][0]
    assert yes["code"] == "1" and yes["n"] == 6
    assert yes["weighted_pct"] == pytest.approx(52.1417, abs=1e-4)
    assert yes["ci_high"] - yes["weighted_pct"] == pytest.approx(29.464817, abs=1e-6)
    assert results["small_base"] is True


def test_an_empty_target_category_refuses_weighting_naming_the_cell(personas):
    survey = make_twelve(personas.officer)
    data = "variable,category,share\nage_band,20-39,0.3\nage_band,40-59,0.3\nage_band,60+,0.3\nage_band,18-19,0.1\n"
    services.load_targets(survey, data.encode(), "t.csv", actor=personas.officer)
    with pytest.raises(ValidationError) as caught:
        services.weight_survey(survey, actor=personas.officer)
    message = caught.value.message_dict["targets"][0]
    assert "age_band" in message and "18-19" in message
    assert not survey.cases.exclude(weight=None).exists()


def test_base_weights_come_from_the_allocation_when_the_file_has_none(personas):
    # 北屯區 is 8.9 % of the city (and half the sample), 和平區 0.3 % (and half the sample)
    lines = ["case_id,district,disposition,sex"]
    lines += [f"N{i},北屯區,1.1,{'MF'[i % 2]}" for i in range(4)]
    lines += [f"H{i},和平區,1.1,{'MF'[i % 2]}" for i in range(4)]
    survey = services.import_responses(
        "p", "\n".join(lines).encode(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    services.load_targets(
        survey, b"variable,category,share\nsex,M,0.5\nsex,F,0.5\n", "t.csv", actor=personas.officer
    )
    run = services.weight_survey(survey, actor=personas.officer)
    weights = {w["case_id"]: w["weight"] for w in selectors.case_weights(survey)}
    assert run.parameters["base_weights"] == "allocation"
    from rdec.polls.population import district_populations

    pops = district_populations()
    ratio = pops["北屯區"] / pops["和平區"]
    assert weights["N0"] / weights["H0"] == pytest.approx(ratio, rel=1e-9)
    assert sum(weights.values()) == pytest.approx(8, abs=1e-9)


def test_trimming_bounds_are_applied_and_recorded(personas):
    survey = make_twelve(personas.officer)
    run = services.weight_survey(survey, actor=personas.officer, trim=(0.6, 1.5))
    weights = [w["weight"] for w in selectors.case_weights(survey)]
    assert max(weights) <= 1.5 + 1e-6 and min(weights) >= 0.6 - 1e-6
    assert run.parameters["trim"] == [0.6, 1.5]


# --- rates and publishing ------------------------------------------------------------------------------


def test_response_rates_from_detailed_codes(personas):
    survey = services.import_responses(
        "aapor", aapor_csv(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    rates = selectors.response_rates(survey)
    assert rates["RR1"] == pytest.approx(0.384615, abs=1e-6)
    assert rates["e"] == pytest.approx(10 / 11, abs=1e-12)


def test_publishing_is_blocked_until_all_eleven_disclosure_items_are_filled(personas):
    survey = make_twelve(personas.officer)
    services.weight_survey(survey, actor=personas.officer)
    services.update_survey(survey, actor=personas.officer, **{**DISCLOSURE, "disclosure_limitations": ""})
    with pytest.raises(ValidationError) as caught:
        services.publish_survey(survey, actor=personas.officer)
    assert list(caught.value.message_dict) == ["disclosure_limitations"]
    survey.refresh_from_db()
    assert survey.status != Survey.Status.PUBLISHED
    services.update_survey(survey, actor=personas.officer, disclosure_limitations="未涵蓋無電話者")
    services.publish_survey(survey, actor=personas.officer)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.PUBLISHED and survey.published_at is not None


def test_a_published_poll_cannot_be_reweighted(personas):
    survey = make_twelve(personas.officer)
    services.weight_survey(survey, actor=personas.officer)
    services.update_survey(survey, actor=personas.officer, **DISCLOSURE)
    services.publish_survey(survey, actor=personas.officer)
    with pytest.raises(ValidationError):
        services.weight_survey(survey, actor=personas.officer)


# --- commands ------------------------------------------------------------------------------------------


def test_the_commands_import_load_targets_and_report_errors(personas, tmp_path):
    fieldwork = tmp_path / "fieldwork.csv"
    fieldwork.write_bytes(twelve_csv())
    out = io.StringIO()
    call_command(
        "import_poll_responses", "twelve", str(fieldwork), "--create", "--title", "十二人", stdout=out
    )
    assert "14" in out.getvalue() and "tel" in out.getvalue()
    targets = tmp_path / "targets.csv"
    targets.write_bytes(TWELVE_TARGETS_CSV)
    call_command("load_poll_targets", "twelve", str(targets), stdout=io.StringIO())
    assert Survey.objects.get(slug="twelve").targets.count() == 7
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"variable,category,share\nsex,M,0.7\nsex,F,0.7\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_poll_targets", "twelve", str(bad), stdout=io.StringIO(), stderr=err)
    assert "sex" in err.getvalue()
    assert Survey.objects.get(slug="twelve").targets.count() == 7


def test_the_import_command_refuses_an_unknown_poll_without_create(tmp_path):
    fieldwork = tmp_path / "f.csv"
    fieldwork.write_bytes(aapor_csv())
    with pytest.raises(CommandError):
        call_command(
            "import_poll_responses", "nope", str(fieldwork), stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert not Survey.objects.exists()


def test_spss_and_xlsx_files_are_read(personas, tmp_path):
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame(
        {"case_id": ["S1", "S2", "S3"], "disposition": ["1.1", "1.1", "2.11"], "Q1": [1.0, 2.0, float("nan")]}
    )
    path = tmp_path / "f.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"Q1": {1.0: "滿意", 2.0: "不滿意"}})
    survey = services.import_responses(
        "sav", path.read_bytes(), "f.sav", actor=personas.officer, create=True, title="t"
    ).survey
    assert survey.questions.get(code="Q1").options == {"1": "滿意", "2": "不滿意"}
    assert survey.cases.get(case_id="S3").answers == {}

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["case_id", "disposition", "Q1"])
    wb.active.append(["X1", "1.1", 3])
    buffer = io.BytesIO()
    wb.save(buffer)
    survey = services.import_responses(
        "xlsx", buffer.getvalue(), "f.xlsx", actor=personas.officer, create=True, title="t"
    ).survey
    assert survey.cases.get().answers == {"Q1": "3"}


def test_weighted_response_rates_sum_base_weights(personas):
    data = b"case_id,disposition,base_weight\nA1,1.1,2\nA2,2.11,1\nA3,2.20,1\n"
    survey = services.import_responses(
        "w", data, "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    assert selectors.response_rates(survey)["RR1"] == pytest.approx(1 / 3)
    assert selectors.response_rates(survey, weighted=True)["RR1"] == pytest.approx(2 / 4)


def test_values_longer_than_their_columns_are_row_errors(personas):
    data = ("case_id,disposition,sex\n" + "A" * 61 + ",1.1," + "x" * 21 + "\n").encode()
    with pytest.raises(ImportFailed) as caught:
        services.import_responses("p", data, "f.csv", actor=personas.officer, create=True, title="t")
    assert len(caught.value.errors) == 2
    with pytest.raises(ImportFailed):
        services.import_responses(
            "not a slug!", aapor_csv(), "f.csv", actor=personas.officer, create=True, title="t"
        )
    survey = services.import_responses(
        "p", aapor_csv(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    with pytest.raises(ImportFailed):
        services.load_targets(
            survey, ("variable,category,share\nsex,M,1\n" + "sex," + "F" * 61 + ",0\n").encode(), "t.csv"
        )
