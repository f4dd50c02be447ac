"""`rdec import_scores SLUG FILE.csv`: a good file, and a bad row that commits nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from rdec.programs import selectors
from rdec.programs.models import Assignment, Score
from rdec.programs.tests.factories import make_call, reviewer, submit

pytestmark = pytest.mark.django_db

GOOD = """submission,reviewer,criterion,score,conflict
A,r1,structure,80,false
A,r1,method,70,false
A,r1,analysis,90,false
A,r1,conclusions,60,false
A,cousin,structure,,true
B,r1,structure,50,false
B,r1,method,50,false
B,r1,analysis,50,false
B,r1,conclusions,50,false
"""


@pytest.fixture
def call(personas):
    call = make_call(personas.officer)
    submit(call, personas.citizen, "A")
    submit(call, personas.citizen, "B")
    reviewer("r1")
    reviewer("cousin")
    return call


def run(tmp_path, text, *args):
    path = tmp_path / "scores.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import_scores", "innovation-2022", str(path), *args)


def test_a_good_file_is_imported_with_its_conflict(call, tmp_path, capsys):
    run(tmp_path, GOOD)
    ranked = selectors.ranking(call, selectors.default_round(call), names=True)
    assert [(e.reference, e.score, e.rank, e.excluded_reviewers) for e in ranked] == [
        ("A", 74, 1, ["cousin"]),
        ("B", 50, 2, []),
    ]
    assert "9" in capsys.readouterr().out


def test_importing_as_an_officer_checks_permissions(call, personas, tmp_path):
    run(tmp_path, GOOD, "--user", personas.officer.username)
    assert Assignment.objects.count() == 3
    with pytest.raises(Exception):  # noqa: B017,PT011 - PermissionDenied from the service
        run(tmp_path, GOOD, "--user", personas.staff.username)


def test_a_bad_row_commits_nothing_and_errors_name_row_and_column(call, tmp_path, capsys):
    bad = GOOD.replace("B,r1,method,50,false", "B,r1,method,150,false").replace(
        "A,r1,analysis,90", "A,nobody,analysis,90"
    )
    bad += "Z,r1,impact,10,maybe\n"
    with pytest.raises(CommandError):
        run(tmp_path, bad)
    assert len(capsys.readouterr().err.strip().splitlines()) == 7
    assert not Score.objects.exists()
    assert not Assignment.objects.exists()


def test_errors_are_reported_by_row_and_column(call):
    from rdec.programs import score_import

    bad = GOOD.replace("B,r1,method,50,false", "B,r1,method,150,false") + "Z,r1,impact,10,maybe\n"
    with pytest.raises(score_import.ImportFailed) as exc:
        from django.utils import translation

        with translation.override("en"):
            score_import.import_scores(bad.encode(), call)
    assert exc.value.errors[:4] == [
        "row 8, column score: a number from 0 to 100 (at most 2 decimals).",
        "row 11, column submission: no submission with this reference in this call.",
        "row 11, column criterion: not a criterion of the rubric in use.",
        "row 11, column conflict: write true or false.",
    ]
    assert exc.value.errors[4].startswith("row 7, column criterion: r1 did not score method for B")
    assert not Score.objects.exists()


def test_a_reviewer_missing_a_criterion_is_an_error(call):
    from rdec.programs import score_import

    incomplete = "\n".join(line for line in GOOD.splitlines() if "B,r1,analysis" not in line) + "\n"
    with pytest.raises(score_import.ImportFailed):
        score_import.import_scores(incomplete.encode(), call)
    assert not Score.objects.exists()


def test_a_missing_column_is_an_error(call):
    from rdec.programs import score_import

    with pytest.raises(score_import.ImportFailed) as exc:
        score_import.import_scores(b"submission,reviewer,score\nA,r1,80\n", call)
    assert len(exc.value.errors) == 1
