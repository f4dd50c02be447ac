"""Does a host's inventory match a CVE's configurations? A pure module (no Django): the CVE's
configurations and the host's CPE names in, a three-valued answer out — vulnerable, not
vulnerable, or **indeterminate** with the reasons (the inventory is too vague to decide), never a
silent guess either way (research A6).

Rules:
1. A criterion (`cpeMatch`) against one inventory CPE, attribute by attribute (cpe.compare, NISTIR
   7696): any DISJOINT → no; the criterion covering the value (EQUAL/SUPERSET) on all → yes; an
   inventory value wider than the criterion (`*` where the CVE names `sp1`, `x64`, `lts`, a
   version) → indeterminate, naming the attribute.
2. Version: with `versionStart/EndIncluding/Excluding` bounds the inventory version is placed by
   rdec.security.versions; `*` or `-` there, or a pair that cannot be ordered (`r2` against
   `6.2.9200.25031`), is indeterminate. Without bounds, equal versions (in the version order)
   match. A criterion whose version is `-` (NVD's way of naming a release as a whole, e.g.
   `windows_10_1507:-`) against an inventory that gives a build: as a *platform* entry
   (`vulnerable: false`) the platform is present; as a vulnerable entry it is indeterminate (the
   criterion cannot place the build).
3. A node is the OR (or AND) of its criteria, `negate` flips it. A configuration without operator
   (or OR) is the OR of its nodes and needs a vulnerable criterion hit; `operator: AND` needs
   every node satisfied by some CPE of the **same host** (platform entries included) and at least
   one vulnerable hit. Logic is Kleene's three-valued one: an AND with a definite "no" is "no"
   whatever is unknown; an OR with a definite "yes" is "yes".
4. A CVE is vulnerable when any configuration is, else indeterminate when any is, else not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from rdec.security import versions
from rdec.security.cpe import ANY, ATTRIBUTES, NA, Cpe, Relation, compare, has_wildcard

# Vendor and product names that differ between sources (research A6): the NVD's names win.
ALIASES: dict[tuple[str, str], tuple[str, str]] = {
    ("php_group", "php"): ("php", "php"),
    ("apache_software_foundation", "http_server"): ("apache", "http_server"),
    ("apache_software_foundation", "apache_http_server"): ("apache", "http_server"),
    ("apache", "apache_http_server"): ("apache", "http_server"),
    ("apache_software_foundation", "tomcat"): ("apache", "tomcat"),
    ("apache_software_foundation", "apache_tomcat"): ("apache", "tomcat"),
    ("apache", "apache_tomcat"): ("apache", "tomcat"),
}


def normalise(cpe: Cpe) -> Cpe:
    """The CPE with the vendor and product the NVD uses."""
    alias = ALIASES.get((cpe.vendor, cpe.product))
    if alias is None:
        return cpe
    values = dict(zip(ATTRIBUTES, cpe.values(), strict=True))
    values["vendor"], values["product"] = alias
    return Cpe(**values)


class Truth(Enum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reason:
    """Why a pair could not be decided: `code` (see REASON_CODES), the attribute concerned, the
    inventory CPE and the criterion."""

    code: str
    attribute: str
    asset_cpe: str
    criterion: str


REASON_CODES = (
    "attribute_any",  # the inventory gives `*` where the CVE names a value
    "attribute_wildcard",  # the inventory value holds a wildcard
    "version_missing",  # `*` version against a range or a specific version
    "version_na",  # `-` version against a range
    "version_incomparable",  # the versions cannot be ordered (r2 against 6.2.9200.25031)
    "release_without_version",  # the CVE names the release (`-`), the inventory a build
)


@dataclass(frozen=True)
class Criterion:
    cpe: Cpe
    vulnerable: bool = True
    start_including: str = ""
    start_excluding: str = ""
    end_including: str = ""
    end_excluding: str = ""
    source: str = "nvd"
    ref: object = None  # the caller's handle (a database id)

    @property
    def has_range(self) -> bool:
        return bool(self.start_including or self.start_excluding or self.end_including or self.end_excluding)


@dataclass(frozen=True)
class Node:
    criteria: Sequence[Criterion]
    operator: str = "OR"
    negate: bool = False


@dataclass(frozen=True)
class Configuration:
    nodes: Sequence[Node]
    operator: str = ""  # "" or "OR": any node; "AND": every node
    negate: bool = False
    source: str = "nvd"


@dataclass
class Outcome:
    truth: Truth
    hits: list[tuple[str, Criterion]] = field(default_factory=list)  # (inventory CPE, criterion)
    reasons: list[Reason] = field(default_factory=list)

    @property
    def vulnerable(self) -> bool:
        return self.truth is Truth.YES


def _and(values: Iterable[Truth]) -> Truth:
    result = Truth.YES
    for v in values:
        if v is Truth.NO:
            return Truth.NO
        if v is Truth.UNKNOWN:
            result = Truth.UNKNOWN
    return result


def _or(values: Iterable[Truth]) -> Truth:
    result = Truth.NO
    for v in values:
        if v is Truth.YES:
            return Truth.YES
        if v is Truth.UNKNOWN:
            result = Truth.UNKNOWN
    return result


def _not(value: Truth) -> Truth:
    return {Truth.YES: Truth.NO, Truth.NO: Truth.YES}.get(value, Truth.UNKNOWN)


def _version(criterion: Criterion, asset: Cpe) -> tuple[Truth, str]:
    cv, av = criterion.cpe.version, asset.version
    if criterion.has_range:
        if cv not in (ANY, NA):
            rel = compare(cv, av)
            if rel is Relation.DISJOINT:
                return Truth.NO, ""
        if av == ANY:
            return Truth.UNKNOWN, "version_missing"
        if av == NA:
            return Truth.UNKNOWN, "version_na"
        if has_wildcard(av):
            return Truth.UNKNOWN, "attribute_wildcard"
        plain = asset.plain("version")
        try:
            inside = versions.in_range(
                plain,
                start_including=criterion.start_including,
                start_excluding=criterion.start_excluding,
                end_including=criterion.end_including,
                end_excluding=criterion.end_excluding,
            )
        except versions.IncomparableVersions:
            return Truth.UNKNOWN, "version_incomparable"
        return (Truth.YES if inside else Truth.NO), ""
    if (
        cv == NA
        and av not in (ANY, NA)
        and not has_wildcard(av)
        and versions.starts_with_number(asset.plain("version"))
    ):
        # the CVE names the release as a whole (`-`), the inventory gives its build (a number;
        # a label such as `r2` names another release and is simply different)
        if not criterion.vulnerable:
            return Truth.YES, ""  # the platform (the release) is present, whatever its build
        return Truth.UNKNOWN, "release_without_version"
    rel = compare(cv, av)
    if rel in (Relation.EQUAL, Relation.SUPERSET):
        return Truth.YES, ""
    if rel is Relation.SUBSET:
        return Truth.UNKNOWN, "version_missing"
    if rel is Relation.UNDEFINED:
        return Truth.UNKNOWN, "attribute_wildcard"
    # two specific versions that differ as strings may still be the same version (2.4.049)
    a, b = criterion.cpe.plain("version"), asset.plain("version")
    if cv not in (ANY, NA) and av not in (ANY, NA) and versions.comparable(a, b):
        return (Truth.YES if versions.compare(a, b) == 0 else Truth.NO), ""
    return Truth.NO, ""


def match_one(criterion: Criterion, asset: Cpe) -> tuple[Truth, Reason | None]:
    """One criterion against one inventory CPE."""
    unknown: Reason | None = None
    for attribute in ATTRIBUTES:
        if attribute == "version":
            continue
        rel = compare(getattr(criterion.cpe, attribute), getattr(asset, attribute))
        if rel is Relation.DISJOINT:
            return Truth.NO, None
        if rel in (Relation.SUBSET, Relation.UNDEFINED) and unknown is None:
            code = "attribute_any" if rel is Relation.SUBSET else "attribute_wildcard"
            unknown = Reason(code, attribute, str(asset), str(criterion.cpe))
    truth, code = _version(criterion, asset)
    if truth is Truth.NO:
        return Truth.NO, None
    if unknown is not None:
        return Truth.UNKNOWN, unknown
    if truth is Truth.UNKNOWN:
        return Truth.UNKNOWN, Reason(code, "version", str(asset), str(criterion.cpe))
    return Truth.YES, None


@dataclass
class _NodeResult:
    present: Truth
    vulnerable: Truth
    hits: list[tuple[str, Criterion]]
    reasons: list[Reason]


def _criterion_on_host(criterion: Criterion, host: Sequence[Cpe]):
    truths, hits, reasons = [], [], []
    for asset in host:
        truth, reason = match_one(criterion, asset)
        truths.append(truth)
        if truth is Truth.YES:
            hits.append((str(asset), criterion))
        elif reason is not None:
            reasons.append(reason)
    return _or(truths), hits, reasons


def _node(node: Node, host: Sequence[Cpe]) -> _NodeResult:
    present, vulnerable, hits, reasons = [], [], [], []
    for criterion in node.criteria:
        truth, found, why = _criterion_on_host(criterion, host)
        present.append(truth)
        vulnerable.append(truth if criterion.vulnerable else Truth.NO)
        hits.extend(found)
        reasons.extend(why)
    if node.operator.upper() == "AND":
        p = _and(present)
        v = _and([p, _or(vulnerable)])  # satisfied, and naming a vulnerable product
    else:
        p, v = _or(present), _or(vulnerable)
    if node.negate:
        return _NodeResult(_not(p), Truth.NO, [], reasons)
    return _NodeResult(p, v, [h for h in hits if h[1].vulnerable], reasons)


def evaluate(configuration: Configuration, host: Sequence[Cpe]) -> Outcome:
    results = [_node(node, host) for node in configuration.nodes]
    if configuration.operator.upper() == "AND":
        truth = _and([_and(r.present for r in results), _or(r.vulnerable for r in results)])
    else:
        truth = _or(r.vulnerable for r in results)
    if configuration.negate:
        truth = _not(truth)
    hits = [h for r in results for h in r.hits] if truth is Truth.YES else []
    reasons = [why for r in results for why in r.reasons] if truth is Truth.UNKNOWN else []
    return Outcome(truth, hits, reasons)


def match_cve(configurations: Sequence[Configuration], host: Sequence[Cpe]) -> Outcome:
    """The host's answer for one CVE over all its configurations (all sources)."""
    host = [normalise(c) for c in host]
    outcomes = [evaluate(c, host) for c in configurations]
    yes = [o for o in outcomes if o.truth is Truth.YES]
    if yes:
        return Outcome(Truth.YES, [h for o in yes for h in o.hits])
    unknown = [o for o in outcomes if o.truth is Truth.UNKNOWN]
    if unknown:
        seen, reasons = set(), []
        for o in unknown:
            for r in o.reasons:
                if r not in seen:
                    seen.add(r)
                    reasons.append(r)
        return Outcome(Truth.UNKNOWN, reasons=reasons)
    return Outcome(Truth.NO)
