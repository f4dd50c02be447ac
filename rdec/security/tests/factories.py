"""Test helpers of 資訊安全: the shipped sample feeds, loaded once into a test's database or read
as pure configurations for the matcher."""

from __future__ import annotations

import functools
from pathlib import Path

from rdec.security import cpe as cpelib
from rdec.security import feeds, matching

DATA = Path(__file__).resolve().parent.parent / "data"
NVD = DATA / "nvd-cve-2.0-sample.json"
CVE5 = DATA / "cve5-records.jsonl"
KEV = DATA / "kev-subset.json"


@functools.cache
def _records() -> dict[str, list[feeds.CveRecord]]:
    found: dict[str, list[feeds.CveRecord]] = {}
    for r in feeds.nvd_records(feeds.load(NVD.read_text(encoding="utf-8"))):
        found.setdefault(r.cve_id, []).append(r)
    for r in feeds.cve5_records(feeds.load(CVE5.read_text(encoding="utf-8"))):
        found.setdefault(r.cve_id, []).append(r)
    return found


def configurations(cve_id: str, *, sources=("nvd", "cna", "adp")) -> list[matching.Configuration]:
    """The real sample's configurations of a CVE, as the matcher takes them."""
    result = []
    for record in _records()[cve_id]:
        for cfg in record.configurations:
            if cfg.source not in sources:
                continue
            nodes = [
                matching.Node(
                    [
                        matching.Criterion(
                            cpe=matching.normalise(cpelib.parse(c.criteria)),
                            vulnerable=c.vulnerable,
                            start_including=c.start_including,
                            start_excluding=c.start_excluding,
                            end_including=c.end_including,
                            end_excluding=c.end_excluding,
                            source=cfg.source,
                        )
                        for c in node.criteria
                    ],
                    operator=node.operator,
                    negate=node.negate,
                )
                for node in cfg.nodes
            ]
            result.append(
                matching.Configuration(nodes, operator=cfg.operator, negate=cfg.negate, source=cfg.source)
            )
    return result


def host(*names: str) -> list[cpelib.Cpe]:
    return [cpelib.parse(n) for n in names]


def check(cve_id: str, *names: str, sources=("nvd",)) -> matching.Outcome:
    return matching.match_cve(configurations(cve_id, sources=sources), host(*names))


def load_sample(*, actor=None):
    from rdec.security import services

    summary = services.ImportSummary()
    for path in (NVD, CVE5, KEV):
        services.import_feed_text(
            path.read_text(encoding="utf-8"), actor=actor, filename=path.name, summary=summary
        )
    return summary
