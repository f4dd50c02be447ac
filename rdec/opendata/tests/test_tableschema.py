"""Type checking against the declared Table Schema: files with known defects give exactly the
expected errors (row, column, field, value), counts, badge and zh-Hant messages."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from rdec.core.context import acting_as
from rdec.opendata import quality, services, tableschema, vocab
from rdec.opendata.tests.factories import csv_upload, publish

DECLARED = vocab.parse_field_description("區域(行政區名稱)、人口數(設籍人口)、日期(統計日期)")
SCHEMA = {
    "fields": [
        {"name": "區域", "type": "string", "constraints": {"required": True}},
        {"name": "人口數", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "日期", "type": "date"},
    ]
}


def check(text: str, schema=SCHEMA, declared=DECLARED, encoding="UTF-8"):
    return quality.check_file(
        io.BytesIO(text.encode("cp950" if encoding == "BIG5" else "utf-8")),
        format="CSV",
        declared_encoding=encoding,
        declared_fields=declared,
        schema=schema,
    )


def structure_messages(report):
    return {m["code"]: m for m in report.messages if m["indicator"] == "structure"}


def test_a_file_that_follows_its_schema_is_gold():
    report = check("區域,人口數,日期\n北屯區,297000,2026-01-01\n西屯區,233000,2026-01-01\n")
    assert report.indicators["structure"] == 1
    assert report.badge == "gold"
    assert report.messages == []


def test_type_errors_are_reported_by_row_and_column_and_counted():
    text = (
        "區域,人口數,日期\n"
        "北屯區,297000,2026-01-01\n"  # row 2 fine
        "西屯區,約二十萬,2026-01-01\n"  # row 3: not an integer
        "南屯區,180000,2026/01/01\n"  # row 4: not an ISO date
        "東區,75000.5,2026-02-30\n"  # row 5: two errors, not an integer and no 30 February
    )
    report = check(text)
    assert report.indicators["structure"] == 0
    assert report.badge == "bronze"
    message = structure_messages(report)["type-error"]
    assert message["count"] == 4
    assert [(e["row"], e["column"], e["field"], e["value"], e["type"]) for e in message["errors"]] == [
        (3, 2, "人口數", "約二十萬", "integer"),
        (4, 3, "日期", "2026/01/01", "date"),
        (5, 2, "人口數", "75000.5", "integer"),
        (5, 3, "日期", "2026-02-30", "date"),
    ]
    assert report.codes() == ["type-error"]


def test_the_message_names_row_column_field_and_value():
    # In English here; the zh-Hant catalogue (rdec/locale) gives
    # 「1 個儲存格不符合 Table Schema 宣告的型別：第 2 列第 2 欄（人口數）：「約二十萬」不是整數」.
    with translation.override("en"):
        report = check("區域,人口數,日期\n西屯區,約二十萬,2026-01-01\n")
    text = structure_messages(report)["type-error"]["message"]
    assert text == (
        "1 cell does not have the type the Table Schema declares: row 2, column 2 (人口數)："
        "“約二十萬” is not an integer"
    )


def test_constraint_errors_required_and_minimum():
    report = check("區域,人口數,日期\n,297000,2026-01-01\n西屯區,-5,2026-01-01\n")
    message = structure_messages(report)["constraint-error"]
    assert message["count"] == 2
    assert [(e["row"], e["field"], e["constraint"]) for e in message["errors"]] == [
        (2, "區域", "required"),
        (3, "人口數", "minimum"),
    ]
    assert report.indicators["structure"] == 0


def test_enum_maximum_and_missing_values():
    schema = {
        "missingValues": ["", "-"],
        "fields": [
            {"name": "區域", "type": "string", "constraints": {"enum": ["北屯區", "西屯區"]}},
            {"name": "人口數", "type": "integer", "constraints": {"maximum": 300000}},
            {"name": "日期", "type": "date", "format": "%Y/%m/%d"},
        ],
    }
    report = check("區域,人口數,日期\n北屯區,-,2026/01/01\n大安區,300001,2026/1/5\n", schema=schema)
    message = structure_messages(report)["constraint-error"]
    assert [(e["row"], e["field"], e["constraint"]) for e in message["errors"]] == [
        (3, "區域", "enum"),
        (3, "人口數", "maximum"),
    ]
    assert "type-error" not in structure_messages(report)  # "-" is a missing value, 2026/1/5 parses


def test_only_the_first_twenty_are_kept_but_all_are_counted():
    rows = "".join(f"區{n},x{n},2026-01-01\n" for n in range(1, 101))
    report = check("區域,人口數,日期\n" + rows)
    message = structure_messages(report)["type-error"]
    assert message["count"] == 100
    assert len(message["errors"]) == tableschema.MAX_CELL_ERRORS
    assert message["errors"][-1]["row"] == 21
    assert message["message"].startswith("100 ")
    assert message["message"].endswith(" …")


def test_a_schema_field_missing_from_the_file():
    schema = {"fields": [*SCHEMA["fields"], {"name": "面積", "type": "number"}]}
    report = check("區域,人口數,日期\n北屯區,297000,2026-01-01\n", schema=schema)
    assert report.codes() == ["schema-missing-field"]
    assert report.indicators["structure"] == 0


def test_fields_are_matched_by_title_and_short_rows_are_left_to_missing_cell():
    schema = {"fields": [{"name": "population", "title": "人口數", "type": "integer"}]}
    report = check("區域,人口數,日期\n北屯區,abc,2026-01-01\n西屯區\n", schema=schema)
    assert set(structure_messages(report)) == {"type-error", "missing-cell"}
    assert structure_messages(report)["type-error"]["errors"][0]["field"] == "population"


def test_big5_file_is_type_checked_in_its_encoding():
    report = check("區域,人口數,日期\n北屯區,二十萬,2026-01-01\n", encoding="BIG5")
    assert report.encoding == "BIG5"
    assert structure_messages(report)["type-error"]["errors"][0]["value"] == "二十萬"


def test_types_named_in_the_field_description_are_checked_without_a_schema():
    declared = vocab.parse_field_description(
        "區域(行政區名稱)、人口數(設籍人口整數)、日期(統計日期, 西元年月日)"
    )
    report = check("區域,人口數,日期\n北屯區,297000,2026/01/01\n", schema=None, declared=declared)
    assert [(e["field"], e["type"]) for e in structure_messages(report)["type-error"]["errors"]] == [
        ("日期", "date")
    ]
    # Without a type word nothing is type-checked.
    assert check("區域,人口數,日期\n北屯區,很多,昨天\n", schema=None).badge == "gold"


def test_other_types():
    schema = {
        "fields": [
            {"name": "a", "type": "number", "groupChar": ","},
            {"name": "b", "type": "boolean", "trueValues": ["是"], "falseValues": ["否"]},
            {"name": "c", "type": "datetime"},
            {"name": "d", "type": "year"},
            {"name": "e", "type": "yearmonth"},
            {"name": "f", "type": "time"},
            {"name": "g", "type": "geopoint"},
        ]
    }
    header = "a,b,c,d,e,f,g\n"
    good = '"1,234.5",是,2026-01-01T08:00:00,2026,2026-01,08:30:00,whatever\n'
    bad = "1.2.3,1,2026-01-01,115,2026-13,8h,x\n"
    report = check(header + good + bad, schema=schema, declared=[])
    errors = structure_messages(report)["type-error"]["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(3, c) for c in "abcdef"]


def test_unreadable_constraints_are_noted_not_crashing():
    schema = {"fields": [{"name": "人口數", "type": "integer", "constraints": {"minimum": "many"}}]}
    report = check("區域,人口數,日期\n北屯區,297000,2026-01-01\n", schema=schema)
    assert report.codes() == ["schema-invalid"]
    assert report.badge == "gold"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_every_integer_is_an_integer_and_a_number(value):
    assert tableschema._integer({})(str(value)) == value
    assert tableschema._number({})(str(value)) == value


@pytest.mark.django_db
def test_the_resource_schema_is_used_by_the_stored_check(personas):
    dataset = publish(personas.staff, field_description="區域(行政區名稱)、人口數(設籍人口)、日期(統計日期)")
    with acting_as(personas.staff):
        resource = services.add_resource(
            dataset,
            actor=personas.staff,
            description="人口",
            upload=csv_upload("區域,人口數,日期\n北屯區,很多,2026-01-01\n".encode()),
            encoding="UTF-8",
            schema=SCHEMA,
        )
    check = services.check_resource_quality(resource, actor=personas.staff)
    assert check.badge == "bronze"
    assert [m["code"] for m in check.messages] == ["type-error"]
    assert check.messages[0]["errors"][0]["row"] == 2
