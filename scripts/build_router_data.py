#!/usr/bin/env python
"""Build the router's shipped training data (rdec/analytics/data/router-*.csv.gz) from the shared copies:

- router-faq.csv.gz: Taipei's FAQ questions (taiwan-city-faq-routing/faq-routing.csv) with the Taichung agency
  code of their `tc_agency`, corrected by the rules of rdec/analytics/data/router-faq-rules.csv (the first
  rule of the row's office whose pattern the question matches gives the Taichung agency; see the file's
  header); rows without a Taichung counterpart, and 區公所 rows, whose office depends on the place, are left
  out. It prints how many labels each rule changed.
- router-kaohsiung.csv.gz: the Kaohsiung 1999 cases of bench/data/kaohsiung-1999.csv.gz that map to an rdec
  category (receipt time, category code, text).

Run once by a developer; the product never reads ../shared.

    .venv/bin/python scripts/build_router_data.py /work/shared/data/taiwan-city-faq-routing/faq-routing.csv
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "rdec/analytics/data"
RULES = OUT / "router-faq-rules.csv"


def agency_codes() -> dict[str, str]:
    """Taichung agency name, short name, name without 臺中市政府/臺中市 and code → code
    (rdec/core/data/taichung-agencies.json)."""
    data = json.loads((ROOT / "rdec/core/data/taichung-agencies.json").read_text(encoding="utf-8"))
    codes: dict[str, str] = {}
    for a in data["agencies"]:
        if a["level"] in ("city", "district_office"):
            continue  # 區公所 rows are left out: the office depends on the place
        for key in (a["code"], a["short_name"], a["name"], re.sub(r"^臺中市(政府)?", "", a["name"])):
            codes.setdefault(key, a["code"])
    return codes


@dataclass
class Rule:
    line: int
    office: str
    pattern: re.Pattern
    tc_agency: str
    reason: str
    changed: int = 0  # labels this rule changed (a row added or left out counts too)


def read_rules(path: Path) -> list[Rule]:
    """The rules file (see its header): lines starting with # are comments."""
    with path.open(encoding="utf-8") as f:
        lines = [(n, line) for n, line in enumerate(f, 1) if not line.startswith("#")]
    rules = []
    for (n, _line), r in zip(lines[1:], csv.DictReader(line for _n, line in lines), strict=True):
        rules.append(Rule(n, r["office"], re.compile(r["pattern"]), r["tc_agency"], r["reason"]))
    return rules


def relabel(row: dict, rules: list[Rule]) -> tuple[str, Rule | None]:
    """The Taichung agency of a source row: the first matching rule of its office, then of *, else its
    own tc_agency."""
    for rule in [r for r in rules if r.office == row["office"]] + [r for r in rules if r.office == "*"]:
        if rule.pattern.search(row["text"]):
            return rule.tc_agency, rule
    return row["tc_agency"], None


def main(faq: str) -> None:
    codes = agency_codes()
    rules = read_rules(RULES)
    for rule in rules:
        if rule.tc_agency and rule.tc_agency not in codes:
            raise SystemExit(f"{RULES.name} line {rule.line}: unknown Taichung agency {rule.tc_agency!r}")
    kept = 0
    offices: set[str] = set()
    with (
        open(faq, encoding="utf-8") as f,
        gzip.open(OUT / "router-faq.csv.gz", "wt", encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(["id", "text", "agency"])
        for r in csv.DictReader(f):
            offices.add(r["office"])
            if not r["text"].strip():
                continue
            before = codes.get(r["tc_agency"], "")
            name, rule = relabel(r, rules)
            code = codes.get(name, "")
            if rule and code != before:
                rule.changed += 1
            if code:
                writer.writerow([r["id"], r["text"].strip(), code])
                kept += 1
    print(f"FAQ: {kept} questions")
    print(f"Rules ({RULES.name}): labels changed")
    for rule in rules:
        print(
            f"  line {rule.line:>3} {rule.office} /{rule.pattern.pattern[:40]}/ → {rule.tc_agency or '(left out)'}: {rule.changed}"
        )
    print(f"  total: {sum(rule.changed for rule in rules)}")
    for rule in rules:
        if rule.office != "*" and rule.office not in offices:
            print(f"  warning: line {rule.line}: no office {rule.office!r} in the source")
    kept = 0
    source = ROOT / "bench/data/kaohsiung-1999.csv.gz"
    with (
        gzip.open(source, "rt", encoding="utf-8") as f,
        gzip.open(OUT / "router-kaohsiung.csv.gz", "wt", encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(["case_no", "received_at", "category", "text"])
        for r in csv.DictReader(f):
            if r["code"]:
                writer.writerow([r["case_no"], r["received_at"][:10], r["code"], r["description"]])
                kept += 1
    print(f"Kaohsiung: {kept} cases")


if __name__ == "__main__":
    main(sys.argv[1])
