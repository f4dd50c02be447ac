"""Pages of 資訊安全 (issue 21, item 2): an agency's assets and findings (agency staff see their
own agency, the RDEC every agency; nothing public; every read of a finding list audited), a
finding with its CVSS source and deadline and its status changes, the asset inventory import, and
the CPE dictionary built from the loaded feeds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.decorators import permission_required
from rdec.core.forms import apply_errors
from rdec.core.models import Agency
from rdec.core.permissions import check, require, scope_to_agencies
from rdec.core.tabular import ImportFailed
from rdec.security import forms as f
from rdec.security import reasons, selectors, services
from rdec.security.models import Finding, Severity

app_name = "security"
MAX_UPLOAD = 10 * 1024 * 1024


def _agencies(user):
    return scope_to_agencies(Agency.objects.order_by("code"), user, field="pk")


@permission_required("security.view_security")
def asset_list(request):
    user = request.user
    manage = check(user, "security.manage_assets")
    form = f.AssetForm(request.POST or None, agencies=_agencies(user), prefix="asset") if manage else None
    upload = f.FileForm(prefix="import") if manage else None
    status = 200
    if request.method == "POST":
        require(user, "security.manage_assets")
        if request.POST.get("action") == "import":
            upload = f.FileForm(request.POST, request.FILES, prefix="import")
            if upload.is_valid():
                data = upload.cleaned_data["file"]
                try:
                    if data.size > MAX_UPLOAD:
                        raise ImportFailed([_("The file is larger than 10 MB.")])
                    result = services.import_inventory(data.read(), data.name, actor=user)
                except ImportFailed as exc:
                    for message in exc.errors[:50]:
                        upload.add_error("file", message)
                else:
                    messages.success(
                        request,
                        _("%(created)s assets created, %(updated)s updated, %(cpes)s products added.")
                        % {
                            "created": result.assets_created,
                            "updated": result.assets_updated,
                            "cpes": result.cpes_added,
                        },
                    )
                    return redirect("security:finding-list")
            form = f.AssetForm(agencies=_agencies(user), prefix="asset")
        elif form.is_valid():
            data = dict(form.cleaned_data)
            cpes = [line.strip() for line in data.pop("cpes").splitlines() if line.strip()]
            try:
                asset = services.create_asset(agency=data.pop("agency"), data=data, cpes=cpes, actor=user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("security:asset-detail", pk=asset.pk)
        status = 400
    assets = list(selectors.assets_visible_to(user).order_by("agency__code", "name"))
    eos = selectors.eos_asset_ids(assets, timezone.localdate())
    for a in assets:
        a.eos = a.end_of_support or a.pk in eos
    context = {"assets": assets, "form": form, "upload": upload}
    return render(request, "security/asset_list.html", context, status=status)


def _asset(user, pk):
    asset = selectors.assets_visible_to(user).filter(pk=pk).first()
    if asset is None:
        raise Http404
    return asset


@permission_required("security.view_security")
def asset_detail(request, pk):
    user = request.user
    asset = _asset(user, pk)
    form = f.CpeForm(request.POST or None) if check(user, "security.manage_assets", asset) else None
    status = 200
    if request.method == "POST":
        require(user, "security.manage_assets", asset)
        if "remove" in request.POST:
            services.remove_asset_cpe(asset, int(request.POST["remove"] or 0), actor=user)
            return redirect("security:asset-detail", pk=asset.pk)
        if form.is_valid():
            try:
                services.add_asset_cpe(asset, form.cleaned_data["cpe"], actor=user)
            except ValidationError as exc:
                for messages_ in exc.message_dict.values():
                    for m in messages_:
                        form.add_error("cpe", m)
            else:
                return redirect("security:asset-detail", pk=asset.pk)
        status = 400
    services.audit_findings_read(asset, actor=user, via="asset page")
    findings = selectors.sort_findings(list(asset.findings.select_related("cve")))
    _decorate(findings)
    context = {
        "asset": asset,
        "cpes": asset.cpes.all(),
        "eos": selectors.support_ends_for(asset.cpes.all(), timezone.localdate()),
        "findings": findings,
        "form": form,
    }
    return render(request, "security/asset_detail.html", context, status=status)


def _decorate(findings):
    kev = selectors.kev_for(findings)
    today = timezone.localdate()
    for x in findings:
        x.kev = kev.get(x.cve.cve_id)
        x.overdue = (not x.is_closed) and x.deadline is not None and x.deadline < today
        x.reason_text = reasons.summary(x.reasons)


@permission_required("security.view_security")
def finding_list(request):
    user = request.user
    params = {k: request.GET.get(k, "") for k in ("status", "severity", "determinate", "due", "agency")}
    agency = _agencies(user).filter(code=params["agency"]).first() if params["agency"] else None
    qs = selectors.filter_findings(
        selectors.findings_visible_to(user),
        agency=agency,
        status=params["status"] or "active",
        severity=params["severity"],
        determinate=params["determinate"],
        due=params["due"],
    )
    services.audit_findings_read(agency or user, actor=user, via="finding list", **params)
    findings = selectors.sort_findings(list(qs[:1000]))
    _decorate(findings)
    context = {
        "findings": findings,
        "params": params,
        "statuses": Finding.Status.choices,
        "severities": [c for c in Severity.choices if c[0]],
        "agencies": _agencies(user),
    }
    return render(request, "security/finding_list.html", context)


@permission_required("security.view_security")
def finding_detail(request, pk):
    user = request.user
    finding = selectors.findings_visible_to(user).filter(pk=pk).first()
    if finding is None:
        raise Http404
    form = f.StatusForm(request.POST or None, initial={"status": finding.status, "owner": finding.owner})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.change_finding_status(
                    finding,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    expires=form.cleaned_data["expires"],
                    owner=form.cleaned_data["owner"] or None,
                    actor=user,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The finding's status was changed."))
                return redirect("security:finding-detail", pk=finding.pk)
        status = 400
    services.audit_findings_read(finding, actor=user, via="finding page")
    _decorate([finding])
    context = {
        "finding": finding,
        "reasons": [reasons.describe(r) for r in finding.reasons],
        "form": form if check(user, "security.change_finding", finding) else None,
    }
    return render(request, "security/finding_detail.html", context, status=status)


@permission_required("security.view_security")
def cpe_search(request):
    query = request.GET.get("q", "").strip()[:100]
    names = selectors.cpe_dictionary(query) if query else []
    return render(request, "security/cpe_search.html", {"query": query, "names": names})


urlpatterns = [
    path("assets/", asset_list, name="asset-list"),
    path("assets/<int:pk>/", asset_detail, name="asset-detail"),
    path("findings/", finding_list, name="finding-list"),
    path("findings/<int:pk>/", finding_detail, name="finding-detail"),
    path("cpe/", cpe_search, name="cpe-search"),
]
