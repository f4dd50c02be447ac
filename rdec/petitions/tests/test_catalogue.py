"""The service catalogue: the shipped file covers the whole city's business, loads all or nothing,
reloads without changes, and never deletes a category cases were filed under."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from rdec.core.models import Agency, AuditEntry
from rdec.petitions import selectors
from rdec.petitions.catalogue import BUNDLED, CatalogueError, load_catalogue, split_terms
from rdec.petitions.deadlines import CATEGORY_RULES
from rdec.petitions.models import Category
from rdec.petitions.reference import BUNDLED as CATEGORIES_JSON
from rdec.petitions.tests.factories import file

pytestmark = pytest.mark.django_db

HEADER = "code,parent,name,name_en,agency,deadline,vocabulary,source\n"


def shipped_rows() -> list[dict]:
    with open(BUNDLED, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(tmp_path, text: str):
    path = tmp_path / "catalogue.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _fresh_leaf_table():
    yield
    selectors.forget_categories()  # the rolled-back catalogue must not stay in the per-process table


def test_the_shipped_catalogue_covers_every_first_level_agency_with_vocabulary():
    rows = shipped_rows()
    leaves = [r for r in rows if r["parent"]]
    assert len(leaves) >= 180
    assert not [code for code, n in Counter(r["code"] for r in rows).items() if n > 1]
    names = set(Agency.objects.values_list("name", flat=True))
    assert {r["agency"] for r in leaves} <= names | {"區公所"}  # by the agency's official name
    for row in leaves:
        assert len(split_terms(row["vocabulary"])) >= 3, row["code"]
        assert row["deadline"] in CATEGORY_RULES, row["code"]
    by_agency = {Agency.objects.get(name=r["agency"]) for r in leaves if r["agency"] != "區公所"}
    covered = {a.code for a in by_agency} | {a.parent.code for a in by_agency if a.parent_id}
    first_level = set(Agency.objects.filter(level=Agency.Level.FIRST).values_list("code", flat=True))
    assert len(first_level) >= 30 and first_level <= covered
    assert "household-registration" in covered  # 戶政事務所
    assert sum(r["agency"] == "區公所" for r in leaves) >= 3  # each case to its district's 區公所


def test_the_1999_categories_keep_their_codes_agencies_and_deadlines():
    """The catalogue's 1999 rows say what categories.json says: existing cases and tests keep working."""
    old = json.loads(CATEGORIES_JSON.read_text(encoding="utf-8"))["categories"]
    before = {c.code: c.pk for c in Category.objects.all()}
    loaded = load_catalogue()
    assert loaded.leaves >= 180 and loaded.deactivated == [] and loaded.deleted == []
    for row in old:
        category = Category.objects.select_related("default_agency", "parent").get(code=row["code"])
        assert category.pk == before[row["code"]] and category.active
        assert category.name == row["name"] and category.sort_order == row["sort_order"]
        assert (category.parent.code if category.parent else None) == row.get("parent")
        if row.get("parent"):
            assert category.default_agency.code == row["agency"]
            assert category.working_days == row.get("working_days", 6)
            assert category.urgent == row.get("urgent", False)
            assert category.ack_hours == row.get("ack_hours")
            assert category.source == "1999" and len(category.vocabulary) >= 3


def test_a_new_leaf_has_its_agency_deadline_rule_and_vocabulary():
    load_catalogue()
    house = Category.objects.select_related("default_agency", "parent").get(code="tax-house")
    assert house.parent.name == "稅務" and house.default_agency.name == "臺中市政府地方稅務局"
    assert house.deadline_rule == "petition" and house.working_days == CATEGORY_RULES["petition"].working_days
    assert "房屋稅" in house.vocabulary and house.source == "陳情"
    terms, agency = selectors.category_vocabulary()
    assert terms[house.pk][0] == "房屋稅" and "囤房稅" in terms[house.pk]
    assert agency[house.pk] == house.default_agency_id
    assert len(terms) == len(agency) == Category.objects.filter(parent__isnull=False, active=True).count()
    assert selectors.leaf_category("tax-house") == house  # intake sees the new leaves at once


def test_a_reload_of_the_same_file_changes_nothing():
    load_catalogue()
    audit_rows = AuditEntry.objects.count()
    again = load_catalogue()
    assert again.created == again.updated == 0 and again.leaves >= 180
    assert AuditEntry.objects.count() == audit_rows


def test_a_bad_row_names_row_and_column_in_chinese_and_changes_nothing(tmp_path):
    rows = BUNDLED.read_text(encoding="utf-8").splitlines()
    # row 3 of the spreadsheet (the header is row 1): an agency that does not exist
    rows[2] = rows[2].replace("臺中市政府建設局", "臺中市政府不存在局")
    path = write(tmp_path, "\n".join(rows) + "\n")
    before = list(Category.objects.values_list("code", "name", "active", "vocabulary").order_by("code"))
    with translation.override("zh-hant"), pytest.raises(CatalogueError) as raised:
        load_catalogue(path)
    assert raised.value.errors == [(3, "agency", raised.value.errors[0][2])]
    assert "第 3 列「agency」欄" in str(raised.value) and "臺中市政府不存在局" in str(raised.value)
    assert "未做任何變更" in str(raised.value)
    assert (
        list(Category.objects.values_list("code", "name", "active", "vocabulary").order_by("code")) == before
    )


def test_every_wrong_cell_is_reported_at_once(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "tax,,稅務,Taxes,,,,\n"
        + "Tax House,tax,房屋稅,,臺中市政府地方稅務局,petition,房屋稅,\n"  # row 3: bad code
        + "tax-land,nowhere,地價稅,,臺中市政府地方稅務局,petition,地價稅,\n"  # row 4: unknown parent
        + "tax-car,tax,牌照稅,,臺中市政府地方稅務局,soon,牌照稅,\n"  # row 5: unknown rule
        + "tax-deed,tax,契稅,,臺中市政府地方稅務局,petition,,\n"  # row 6: no vocabulary
        + "tax-deed,tax,契稅,,臺中市政府地方稅務局,petition,契稅,\n",  # row 7: duplicate code
    )
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(path)
    assert [(r, c) for r, c, _p in raised.value.errors] == [
        (3, "code"),
        (4, "parent"),
        (5, "deadline"),
        (6, "vocabulary"),
        (7, "code"),
    ]
    assert not Category.objects.filter(code__startswith="tax").exists()


def test_the_command_loads_and_reports_a_bad_file(tmp_path, capsys):
    call_command("load_catalogue")
    assert Category.objects.filter(code="labor-wage", active=True).exists()
    path = write(tmp_path, "code,parent,name\nx,,X\n")
    with pytest.raises(CommandError, match="agency"):
        call_command("load_catalogue", str(path))


def test_a_category_left_out_of_the_file_is_deactivated_if_cases_use_it_and_removed_if_not(tmp_path):
    load_catalogue()
    case, _code = file(code="tax-house", subject="房屋稅單金額不對", description="今年房屋稅變很多")
    rows = [
        line
        for line in BUNDLED.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("tax-house,", "tax-deed,"))
    ]
    loaded = load_catalogue(write(tmp_path, "\n".join(rows) + "\n"))
    assert loaded.deactivated == ["tax-house"] and loaded.deleted == ["tax-deed"]
    case.refresh_from_db()
    assert case.category.code == "tax-house" and not case.category.active
    assert selectors.leaf_category("tax-house") is None  # no new case is filed under it
    assert not Category.objects.filter(code="tax-deed").exists()
    # put back: active again, the same row
    loaded = load_catalogue()
    assert Category.objects.get(code="tax-house").active and loaded.created == 1  # tax-deed


def test_a_leaf_cases_use_cannot_become_a_branch(tmp_path):
    file(code="pothole", subject="路面有坑洞", description="機車差點摔倒")
    rows = BUNDLED.read_text(encoding="utf-8").splitlines()
    rows = [
        ",,".join([line.split(",")[0], "路面坑洞,Pothole,,,,1999"]) if line.startswith("pothole,") else line
        for line in rows
    ]
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(write(tmp_path, "\n".join(rows) + "\n"))
    assert ("parent" in [c for _r, c, _p in raised.value.errors]) and Category.objects.get(
        code="pothole"
    ).parent


def test_terms_split_on_the_separators_a_spreadsheet_user_types():
    assert split_terms("房屋稅、地價稅；牌照稅|房屋稅\n契稅") == ["房屋稅", "地價稅", "牌照稅", "契稅"]


def test_a_district_office_category_goes_to_the_office_of_the_cases_district():
    load_catalogue()
    mediation = Category.objects.get(code="district-mediation")
    assert mediation.district_office and mediation.default_agency.code == "civil-affairs"
    case, _code = file(code="district-mediation", subject="車禍調解", description="想申請車禍調解")
    assert case.district.name == "西屯區" and case.agency.name == "臺中市西屯區公所"
    case, _code = file(
        code="district-mediation", subject="調解", description="鄰居糾紛", lat=None, lon=None, address=""
    )
    assert case.district is None and case.agency.code == "civil-affairs"  # no district: 民政局 routes it
    case, _code = file(code="tax-house", subject="房屋稅", description="房屋稅單金額有誤")
    assert case.agency.code == "tax"  # other categories: their default agency wherever the case is
