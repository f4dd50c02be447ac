"""Reading the vulnerability feeds into plain records, without Django: NVD CVE API 2.0 responses,
CVE JSON 5 records (one per line, a JSONL file, or one record per file) and CISA's KEV catalog.
`detect()` tells the three apart by their shape.

A CVE JSON 5 `affected` entry becomes a configuration of its own: its CPE names (the CNA's `cpes`,
or the vendor and product mapped through PRODUCT_NAMES for CNAs that give none, or CISA-ADP's
`affected[].cpes`) with the version of each taken from the entry's `versions[]` (`version` as the
start, `lessThan`/`lessThanOrEqual` as the end; a lone `version` is that version exactly). Only
`status: affected` entries are read; an entry `defaultStatus: affected` listing `unaffected`
versions is not modelled (no criteria come from it) — the NVD's configurations cover those CVEs.

CVSS: every metric of every source is kept; the one shown is the NVD's Primary metric (v3.1, then
v3.0, v4.0, v2), else the CNA's (its own CVE record's container first, then the NVD's Secondary
copy of it), else CISA-ADP's. Its base score and severity band are computed from the vector
by the `cvss` package (FIRST's formulas), never taken from a feed's own label; temporal parts of
a vector (Microsoft's `E:U/RL:O/RC:C`) give the temporal score, shown apart.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from rdec.security import cpe as cpelib
from rdec.security.matching import normalise

# CVE JSON 5 CNAs that name products in words, not CPE: (vendor, product) lower-cased → CPE vendor, product
PRODUCT_NAMES: dict[tuple[str, str], tuple[str, str]] = {
    ("apache software foundation", "apache http server"): ("apache", "http_server"),
    ("apache software foundation", "apache tomcat"): ("apache", "tomcat"),
    ("apache software foundation", "apache tomcat connectors"): ("apache", "tomcat_connectors"),
    ("php group", "php"): ("php", "php"),
    ("openssl", "openssl"): ("openssl", "openssl"),
}
CVSS_VERSIONS = ("3.1", "3.0", "4.0", "2.0")
NVD_METRIC_KEYS = {
    "cvssMetricV31": "3.1",
    "cvssMetricV30": "3.0",
    "cvssMetricV40": "4.0",
    "cvssMetricV2": "2.0",
}
CVE5_METRIC_KEYS = {"cvssV3_1": "3.1", "cvssV3_0": "3.0", "cvssV4_0": "4.0", "cvssV2_0": "2.0"}
OPEN_START = {"", "0", "*", "-", "n/a", "unspecified"}


class FeedError(ValueError):
    pass


@dataclass
class CriterionRecord:
    criteria: str
    vulnerable: bool = True
    start_including: str = ""
    start_excluding: str = ""
    end_including: str = ""
    end_excluding: str = ""
    match_criteria_id: str = ""


@dataclass
class NodeRecord:
    criteria: list[CriterionRecord]
    operator: str = "OR"
    negate: bool = False


@dataclass
class ConfigurationRecord:
    nodes: list[NodeRecord]
    source: str = "nvd"
    operator: str = ""
    negate: bool = False


@dataclass
class CveRecord:
    cve_id: str
    feed: str  # "nvd" or "cve5"
    modified: datetime.datetime | None
    published: datetime.datetime | None = None
    title: str = ""
    descriptions: dict[str, str] = field(default_factory=dict)
    vuln_status: str = ""
    metrics: list[dict] = field(default_factory=list)
    configurations: list[ConfigurationRecord] = field(default_factory=list)
    kev_added: datetime.date | None = None
    kev_due: datetime.date | None = None


@dataclass
class KevRecord:
    cve_id: str
    vendor_project: str
    product: str
    name: str
    date_added: datetime.date
    due_date: datetime.date
    known_ransomware_use: str
    required_action: str
    notes: str


def parse_datetime(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    text = text.strip().replace("Z", "+00:00")
    value = datetime.datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)  # NVD's timestamps are UTC without an offset
    return value


def parse_date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text[:10]) if text else None


def detect(data) -> str:
    """ "nvd", "cve5" or "kev" for a parsed JSON document (a list of documents: JSONL → "cve5")."""
    if isinstance(data, list):
        return "cve5"
    if isinstance(data, dict):
        if "cveMetadata" in data:
            return "cve5"
        vulns = data.get("vulnerabilities")
        if isinstance(vulns, list):
            first = vulns[0] if vulns else {}
            if isinstance(first, dict) and "cveID" in first:
                return "kev"
            if isinstance(first, dict) and "cve" in first:
                return "nvd"
            if "catalogVersion" in data:
                return "kev"
            if data.get("format") == "NVD_CVE":
                return "nvd"
    raise FeedError("unknown_format")


def load(text: str):
    """A feed file's text as parsed JSON: one document, or a list of JSONL documents."""
    text = text.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                documents.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise FeedError(f"line {number}: {exc.msg}") from exc
    return documents


# --- CVSS ------------------------------------------------------------------------------------------


def score(vector: str, version: str) -> tuple[float | None, float | None, str]:
    """(base score, temporal score or None, severity code) computed from the vector by `cvss`."""
    from cvss import CVSS2, CVSS3, CVSS4

    try:
        if version.startswith("3"):
            c = CVSS3(vector)
            base, temporal, _env = c.scores()
            severity = c.severities()[0].lower()
            return float(base), (float(temporal) if temporal != base else None), severity
        if version.startswith("4"):
            c = CVSS4(vector)
            return float(c.base_score), None, c.severity.lower()
        c = CVSS2(vector)
        base = float(c.scores()[0])
        return base, None, c.severities()[0].lower()
    except Exception:  # noqa: BLE001 — the cvss package raises its own errors for bad vectors
        return None, None, ""


def choose_metric(metrics: list[dict]) -> dict | None:
    """The metric to show: NVD Primary, else the CNA's, else CISA-ADP's; newest CVSS version first
    within each (3.1, 3.0, 4.0, 2.0)."""

    def rank(m):
        kind = {"Primary": 0, "CNA": 1, "Secondary": 2, "ADP": 3}.get(m.get("type"), 4)
        return (kind, CVSS_VERSIONS.index(m["version"]) if m["version"] in CVSS_VERSIONS else 9)

    usable = [m for m in metrics if m.get("vector")]
    return min(usable, key=rank) if usable else None


# --- NVD API 2.0 -------------------------------------------------------------------------------------


def _nvd_criterion(match: dict) -> CriterionRecord:
    return CriterionRecord(
        criteria=match["criteria"],
        vulnerable=bool(match.get("vulnerable", True)),
        start_including=match.get("versionStartIncluding", ""),
        start_excluding=match.get("versionStartExcluding", ""),
        end_including=match.get("versionEndIncluding", ""),
        end_excluding=match.get("versionEndExcluding", ""),
        match_criteria_id=match.get("matchCriteriaId", ""),
    )


def nvd_records(data: dict) -> list[CveRecord]:
    records = []
    for item in data.get("vulnerabilities", []):
        c = item["cve"]
        metrics = []
        for key, version in NVD_METRIC_KEYS.items():
            for m in c.get("metrics", {}).get(key, []):
                d = m.get("cvssData", {})
                metrics.append(
                    {
                        "source": m.get("source", ""),
                        "type": m.get("type", ""),
                        "version": version,
                        "vector": d.get("vectorString", ""),
                        "feed": "nvd",
                    }
                )
        configurations = [
            ConfigurationRecord(
                nodes=[
                    NodeRecord(
                        [_nvd_criterion(m) for m in node.get("cpeMatch", [])],
                        operator=node.get("operator", "OR") or "OR",
                        negate=bool(node.get("negate", False)),
                    )
                    for node in cfg.get("nodes", [])
                ],
                source="nvd",
                operator=cfg.get("operator", "") or "",
                negate=bool(cfg.get("negate", False)),
            )
            for cfg in c.get("configurations", [])
        ]
        records.append(
            CveRecord(
                cve_id=c["id"],
                feed="nvd",
                modified=parse_datetime(c.get("lastModified")),
                published=parse_datetime(c.get("published")),
                title=c.get("cisaVulnerabilityName", ""),
                descriptions=_descriptions(c.get("descriptions", [])),
                vuln_status=c.get("vulnStatus", ""),
                metrics=metrics,
                configurations=configurations,
                kev_added=parse_date(c.get("cisaExploitAdd")),
                kev_due=parse_date(c.get("cisaActionDue")),
            )
        )
    return records


def _descriptions(items: list[dict]) -> dict[str, str]:
    found: dict[str, str] = {}
    for d in items:
        lang = (d.get("lang") or "").lower()
        key = "zh" if lang.startswith("zh") else "en" if lang.startswith("en") else ""
        if key and key not in found:
            found[key] = d.get("value", "").strip()
    return found


# --- CVE JSON 5 ------------------------------------------------------------------------------------


def _version_criteria(cpe_names: list[str], versions: list[dict]) -> list[CriterionRecord]:
    criteria = []
    for name in cpe_names:
        try:
            parsed = normalise(cpelib.parse(name))
        except cpelib.CpeError:
            continue
        affected = [v for v in versions if v.get("status") == "affected"]
        if not versions:
            # a CPE without version list: the name as given
            criteria.append(CriterionRecord(str(parsed)))
            continue
        for v in affected:
            start = (v.get("version") or "").strip()
            less, less_eq = v.get("lessThan", ""), v.get("lessThanOrEqual", "")
            if less in ("*",) or less_eq in ("*",):
                less = less_eq = ""
                open_end = True
            else:
                open_end = False
            if less or less_eq or open_end:
                criteria.append(
                    CriterionRecord(
                        str(parsed.with_version(cpelib.ANY)),
                        start_including="" if start.lower() in OPEN_START else start,
                        end_excluding=less,
                        end_including=less_eq,
                    )
                )
            elif start.lower() not in OPEN_START:
                criteria.append(CriterionRecord(str(parsed.with_version(cpelib.format_value(start)))))
    return criteria


def _affected_configurations(affected: list[dict], source: str) -> list[ConfigurationRecord]:
    configurations = []
    for entry in affected:
        names = list(entry.get("cpes") or [])
        if not names:
            mapped = PRODUCT_NAMES.get(
                ((entry.get("vendor") or "").lower(), (entry.get("product") or "").lower())
            )
            if mapped is None:
                continue
            names = [f"cpe:2.3:a:{mapped[0]}:{mapped[1]}:*:*:*:*:*:*:*:*"]
        criteria = _version_criteria(names, entry.get("versions") or [])
        if criteria:
            configurations.append(ConfigurationRecord([NodeRecord(criteria)], source=source))
    return configurations


def cve5_record(doc: dict) -> CveRecord | None:
    meta = doc.get("cveMetadata") or {}
    if meta.get("state") != "PUBLISHED":
        return None
    containers = doc.get("containers") or {}
    cna = containers.get("cna") or {}
    metrics = []
    for container, kind in [(cna, "CNA")] + [(adp, "ADP") for adp in containers.get("adp") or []]:
        provider = (container.get("providerMetadata") or {}).get("shortName", "")
        for m in container.get("metrics") or []:
            for key, version in CVE5_METRIC_KEYS.items():
                if key in m:
                    metrics.append(
                        {
                            "source": provider,
                            "type": kind,
                            "version": version,
                            "vector": m[key].get("vectorString", ""),
                            "feed": "cve5",
                        }
                    )
    configurations = _affected_configurations(cna.get("affected") or [], "cna")
    for adp in containers.get("adp") or []:
        configurations += _affected_configurations(
            [a for a in adp.get("affected") or [] if a.get("cpes")], "adp"
        )
    return CveRecord(
        cve_id=meta["cveId"],
        feed="cve5",
        modified=parse_datetime(meta.get("dateUpdated")),
        published=parse_datetime(meta.get("datePublished")),
        title=cna.get("title", ""),
        descriptions=_descriptions(cna.get("descriptions") or []),
        metrics=metrics,
        configurations=configurations,
    )


def cve5_records(data) -> list[CveRecord]:
    documents = data if isinstance(data, list) else [data]
    return [r for r in (cve5_record(d) for d in documents) if r is not None]


# --- KEV -------------------------------------------------------------------------------------------


def kev_records(data: dict) -> list[KevRecord]:
    return [
        KevRecord(
            cve_id=v["cveID"],
            vendor_project=v.get("vendorProject", ""),
            product=v.get("product", ""),
            name=v.get("vulnerabilityName", ""),
            date_added=parse_date(v["dateAdded"]),
            due_date=parse_date(v["dueDate"]),
            known_ransomware_use=v.get("knownRansomwareCampaignUse", ""),
            required_action=v.get("requiredAction", ""),
            notes=v.get("notes", ""),
        )
        for v in data.get("vulnerabilities", [])
    ]
