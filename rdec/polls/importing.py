"""Reading a fieldwork file (CSV in UTF-8 or Big5, .xlsx, or SPSS .sav) into checked case rows.

One row per case: `case_id`, `frame`, `district`, `disposition` (the detailed AAPOR code), `sex`,
`age_band`, `education`, optional `base_weight`, the answers `Q1`, `Q2`, … (empty for non-completes)
and any other column as a further weighting variable. Columns that look like phone numbers (by their
name or their values) are dropped and never stored. Every problem is collected by row and column; the
caller imports all or nothing."""

from __future__ import annotations

import math
import os
import re
import tempfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from rdec.core.tabular import ImportFailed, UnreadableFile, iter_rows
from rdec.polls import formulas
from rdec.polls.population import district_name

REQUIRED = ("case_id", "disposition")
# the longest value each stored column takes (rdec.polls.models.Case)
LIMITS = {
    "case_id": 60,
    "frame": 40,
    "district": 20,
    "disposition": 10,
    "sex": 20,
    "age_band": 20,
    "education": 40,
}
KNOWN = ("case_id", "frame", "district", "disposition", "sex", "age_band", "education", "base_weight")
QUESTION = re.compile(r"^Q\d+[A-Za-z0-9_]*$", re.IGNORECASE)
PHONE_NAME = re.compile(r"phone|tel|mobile|cell|電話|手機|號碼|门号|門號", re.IGNORECASE)
PHONE_VALUE = re.compile(r"^(\+?886[-\s]?|0)\d{1,3}[-\s]?\d{3,4}[-\s]?\d{3,4}$")


@dataclass
class Fieldwork:
    rows: list[dict] = field(default_factory=list)
    questions: dict[str, dict[str, str]] = field(default_factory=dict)  # code → {answer code: label}
    extra_columns: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value).strip()


def _read_sav(data: bytes) -> tuple[list[list], dict[str, dict[str, str]]]:
    import pyreadstat

    with tempfile.NamedTemporaryFile(suffix=".sav", delete=False) as tmp:
        tmp.write(data)
        path = tmp.name
    try:
        df, meta = pyreadstat.read_sav(path)
    except Exception as exc:  # pyreadstat raises its own kinds for a damaged file
        raise UnreadableFile(_("The SPSS file cannot be read (%(error)s).") % {"error": exc}) from exc
    finally:
        os.unlink(path)
    labels = {
        str(column): {_text(k): str(v) for k, v in values.items()}
        for column, values in (meta.variable_value_labels or {}).items()
    }
    rows = [list(map(str, df.columns))]
    rows.extend([_text(v) for v in record] for record in df.itertuples(index=False, name=None))
    return rows, labels


def _looks_like_phone(values: list[str]) -> bool:
    filled = [v for v in values if v]
    if not filled:
        return False
    hits = sum(1 for v in filled if PHONE_VALUE.match(v.replace("(", "").replace(")", "")))
    return hits * 2 >= len(filled)


def _error(row: int, column: str, message: str) -> str:
    return _("Row %(row)s, column %(column)s: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


def code_ranges(codes: list[str]) -> str:
    """Answer codes for people: runs of consecutive integers as 1–3, the others listed (1–2, 5, 9)."""
    parts: list[str] = []
    run: list[int] = []

    def close():
        if run:
            parts.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
            run.clear()

    for code in codes:
        if code.isdigit() and run and int(code) == run[-1] + 1:
            run.append(int(code))
        elif code.isdigit():
            close()
            run.append(int(code))
        else:
            close()
            parts.append(code)
    close()
    return ", ".join(parts)


def filter_text(question: str, codes: list[str]) -> str:
    """「those who answered 1–2 to Q2」: who a filter opens a question to."""
    return _("those who answered %(codes)s to %(question)s") % {
        "codes": code_ranges(list(codes)),
        "question": question,
    }


def read_fieldwork(
    data: bytes, filename: str = "", *, filters: dict[str, tuple[str, list[str]]] | None = None
) -> Fieldwork:
    """The checked rows of a fieldwork file, or ImportFailed listing every problem.

    `filters` (the poll's skip logic): {question: (the question it depends on, the codes that open
    it)}; an answer to a question its filter skips is an error of that row and column. An opened
    question left empty is allowed (item nonresponse)."""
    filters = filters or {}
    labels: dict[str, dict[str, str]] = {}
    try:
        if filename.lower().endswith(".sav") or data[:4] == b"$FL2" or data[:4] == b"$FL3":
            table, labels = _read_sav(data)
        else:
            table = [
                [_text(v) if not isinstance(v, str) else v.strip() for v in row]
                for row in iter_rows(data, filename)
            ]
    except UnreadableFile as exc:
        raise ImportFailed([exc.message]) from exc
    table = [row for row in table if any(v not in ("", None) for v in row)]
    if not table:
        raise ImportFailed([_("The file is empty.")])
    header = [str(h).strip() for h in table[0]]
    names = [h.lower() if h.lower() in KNOWN else h for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ImportFailed([_("Row 1: missing column(s) %(columns)s.") % {"columns": ", ".join(missing)}])
    body = [
        [str(v) if v is not None else "" for v in row] + [""] * (len(names) - len(row)) for row in table[1:]
    ]

    result = Fieldwork()
    keep = []
    for i, name in enumerate(names):
        if not name:
            continue
        column = [row[i] for row in body]
        if name not in KNOWN and (PHONE_NAME.search(name) or _looks_like_phone(column)):
            result.dropped.append(name)
            continue
        keep.append((i, name))
    duplicates = sorted({n for _i, n in keep if [m for _j, m in keep].count(n) > 1})
    if duplicates:
        raise ImportFailed([_("Row 1: repeated column(s) %(columns)s.") % {"columns": ", ".join(duplicates)}])
    questions = [n for _i, n in keep if QUESTION.match(n)]
    too_long = [q for q in questions if len(q) > 40]
    if too_long:
        raise ImportFailed(
            [
                _("Row 1: column name(s) %(columns)s are longer than 40 characters.")
                % {"columns": ", ".join(too_long)}
            ]
        )
    result.extra_columns = [n for _i, n in keep if n not in KNOWN and n not in questions]
    result.questions = {q: {} for q in questions}

    errors: list[str] = []
    seen: dict[str, int] = {}
    for offset, raw in enumerate(body):
        line = offset + 2
        values = {name: raw[i].strip() for i, name in keep}
        case_id = values.get("case_id", "")
        if not case_id:
            errors.append(_error(line, "case_id", _("the case id is empty.")))
        elif case_id in seen:
            errors.append(
                _error(
                    line,
                    "case_id",
                    _("the case id %(id)s is already on row %(row)s.")
                    % {"id": case_id, "row": seen[case_id]},
                )
            )
        else:
            seen[case_id] = line
        for column, limit in LIMITS.items():
            if len(values.get(column, "")) > limit:
                errors.append(_error(line, column, _("longer than %(limit)s characters.") % {"limit": limit}))
        code = values.get("disposition", "")
        outcome = ""
        try:
            outcome = formulas.disposition_group(code)
        except formulas.PollError:
            errors.append(
                _error(
                    line,
                    "disposition",
                    _("%(code)s is not an AAPOR disposition code (e.g. 1.1, 2.11, 3.20, 4.10).")
                    % {"code": code or "—"},
                )
            )
        district = values.get("district", "")
        if district:
            name = district_name(district)
            if name is None:
                errors.append(
                    _error(
                        line, "district", _("%(value)s is not a district of the city.") % {"value": district}
                    )
                )
            else:
                district = name
        base_weight = None
        if values.get("base_weight"):
            try:
                base_weight = float(values["base_weight"])
                if not math.isfinite(base_weight) or base_weight <= 0:
                    raise ValueError
            except ValueError:
                errors.append(
                    _error(line, "base_weight", _("the base weight must be a number greater than 0."))
                )
        answers = {q: values[q] for q in questions if values.get(q, "") != ""}
        if answers and outcome and outcome not in ("I", "P"):
            errors.append(
                _error(
                    line,
                    next(iter(answers)),
                    _("a case with disposition %(code)s (not a complete or partial interview) has answers.")
                    % {"code": code},
                )
            )
        if outcome in ("I", "P"):
            for q in answers:
                if q not in filters:
                    continue
                depends, codes = filters[q]
                if values.get(depends, "") not in codes:
                    errors.append(
                        _error(
                            line,
                            q,
                            _(
                                "%(question)s is asked only of %(who)s; this case's answer to %(depends)s is %(value)s, so %(question)s must be empty."
                            )
                            % {
                                "question": q,
                                "who": filter_text(depends, codes),
                                "depends": depends,
                                "value": values.get(depends, "") or _("empty"),
                            },
                        )
                    )
        for q, a in answers.items():
            result.questions[q].setdefault(a, labels.get(q, {}).get(a, a))
        result.rows.append(
            {
                "case_id": case_id,
                "frame": values.get("frame", ""),
                "district": district,
                "disposition": code,
                "outcome": outcome,
                "sex": values.get("sex", ""),
                "age_band": values.get("age_band", ""),
                "education": values.get("education", ""),
                "base_weight": base_weight,
                "extra": {c: values.get(c, "") for c in result.extra_columns},
                "answers": answers,
            }
        )
    if not body:
        errors.append(_("The file has no cases."))
    if errors:
        raise ImportFailed(errors)
    for q in result.questions:
        result.questions[q] = dict(sorted(result.questions[q].items(), key=lambda kv: _sort_key(kv[0])))
    return result


def _sort_key(code: str):
    try:
        return (0, float(code), code)
    except ValueError:
        return (1, 0.0, code)


def read_targets(data: bytes, filename: str = "") -> list[dict]:
    """The rows of a targets file: variable, category, share [, vintage, source]."""
    try:
        table = [
            [_text(v) if not isinstance(v, str) else v.strip() for v in row]
            for row in iter_rows(data, filename)
        ]
    except UnreadableFile as exc:
        raise ImportFailed([exc.message]) from exc
    table = [row for row in table if any(v not in ("", None) for v in row)]
    if not table:
        raise ImportFailed([_("The file is empty.")])
    header = [str(h).strip().lower() for h in table[0]]
    missing = [c for c in ("variable", "category", "share") if c not in header]
    if missing:
        raise ImportFailed([_("Row 1: missing column(s) %(columns)s.") % {"columns": ", ".join(missing)}])
    rows, errors = [], []
    for offset, raw in enumerate(table[1:]):
        line = offset + 2
        values = dict(zip(header, [str(v) for v in raw] + [""] * (len(header) - len(raw)), strict=False))
        for column in ("variable", "category"):
            if not values.get(column):
                errors.append(_error(line, column, _("this cell is empty.")))
        for column, limit in (("variable", 40), ("category", 60), ("vintage", 40), ("source", 300)):
            if len(values.get(column, "")) > limit:
                errors.append(_error(line, column, _("longer than %(limit)s characters.") % {"limit": limit}))
        try:
            share = float(values.get("share", "").rstrip("%")) / (
                100 if values.get("share", "").endswith("%") else 1
            )
            if not math.isfinite(share) or share < 0:
                raise ValueError
        except ValueError:
            errors.append(_error(line, "share", _("the share must be a number from 0 to 1.")))
            continue
        rows.append(
            {
                "line": line,
                "variable": values.get("variable", ""),
                "category": values.get("category", ""),
                "share": share,
                "vintage": values.get("vintage", ""),
                "source": values.get("source", ""),
            }
        )
    if errors:
        raise ImportFailed(errors)
    return rows
