"""Reads of 資訊安全, scoped to the user's agencies (core.permissions.scope_to_agencies)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rdec.core.permissions import scope_to_agencies
from rdec.security import cpe as cpelib
from rdec.security.models import (
    SEVERITY_ORDER,
    Asset,
    AssetCpe,
    CpeMatch,
    Cve,
    Finding,
    KevEntry,
    RemediationPolicy,
    SupportEnd,
)

OPEN_STATUSES = (Finding.Status.OPEN, Finding.Status.FIXING)


def assets_visible_to(user) -> QuerySet[Asset]:
    qs = Asset.objects.select_related("agency").annotate(
        open_findings=Count(
            "findings",
            filter=Q(findings__status__in=OPEN_STATUSES, findings__determinate=True),
            distinct=True,
        ),
        indeterminate_findings=Count(
            "findings",
            filter=Q(findings__status__in=OPEN_STATUSES, findings__determinate=False),
            distinct=True,
        ),
    )
    return scope_to_agencies(qs, user)


def findings_visible_to(user) -> QuerySet[Finding]:
    qs = Finding.objects.select_related("asset", "asset__agency", "cve")
    return scope_to_agencies(qs, user, field="asset__agency")


def filter_findings(
    qs: QuerySet[Finding], *, agency=None, status="", severity="", determinate="", due="", today=None
):
    today = today or timezone.localdate()
    if agency:
        qs = qs.filter(asset__agency=agency)
    if status == "active":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(cve__severity=severity)
    if determinate == "yes":
        qs = qs.filter(determinate=True)
    elif determinate == "no":
        qs = qs.filter(determinate=False)
    if due == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=today)
    return qs


def kev_for(findings) -> dict[str, KevEntry]:
    ids = {f.cve.cve_id for f in findings}
    return {k.cve_id: k for k in KevEntry.objects.filter(cve_id__in=ids)}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    far = datetime.date.max
    return sorted(
        findings,
        key=lambda f: (
            f.is_closed,
            not f.determinate,
            f.deadline or far,
            SEVERITY_ORDER.get(f.cve.severity, 9),
            f.cve.cve_id,
        ),
    )


def support_ends_for(asset_cpes, day: datetime.date) -> list[tuple[AssetCpe, SupportEnd]]:
    """The asset's products whose support has ended on `day` (vendor, product and, unless the
    table says `*`, version equal)."""
    rows = list(SupportEnd.objects.filter(ends_on__lt=day))
    found = []
    for c in asset_cpes:
        for s in rows:
            if (
                s.vendor == c.vendor
                and s.product == c.product
                and (s.version == "*" or s.version == c.version)
            ):
                found.append((c, s))
                break
    return found


def eos_asset_ids(assets, day: datetime.date) -> set[int]:
    rows = list(SupportEnd.objects.filter(ends_on__lt=day).values_list("vendor", "product", "version"))
    if not rows:
        return set()
    ids = set()
    cpes = AssetCpe.objects.filter(asset__in=assets).values_list("asset_id", "vendor", "product", "version")
    for asset_id, vendor, product, version in cpes:
        for v, p, ver in rows:
            if v == vendor and p == product and (ver == "*" or ver == version):
                ids.add(asset_id)
    return ids


def cpe_dictionary(query: str, *, limit: int = 50) -> list[str]:
    """CPE names from the loaded feeds (the dictionary the asset form offers), searched by words."""
    words = [w for w in query.lower().replace(":", " ").split() if w]
    qs = CpeMatch.objects.all()
    for w in words[:5]:
        qs = qs.filter(criteria__icontains=w)
    names = qs.values_list("criteria", flat=True).distinct().order_by("criteria")[: limit * 4]
    seen: list[str] = []
    for n in names:
        # offer the name without a version when the criterion gives a range
        parsed = cpelib.parse(n)
        shown = str(parsed)
        if shown not in seen:
            seen.append(shown)
        if len(seen) >= limit:
            break
    return seen


def deadline_for(cve: Cve, kev: KevEntry | None, day: datetime.date) -> tuple[datetime.date, str]:
    """The remediation deadline of a finding matched on `day`, and its basis ("kev" or the severity)."""
    policy = RemediationPolicy.objects.in_force(day, before_first="earliest") or RemediationPolicy()
    if kev is not None and policy.kev_due_first:
        return kev.due_date, "kev"
    return day + datetime.timedelta(days=policy.days_for(cve.severity)), cve.severity or "unscored"
