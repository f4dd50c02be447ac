"""The rules that correct the Taichung agency of the Taipei FAQ questions (data/router-faq-rules.csv,
applied by scripts/build_router_data.py): every rule names a known Taichung agency and a valid
pattern with a reason, the first matching rule of the office wins, and the shipped FAQ data uses only
known agency codes."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from rdec.analytics import routing

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_router_data", ROOT / "scripts/build_router_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_every_rule_names_a_known_agency_and_gives_a_reason(build):
    codes = build.agency_codes()
    rules = build.read_rules(build.RULES)
    assert len(rules) > 20
    for rule in rules:
        assert rule.office and rule.reason.strip(), rule.line
        assert rule.tc_agency == "" or rule.tc_agency in codes, (rule.line, rule.tc_agency)
    # no catch-all rule over every office
    assert not [r for r in rules if r.office == "*" and r.pattern.pattern in (".*", "")]


def test_the_first_matching_rule_of_the_office_wins_and_unmatched_rows_keep_their_agency(build):
    rules = build.read_rules(build.RULES)
    office = "臺北市動物保護處"
    bite = {"office": office, "text": "被野生動物咬傷怎麼辦？", "tc_agency": "農業局"}
    wildlife = {"office": office, "text": "國內對野生動物的保育分級為何？", "tc_agency": "農業局"}
    pets = {"office": office, "text": "如何辦理寵物登記？", "tc_agency": "農業局"}
    assert build.relabel(bite, rules)[0] == "臺中市動物保護防疫處"  # the rabies rule comes first
    assert build.relabel(wildlife, rules)[0] == "農業局"
    assert build.relabel(pets, rules)[0] == "臺中市動物保護防疫處"
    other = {"office": "臺北市政府衛生局", "text": "如何申請成人健檢？", "tc_agency": "衛生局"}
    assert build.relabel(other, rules) == ("衛生局", None)


def test_the_shipped_faq_labels_are_taichung_agency_codes():
    data = json.loads((ROOT / "rdec/core/data/taichung-agencies.json").read_text(encoding="utf-8"))
    known = {a["code"] for a in data["agencies"]}
    with gzip.open(routing.DATA / "router-faq.csv.gz", "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and list(rows[0]) == ["id", "text", "agency"]
    assert {r["agency"] for r in rows} <= known
    assert len({r["id"] for r in rows}) == len(rows)
