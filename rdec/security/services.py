"""Writes of 資訊安全: loading the feeds, keeping the inventory, matching and moving findings along.
Every public function takes a keyword-only `actor`, checks it with `require()` (None = the console,
for `rdec import_cves` and the demo), runs atomically and leaves an audit trail."""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.context import acting_as
from rdec.core.models import Agency
from rdec.core.permissions import require
from rdec.core.tabular import ImportFailed
from rdec.security import cpe as cpelib
from rdec.security import feeds, matching, selectors
from rdec.security.models import (
    Asset,
    AssetCpe,
    CpeMatch,
    Cve,
    CveConfiguration,
    CveNode,
    Finding,
    KevEntry,
)


def _feed_error(code: str) -> str:
    if code == "unknown_format":
        return _("not an NVD API 2.0 response, a CVE JSON 5 record or the KEV catalog")
    return code


# --- CPE input ----------------------------------------------------------------------------------------


def _cpe_error_message(exc: cpelib.CpeError) -> str:
    messages = {
        "prefix": _("A CPE 2.3 name starts with cpe:2.3:"),
        "attribute_count": _(
            "A CPE 2.3 name has 11 parts after cpe:2.3: separated by colons (this one has %(n)s)."
        )
        % {"n": exc.detail},
        "part": _("The part must be a (application), o (operating system) or h (hardware)."),
        "empty_attribute": _("The %(attribute)s part is empty: use * for any or - for not applicable.")
        % {"attribute": exc.detail},
        "embedded_wildcard": _(
            "A wildcard (* or ?) may only begin or end a value; quote it with \\ otherwise."
        ),
        "whitespace": _("A CPE name contains no spaces: write _ instead."),
        "non_ascii": _("A CPE name is written in ASCII characters only."),
        "dangling_escape": _("A backslash must be followed by the character it quotes."),
        "not_text": _("A CPE name is text."),
        "vague_product": _("An inventory entry names its vendor and product (not * or -)."),
    }
    return messages.get(exc.code, _("This is not a CPE 2.3 name."))


def _parse_inventory_cpe(text: str) -> cpelib.Cpe:
    """A CPE for the inventory: valid, with its part, vendor and product named, vendor aliases
    resolved. Raises CpeError."""
    parsed = cpelib.parse(text)
    for attribute in ("vendor", "product"):
        if not cpelib.is_specific(getattr(parsed, attribute)):
            raise cpelib.CpeError("vague_product", attribute)
    return matching.normalise(parsed)


def _cpe_fields(parsed: cpelib.Cpe) -> dict:
    return dict(zip(cpelib.ATTRIBUTES, parsed.values(), strict=True))


# --- feeds ------------------------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kev_created: int = 0
    kev_updated: int = 0
    kev_unchanged: int = 0
    findings_opened: int = 0
    findings_reopened: int = 0
    findings_closed: int = 0
    changed_cves: set = field(default_factory=set)


def import_feed_text(
    text: str, *, actor, filename: str = "", summary: ImportSummary | None = None
) -> ImportSummary:
    """Load one feed file (NVD API 2.0 JSON, CVE JSON 5 / JSONL, or the KEV catalog), then match
    the assets concerned by what changed. Re-loading the same file changes nothing."""
    if actor is not None:
        require(actor, "security.import_feeds")
    summary = summary or ImportSummary()
    try:
        data = feeds.load(text)
        kind = feeds.detect(data)
    except feeds.FeedError as exc:
        raise ImportFailed([f"{filename}: {_feed_error(str(exc))}"]) from exc
    with transaction.atomic(), acting_as(actor):
        if kind == "kev":
            changed = _import_kev(feeds.kev_records(data), summary)
        else:
            records = feeds.nvd_records(data) if kind == "nvd" else feeds.cve5_records(data)
            changed = {r.cve_id for r in records if _import_cve(r, summary)}
        summary.changed_cves |= changed
        if changed:
            _rematch_for_cves(changed, summary)
            target = (
                Cve.objects.filter(cve_id__in=changed).first()
                or KevEntry.objects.filter(cve_id__in=changed).first()
            )
            audit.record(
                "security.feed_imported",
                target,
                file=filename,
                kind=kind,
                changed=len(changed),
            )
    return summary


def _import_kev(records: list[feeds.KevRecord], summary: ImportSummary) -> set[str]:
    existing = {k.cve_id: k for k in KevEntry.objects.filter(cve_id__in=[r.cve_id for r in records])}
    changed = set()
    for r in records:
        values = {
            "vendor_project": r.vendor_project,
            "product": r.product,
            "name": r.name,
            "date_added": r.date_added,
            "due_date": r.due_date,
            "known_ransomware_use": r.known_ransomware_use,
            "required_action": r.required_action,
            "notes": r.notes,
        }
        entry = existing.get(r.cve_id)
        if entry is None:
            KevEntry.objects.create(cve_id=r.cve_id, **values)
            summary.kev_created += 1
            changed.add(r.cve_id)
        elif any(getattr(entry, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(entry, k, v)
            entry.save()
            summary.kev_updated += 1
            changed.add(r.cve_id)
        else:
            summary.kev_unchanged += 1
    return changed


def _import_cve(record: feeds.CveRecord, summary: ImportSummary) -> bool:
    """Store one record; True when anything changed."""
    cve = Cve.objects.filter(cve_id=record.cve_id).first()
    stamp_field = "nvd_modified" if record.feed == "nvd" else "cve5_modified"
    if cve is not None:
        stamp = getattr(cve, stamp_field)
        if stamp is not None and record.modified is not None and record.modified <= stamp:
            summary.unchanged += 1
            return False
        summary.updated += 1
    else:
        cve = Cve(cve_id=record.cve_id)
        summary.created += 1
    setattr(cve, stamp_field, record.modified)
    if record.title and (record.feed == "cve5" or not cve.title):
        cve.title = record.title[:500]
    if record.descriptions.get("en") and (record.feed == "nvd" or not cve.description_en):
        cve.description_en = record.descriptions["en"]
    if record.descriptions.get("zh"):
        cve.description_zh = record.descriptions["zh"]
    if record.published and (cve.published is None or record.feed == "nvd"):
        cve.published = record.published
    cve.modified = max([d for d in (cve.nvd_modified, cve.cve5_modified) if d], default=None)
    if record.vuln_status:
        cve.vuln_status = record.vuln_status
    cve.metrics = [m for m in cve.metrics if m.get("feed") != record.feed] + record.metrics
    _set_cvss(cve)
    cve.save()
    sources = ["nvd"] if record.feed == "nvd" else ["cna", "adp"]
    cve.configurations.filter(source__in=sources).delete()
    _store_configurations(cve, record.configurations)
    return True


def _set_cvss(cve: Cve) -> None:
    chosen = feeds.choose_metric(cve.metrics)
    if chosen is None:
        cve.cvss_score = cve.cvss_temporal = None
        cve.cvss_version = cve.cvss_vector = cve.cvss_source = cve.cvss_type = cve.severity = ""
        return
    base, temporal, severity = feeds.score(chosen["vector"], chosen["version"])
    cve.cvss_score = Decimal(str(base)) if base is not None else None
    cve.cvss_temporal = Decimal(str(temporal)) if temporal is not None else None
    cve.cvss_version = chosen["version"]
    cve.cvss_vector = chosen["vector"][:300]
    cve.cvss_source = chosen["source"][:100]
    cve.cvss_type = chosen["type"]
    cve.severity = severity


def _store_configurations(cve: Cve, records: list[feeds.ConfigurationRecord]) -> None:
    """The record's configurations, nodes and criteria, three bulk inserts."""
    configs = CveConfiguration.objects.bulk_create(
        [
            CveConfiguration(cve=cve, source=c.source, number=n, operator=c.operator.upper(), negate=c.negate)
            for n, c in enumerate(records, start=1)
        ]
    )
    node_rows, node_records = [], []
    for configuration, record in zip(configs, records, strict=True):
        for number, node in enumerate(record.nodes, start=1):
            node_rows.append(
                CveNode(
                    configuration=configuration,
                    number=number,
                    operator=node.operator.upper(),
                    negate=node.negate,
                )
            )
            node_records.append(node)
    node_rows = CveNode.objects.bulk_create(node_rows)
    rows = []
    for node_row, node in zip(node_rows, node_records, strict=True):
        for c in node.criteria:
            try:
                parsed = matching.normalise(cpelib.parse(c.criteria))
            except cpelib.CpeError:
                continue  # a malformed criterion in a feed matches nothing
            rows.append(
                CpeMatch(
                    node=node_row,
                    cve=cve,
                    criteria=str(parsed),
                    vulnerable=c.vulnerable,
                    version_start_including=c.start_including,
                    version_start_excluding=c.start_excluding,
                    version_end_including=c.end_including,
                    version_end_excluding=c.end_excluding,
                    match_criteria_id=c.match_criteria_id,
                    **_cpe_fields(parsed),
                )
            )
    CpeMatch.objects.bulk_create(rows, batch_size=500)


# --- matching ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=100_000)
def _parse_criterion(text: str) -> cpelib.Cpe:
    """A feed's criterion parsed once per process (Cpe is immutable; the same names recur in
    thousands of criteria)."""
    return cpelib.parse(text)


def _configurations_of(cve_ids) -> dict[int, list[matching.Configuration]]:
    """The CVEs' configurations (every source) as the pure matcher takes them."""
    nodes: dict[int, list] = defaultdict(list)
    for m in CpeMatch.objects.filter(cve_id__in=cve_ids).order_by("node_id", "pk"):
        nodes[m.node_id].append(m)
    by_config: dict[int, list] = defaultdict(list)
    node_rows = CveNode.objects.filter(configuration__cve_id__in=cve_ids).order_by(
        "configuration_id", "number"
    )
    for node in node_rows:
        criteria = [
            matching.Criterion(
                cpe=_parse_criterion(m.criteria),
                vulnerable=m.vulnerable,
                start_including=m.version_start_including,
                start_excluding=m.version_start_excluding,
                end_including=m.version_end_including,
                end_excluding=m.version_end_excluding,
                source="",
                ref=m.pk,
            )
            for m in nodes.get(node.pk, [])
        ]
        by_config[node.configuration_id].append(
            matching.Node(criteria, operator=node.operator, negate=node.negate)
        )
    result: dict[int, list[matching.Configuration]] = defaultdict(list)
    for cfg in CveConfiguration.objects.filter(cve_id__in=cve_ids):
        result[cfg.cve_id].append(
            matching.Configuration(
                by_config.get(cfg.pk, []), operator=cfg.operator, negate=cfg.negate, source=cfg.source
            )
        )
    return result


def _candidates(asset_cpes: list[AssetCpe]) -> set[int]:
    """CVEs with a vulnerable criterion naming one of the products (vendor, product) of the host."""
    pairs = {(c.vendor, c.product) for c in asset_cpes}
    if not pairs:
        return set()
    ids: set[int] = set()
    for vendor, product in pairs:
        ids |= set(
            CpeMatch.objects.filter(vendor=vendor, product=product, vulnerable=True).values_list(
                "cve_id", flat=True
            )
        )
    return ids


def _reason_dicts(reasons: list[matching.Reason]) -> list[dict]:
    return [
        {"code": r.code, "attribute": r.attribute, "asset_cpe": r.asset_cpe, "criterion": r.criterion}
        for r in reasons[:20]
    ]


def _rematch_asset(
    asset: Asset, cve_ids: set[int] | None, summary: ImportSummary, *, from_feed: bool
) -> None:
    """Match the asset against `cve_ids` (None: every candidate), create, update, reopen or close
    its findings accordingly."""
    asset_cpes = list(asset.cpes.all())
    host = [cpelib.parse(c.cpe23) for c in asset_cpes]
    candidates = _candidates(asset_cpes)
    existing = {f.cve_id: f for f in asset.findings.select_related("cve")}
    if cve_ids is None:
        scope = candidates | set(existing)
    else:
        scope = (candidates & cve_ids) | (set(existing) & cve_ids)
    if not scope:
        return
    configurations = _configurations_of(scope)
    cves = {c.pk: c for c in Cve.objects.filter(pk__in=scope)}
    kevs = {k.cve_id: k for k in KevEntry.objects.filter(cve_id__in=[c.cve_id for c in cves.values()])}
    now = timezone.now()
    today = timezone.localdate()
    for cve_pk in sorted(scope):
        cve = cves[cve_pk]
        outcome = matching.match_cve(configurations.get(cve_pk, []), host)
        finding = existing.get(cve_pk)
        if outcome.truth is matching.Truth.NO:
            if finding is not None and not finding.is_closed:
                finding.status = Finding.Status.FIXED
                finding.status_reason = _(
                    "No longer matched: the inventory or the vulnerability record changed."
                )
                finding.closed_at = now
                finding.closed_automatically = True
                finding.save()
                audit.record("security.finding_closed", finding, cve=cve.cve_id)
                summary.findings_closed += 1
            continue
        determinate = outcome.truth is matching.Truth.YES
        matched = sorted({cpe for cpe, _c in outcome.hits})
        kev = kevs.get(cve.cve_id)
        if finding is None:
            deadline, basis = selectors.deadline_for(cve, kev, today) if determinate else (None, "")
            finding = Finding.objects.create(
                asset=asset,
                cve=cve,
                determinate=determinate,
                reasons=[] if determinate else _reason_dicts(outcome.reasons),
                matched_cpes=matched,
                owner=asset.owner,
                deadline=deadline,
                deadline_basis=basis,
                first_matched=now,
                last_matched=now,
            )
            summary.findings_opened += 1
            continue
        reopen = finding.status == Finding.Status.FIXED and (from_feed or finding.closed_automatically)
        finding.determinate = determinate
        finding.reasons = [] if determinate else _reason_dicts(outcome.reasons)
        finding.matched_cpes = matched
        finding.last_matched = now
        if reopen:
            finding.status = Finding.Status.OPEN
            finding.status_reason = _("Matched again by a new vulnerability feed or inventory change.")
            finding.closed_at = None
            finding.closed_automatically = False
            finding.matched_since = now
            finding.reopened_count += 1
            summary.findings_reopened += 1
            audit.record("security.finding_reopened", finding, cve=cve.cve_id)
        if not finding.is_closed:
            start = (
                (finding.matched_since or finding.first_matched)
                .astimezone(timezone.get_current_timezone())
                .date()
            )
            finding.deadline, finding.deadline_basis = (
                selectors.deadline_for(cve, kev, start) if determinate else (None, "")
            )
        finding.save()


def _rematch_for_cves(cve_ids: set[str], summary: ImportSummary) -> None:
    pks = set(Cve.objects.filter(cve_id__in=cve_ids).values_list("pk", flat=True))
    if not pks:
        return
    pairs = set(CpeMatch.objects.filter(cve_id__in=pks).values_list("vendor", "product"))
    asset_ids = set(Finding.objects.filter(cve_id__in=pks).values_list("asset_id", flat=True))
    for vendor, product in pairs:
        asset_ids |= set(
            AssetCpe.objects.filter(vendor=vendor, product=product).values_list("asset_id", flat=True)
        )
    for asset in Asset.objects.filter(pk__in=asset_ids).order_by("pk"):
        _rematch_asset(asset, pks, summary, from_feed=True)


def rematch_asset(asset: Asset, *, actor) -> ImportSummary:
    """Match one asset against every loaded CVE (after its inventory changed)."""
    if actor is not None:
        require(actor, "security.manage_assets", asset)
    summary = ImportSummary()
    with transaction.atomic(), acting_as(actor):
        _rematch_asset(asset, None, summary, from_feed=False)
    return summary


# --- inventory --------------------------------------------------------------------------------------------


def _clean_asset_fields(data: dict) -> dict:
    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Give the asset a name.")
    elif len(name) > 200:
        errors["name"] = _("At most 200 characters.")
    kind = (data.get("kind") or Asset.Kind.HOST).strip()
    if kind not in Asset.Kind.values:
        errors["kind"] = _("The kind is host, software or appliance.")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "kind": kind,
        "hostname": (data.get("hostname") or "").strip()[:200],
        "operating_system": (data.get("operating_system") or "").strip()[:200],
        "owner": (data.get("owner") or "").strip()[:100],
        "end_of_support": bool(data.get("end_of_support")),
        "notes": (data.get("notes") or "").strip(),
    }


def _parse_cpes(cpes: list[str]) -> list[cpelib.Cpe]:
    parsed, errors = [], []
    for number, text in enumerate(cpes, start=1):
        try:
            parsed.append(_parse_inventory_cpe(text))
        except cpelib.CpeError as exc:
            errors.append(
                _("CPE %(n)s (%(text)s): %(message)s")
                % {"n": number, "text": text, "message": _cpe_error_message(exc)}
            )
    if errors:
        raise ValidationError({"cpes": errors})
    return parsed


def _add_cpes(asset: Asset, parsed: list[cpelib.Cpe], source: str) -> int:
    have = set(asset.cpes.values_list("cpe23", flat=True))
    added = 0
    for p in parsed:
        if str(p) not in have:
            AssetCpe.objects.create(asset=asset, cpe23=str(p), source=source, **_cpe_fields(p))
            have.add(str(p))
            added += 1
    return added


def create_asset(
    *, agency: Agency, data: dict, cpes: list[str], actor, source: str = AssetCpe.Source.MANUAL
) -> Asset:
    """Register an asset with its CPE names and compute its findings at once."""
    require(actor, "security.manage_assets", agency)
    fields = _clean_asset_fields(data)
    parsed = _parse_cpes(cpes)
    with transaction.atomic():
        if Asset.objects.filter(agency=agency, name=fields["name"]).exists():
            raise ValidationError({"name": _("This agency already has an asset of this name.")})
        asset = Asset.objects.create(agency=agency, **fields)
        _add_cpes(asset, parsed, source)
        _rematch_asset(asset, None, ImportSummary(), from_feed=False)
    return asset


def add_asset_cpe(asset: Asset, cpe: str, *, actor) -> Asset:
    require(actor, "security.manage_assets", asset)
    parsed = _parse_cpes([cpe])
    with transaction.atomic():
        _add_cpes(asset, parsed, AssetCpe.Source.MANUAL)
        _rematch_asset(asset, None, ImportSummary(), from_feed=False)
    return asset


def remove_asset_cpe(asset: Asset, cpe_id: int, *, actor) -> Asset:
    require(actor, "security.manage_assets", asset)
    with transaction.atomic():
        asset.cpes.filter(pk=cpe_id).delete()
        _rematch_asset(asset, None, ImportSummary(), from_feed=False)
    return asset


# --- findings ---------------------------------------------------------------------------------------------

TRANSITIONS = {
    Finding.Status.OPEN: {Finding.Status.FIXING, Finding.Status.FIXED, Finding.Status.EXCEPTION},
    Finding.Status.FIXING: {Finding.Status.OPEN, Finding.Status.FIXED, Finding.Status.EXCEPTION},
    Finding.Status.FIXED: {Finding.Status.OPEN},
    Finding.Status.EXCEPTION: {Finding.Status.OPEN, Finding.Status.FIXING, Finding.Status.FIXED},
}


def change_finding_status(
    finding: Finding,
    *,
    status: str,
    reason: str,
    actor,
    expires: datetime.date | None = None,
    owner: str | None = None,
) -> Finding:
    """Move a finding along (open → fixing → fixed; an approved exception with reason and expiry;
    back to open). A reason is always required."""
    require(actor, "security.change_finding", finding)
    reason = (reason or "").strip()
    errors = {}
    if status not in Finding.Status.values:
        errors["status"] = _("Choose a status.")
    elif status != finding.status and status not in TRANSITIONS[finding.status]:
        errors["status"] = _("A finding cannot go from %(old)s to %(new)s.") % {
            "old": finding.get_status_display(),
            "new": Finding.Status(status).label,
        }
    if not reason:
        errors["reason"] = _("Give the reason of the change.")
    if status == Finding.Status.EXCEPTION:
        today = timezone.localdate()
        if expires is None:
            errors["expires"] = _("An exception needs an expiry date.")
        elif expires <= today:
            errors["expires"] = _("The expiry date must be after today.")
        elif expires > today + datetime.timedelta(days=366):
            errors["expires"] = _("An exception is approved for at most one year.")
    if errors:
        raise ValidationError(errors)
    if status == Finding.Status.EXCEPTION:
        require(actor, "security.approve_exception", finding)
    with transaction.atomic():
        old = finding.status
        finding.status = status
        finding.status_reason = reason
        if owner is not None:
            finding.owner = owner.strip()[:100]
        if status == Finding.Status.EXCEPTION:
            finding.exception_expires = expires
            finding.exception_approved_by = actor
        else:
            finding.exception_expires = None
            finding.exception_approved_by = None
        finding.closed_at = (
            timezone.now() if status in (Finding.Status.FIXED, Finding.Status.EXCEPTION) else None
        )
        finding.closed_automatically = False
        finding.save()
        audit.record("security.finding_status", finding, old=old, new=status, reason=reason)
    return finding


def audit_findings_read(target, *, actor, **filters) -> None:
    """Every read of a finding list is recorded (the data is sensitive)."""
    require(actor, "security.view_security")
    audit.record(
        "security.findings_viewed", target, **{k: str(v) for k, v in filters.items() if v not in (None, "")}
    )


# --- inventory import (CSV or .xlsx) ------------------------------------------------------------------

INVENTORY_COLUMNS = {
    "agency": ("agency", "機關", "機關代碼"),
    "name": ("name", "名稱", "資產名稱"),
    "kind": ("kind", "類型", "資產類型"),
    "hostname": ("hostname", "主機名稱"),
    "operating_system": ("operating_system", "os", "作業系統"),
    "owner": ("owner", "負責人"),
    "cpe": ("cpe", "cpe23", "CPE"),
}
KIND_WORDS = {"主機": "host", "軟體": "software", "設備": "appliance"}


@dataclass
class InventoryResult:
    assets_created: int = 0
    assets_updated: int = 0
    cpes_added: int = 0
    findings: int = 0


def import_inventory(data: bytes, filename: str, *, actor, agency: Agency | None = None) -> InventoryResult:
    """An inventory file, one row per installed product (rows of one asset share agency and name):
    every row is checked first; any error is reported by row and column and nothing is imported.
    `agency` given: the file's agency column may be left out (every row is that agency's)."""
    require(actor, "security.manage_assets", agency)
    from rdec.core.tabular import UnreadableFile, iter_rows

    try:
        rows = list(iter_rows(data, filename))
    except UnreadableFile as exc:
        raise ImportFailed([exc.message]) from exc
    if not rows:
        raise ImportFailed([_("The file is empty.")])
    header = [str(h).strip() for h in rows[0]]
    lowered = [h.lower() for h in header]
    columns: dict[str, int] = {}
    for key, names in INVENTORY_COLUMNS.items():
        for name in names:
            if name.lower() in lowered:
                columns[key] = lowered.index(name.lower())
                break
    missing = [k for k in ("name", "cpe") if k not in columns]
    if "agency" not in columns and agency is None:
        missing.insert(0, "agency")
    if missing:
        raise ImportFailed([_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}])
    agencies = {a.code: a for a in Agency.objects.all()}
    errors: list[str] = []
    assets: dict[tuple[int, str], dict] = {}

    def cell(row, key):
        i = columns.get(key)
        return str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""

    def column_name(key):
        return header[columns[key]] if key in columns else key

    for number, row in enumerate(rows[1:], start=2):
        if not any(str(v).strip() for v in row if v is not None):
            continue
        row_agency = agency
        code = cell(row, "agency")
        if code:
            row_agency = agencies.get(code)
            if row_agency is None:
                errors.append(
                    _("Row %(row)s, column %(column)s: no agency has the code %(code)s.")
                    % {"row": number, "column": column_name("agency"), "code": code}
                )
                continue
            if agency is not None and row_agency != agency:
                errors.append(
                    _("Row %(row)s, column %(column)s: this file is for %(agency)s only.")
                    % {"row": number, "column": column_name("agency"), "agency": agency.short_name}
                )
                continue
        if row_agency is None:
            errors.append(
                _("Row %(row)s, column %(column)s: give the agency's code.")
                % {"row": number, "column": column_name("agency")}
            )
            continue
        from rdec.core.permissions import check

        if not check(actor, "security.manage_assets", row_agency):
            errors.append(
                _("Row %(row)s, column %(column)s: you may not register assets of %(agency)s.")
                % {"row": number, "column": column_name("agency"), "agency": row_agency.short_name}
            )
            continue
        name = cell(row, "name")
        kind = cell(row, "kind") or "host"
        kind = KIND_WORDS.get(kind, kind.lower())
        try:
            fields = _clean_asset_fields(
                {
                    "name": name,
                    "kind": kind,
                    "hostname": cell(row, "hostname"),
                    "operating_system": cell(row, "operating_system"),
                    "owner": cell(row, "owner"),
                }
            )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(
                        _("Row %(row)s, column %(column)s: %(message)s")
                        % {"row": number, "column": column_name(key), "message": message}
                    )
            continue
        text = cell(row, "cpe")
        try:
            parsed = _parse_inventory_cpe(text)
        except cpelib.CpeError as exc:
            errors.append(
                _("Row %(row)s, column %(column)s: %(message)s")
                % {"row": number, "column": column_name("cpe"), "message": _cpe_error_message(exc)}
            )
            continue
        entry = assets.setdefault(
            (row_agency.pk, fields["name"]), {"agency": row_agency, "fields": fields, "cpes": []}
        )
        entry["cpes"].append(parsed)
    if errors:
        raise ImportFailed(errors)
    if not assets:
        raise ImportFailed([_("The file has no rows.")])
    result = InventoryResult()
    with transaction.atomic(), acting_as(actor):
        for (agency_pk, name), entry in assets.items():
            asset = Asset.objects.filter(agency_id=agency_pk, name=name).first()
            if asset is None:
                asset = Asset.objects.create(agency=entry["agency"], **entry["fields"])
                result.assets_created += 1
            else:
                for key in ("kind", "hostname", "operating_system", "owner"):
                    if entry["fields"][key]:
                        setattr(asset, key, entry["fields"][key])
                asset.save()
                result.assets_updated += 1
            result.cpes_added += _add_cpes(asset, entry["cpes"], AssetCpe.Source.IMPORT)
            _rematch_asset(asset, None, ImportSummary(), from_feed=False)
            result.findings += asset.findings.exclude(status=Finding.Status.FIXED).count()
        audit.record(
            "security.inventory_imported",
            next(iter(assets.values()))["agency"],
            file=filename,
            assets=len(assets),
            cpes=result.cpes_added,
        )
    return result
