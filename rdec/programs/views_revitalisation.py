"""Pages of 地方創生: the proposals (filters, totals of approved 補助 and 投資), the proposal form
(district offices file their 公所提案; the RDEC files both types, a 多元徵案 for a firm or team), a
proposal's page (requested vs approved per ministry, the city's screening, the working meeting's
decision and approval lines, milestones, KPIs, closeout), the roll-up by district (TOWNCODE) and
the scheme catalogue. Writes go through services_revitalisation; its errors go back on the forms
(HTTP 400)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.forms import apply_errors
from rdec.core.models import Agency
from rdec.core.permissions import check, is_oversight, require
from rdec.programs import forms_revitalisation as f
from rdec.programs import selectors_revitalisation as sel
from rdec.programs import services_revitalisation as rv
from rdec.programs.permissions_revitalisation import office_district_id


@login_required
def proposal_list(request):
    require(request.user, "programs.view_revitalisation")
    proposals = sel.proposals_visible_to(request.user)
    districts = sel.districts()
    own = office_district_id(request.user)
    if own is not None:
        districts = districts.filter(pk=own)
    filters = f.FilterForm(request.GET or None, districts=districts)
    if filters.is_valid():
        d = filters.cleaned_data
        if d["district"]:
            proposals = proposals.filter(district=d["district"])
        if d["type"]:
            proposals = proposals.filter(type=d["type"])
        if d["status"]:
            proposals = proposals.filter(status=d["status"])
    rows = list(proposals.order_by("-submission__submitted_at", "-id"))
    context = {
        "proposals": rows,
        "filters": filters,
        "approved": sel.approved_split(rows),
        "requested": sel.requested_split(rows),
        "may_file": check(request.user, "programs.file_revitalisation") and sel.open_calls().exists(),
    }
    return render(
        request,
        "programs/revitalisation_list.html",
        context,
        status=400 if filters.is_bound and not filters.is_valid() else 200,
    )


def _offices(user):
    qs = Agency.objects.filter(level=Agency.Level.DISTRICT_OFFICE).order_by("sort_order", "code")
    return qs if is_oversight(user) else qs.filter(pk=user.agency_id)


@login_required
def proposal_create(request):
    require(request.user, "programs.file_revitalisation")
    own = office_district_id(request.user)
    districts = sel.districts()
    if own is not None:
        districts = districts.filter(pk=own)
    form = f.ProposalForm(
        request.POST or None,
        calls=sel.open_calls(),
        districts=districts,
        offices=_offices(request.user),
        office_only=own is not None and not is_oversight(request.user),
    )
    lines = f.LineFormSet(request.POST or None, prefix="requested")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                proposal = rv.file_proposal(
                    d["call"],
                    actor=request.user,
                    type=d["type"],
                    district=d["district"],
                    district_office=d["district_office"],
                    title=d["title"],
                    vision=d["vision"],
                    proposers=f.lines_of(d["proposers"]),
                    businesses=f.lines_of(d["businesses"]),
                    partners=form.partners(),
                    requested=f.lines_from(lines),
                    organisation=d["organisation"],
                    tax_id=d["tax_id"],
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("district_office", _("You may file proposals of your own district office only."))
        else:
            messages.success(
                request, _("The proposal is filed as %(ref)s.") % {"ref": proposal.submission.reference}
            )
            return redirect("programs:revitalisation-detail", pk=proposal.pk)
    return render(
        request,
        "programs/revitalisation_form.html",
        {"form": form, "lines": lines, "no_call": not form.fields["call"].queryset.exists()},
        status=400 if form.is_bound else 200,
    )


_ACTIONS = {
    "screen": (f.ScreenForm, rv.screen_proposal, "programs.manage_revitalisation"),
    "forward": (f.ForwardForm, rv.decide_for_meeting, "programs.manage_revitalisation"),
    "meeting": (f.MeetingForm, rv.record_meeting, "programs.manage_revitalisation"),
    "milestone": (f.MilestoneForm, rv.add_milestone, "programs.log_revitalisation"),
    "kpi": (f.KpiForm, rv.set_kpi, "programs.log_revitalisation"),
    "measurement": (f.MeasurementForm, rv.record_kpi_measurement, "programs.log_revitalisation"),
    "closeout": (f.CloseoutForm, rv.close_out, "programs.manage_revitalisation"),
}


@login_required
def proposal_detail(request, pk: int):
    proposal = get_object_or_404(sel.proposals_visible_to(request.user), pk=pk)
    require(request.user, "programs.view_revitalisation", proposal)
    failed, status, approvals = None, 200, None
    if request.method == "POST":
        kind = request.POST.get("action", "")
        if kind not in _ACTIONS:
            raise Http404
        cls, service, permission = _ACTIONS[kind]
        require(request.user, permission, proposal)
        form = cls(request.POST, prefix=kind)
        extra = {}
        if kind == "meeting":
            approvals = f.LineFormSet(request.POST, prefix="approvals")
            if approvals.is_valid():
                extra["approvals"] = f.lines_from(approvals)
        if form.is_valid() and (approvals is None or approvals.is_valid()):
            try:
                with transaction.atomic():
                    service(proposal, actor=request.user, **form.cleaned_data, **extra)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("programs:revitalisation-detail", pk=proposal.pk)
        failed, status = form, 400
    forms = {
        kind: failed if failed is not None and failed.prefix == kind else cls(prefix=kind)
        for kind, (cls, _service, _permission) in _ACTIONS.items()
    }
    if approvals is None:
        approvals = f.LineFormSet(prefix="approvals")
    user = request.user
    context = {
        "proposal": proposal,
        "forms": forms,
        "approvals_formset": approvals,
        "ministries": sel.by_ministry(proposal),
        "requested": sel.split(proposal.requested_resources.all()),
        "approved": sel.split(proposal.approvals.all()),
        "dockings": sel.dockings(proposal),
        "kpis": sel.kpi_rows(proposal),
        "milestones": proposal.milestones.all(),
        "partners": proposal.partners.all(),
        "may_manage": check(user, "programs.manage_revitalisation", proposal),
        "may_log": check(user, "programs.log_revitalisation", proposal),
        "executing": proposal.status in ("approved", "conditional"),
        "today": timezone.localdate(),
    }
    return render(request, "programs/revitalisation_detail.html", context, status=status)


@login_required
def district_rollup(request):
    require(request.user, "programs.view_revitalisation")
    rows = sel.district_rollup(sel.proposals_visible_to(request.user))
    total_approved = sel.Split()
    for row in rows:
        total_approved.subsidy += row.approved.subsidy
        total_approved.investment += row.approved.investment
    context = {
        "rows": rows,
        "indicators": [(value, label) for value, label in sel.INDICATORS.choices],
        "total": total_approved,
        "dockings": sum(row.dockings for row in rows),
    }
    return render(request, "programs/revitalisation_districts.html", context)


@login_required
def scheme_list(request):
    require(request.user, "programs.view_revitalisation_schemes")
    return render(
        request,
        "programs/revitalisation_schemes.html",
        {"schemes": sel.schemes(), "can_view_proposals": check(request.user, "programs.view_revitalisation")},
    )


urlpatterns = [
    path("revitalisation/", proposal_list, name="revitalisation-list"),
    path("revitalisation/new/", proposal_create, name="revitalisation-create"),
    path("revitalisation/<int:pk>/", proposal_detail, name="revitalisation-detail"),
    path("revitalisation/districts/", district_rollup, name="revitalisation-districts"),
    path("revitalisation/schemes/", scheme_list, name="revitalisation-schemes"),
]
