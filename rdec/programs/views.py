"""Pages of 場域驗證: the public showcase of fields and results, the agencies' pages to post a need
or a field, and the proposal form of an open field-validation call. Writes go through
services_fields; their ValidationErrors go back on the forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.forms import apply_errors
from rdec.core.models import Agency
from rdec.core.permissions import check, require, visible_agency_ids
from rdec.programs import forms as f
from rdec.programs import selectors_fields, services_fields
from rdec.programs.models import Call, Programme, Proposal


def _agencies(user):
    ids = visible_agency_ids(user)
    qs = Agency.objects.order_by("sort_order", "code")
    return qs if ids is None else qs.filter(pk__in=ids)


def field_list(request):
    """The public showcase: the published fields and the results of closed validations."""
    today = timezone.localdate()
    return render(
        request,
        "programs/field_list.html",
        {
            "fields": selectors_fields.fields_public().select_related("need"),
            "results": selectors_fields.results_public(),
            "calls": selectors_fields.open_field_calls(),
            "today": today,
            "may_post": check(request.user, "programs.post_needs"),
        },
    )


@login_required
def field_create(request):
    require(request.user, "programs.post_needs")
    needs = selectors_fields.needs_of(request.user).filter(status="open")
    form = f.FieldForm(request.POST or None, agencies=_agencies(request.user), needs=needs)
    if request.method == "POST" and form.is_valid():
        try:
            site = services_fields.post_field(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The field %(name)s is saved.") % {"name": site.name})
            return redirect("programs:field-list")
    return render(request, "programs/field_form.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
def need_create(request):
    require(request.user, "programs.post_needs")
    form = f.NeedForm(request.POST or None, agencies=_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services_fields.post_need(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The need is saved; proposals may now answer it."))
            return redirect("programs:field-create")
    return render(request, "programs/need_form.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
def proposal_create(request, slug: str):
    """Propose to an open field-validation call: the proposal and the engine's submission at once."""
    call = get_object_or_404(Call, slug=slug, programme=Programme.FIELD_VALIDATION)
    now = timezone.now()
    if not call.is_open_at(now):
        return render(
            request,
            "programs/proposal_closed.html",
            {"call": call},
            status=403 if request.method == "POST" else 200,
        )
    form = f.ProposalForm(request.POST or None, call=call, needs=selectors_fields.needs_open())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                proposal = services_fields.save_proposal(
                    call,
                    actor=request.user,
                    title=d["title"],
                    solution=d["solution"],
                    technology=d["technology"],
                    kpis=d["kpis"],
                    budget=d["budget"],
                    funding=d["funding"],
                    privacy_security_plan=d["privacy_security_plan"],
                    need=d["need"],
                    theme=d["theme"],
                    now=now,
                )
                services_fields.submit_proposal(
                    proposal,
                    actor=request.user,
                    reference=f"P{proposal.pk:05d}",
                    organisation=d["organisation"],
                    tax_id=d["tax_id"],
                    team=d["team"],
                    now=now,
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your proposal is submitted."))
            return redirect("programs:proposal-detail", pk=proposal.pk)
    return render(
        request,
        "programs/proposal_form.html",
        {"call": call, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def proposal_detail(request, pk: int):
    proposal = get_object_or_404(Proposal.objects.select_related("call", "submission", "need__agency"), pk=pk)
    if not check(request.user, "programs.view_proposal", proposal):
        raise Http404
    matches = proposal.matches.select_related("field__agency", "validation")
    return render(request, "programs/proposal_detail.html", {"proposal": proposal, "matches": matches})


urlpatterns = [
    path("fields/", field_list, name="field-list"),
    path("fields/new/", field_create, name="field-create"),
    path("needs/new/", need_create, name="need-create"),
    path("calls/<slug:slug>/propose/", proposal_create, name="proposal-create"),
    path("proposals/<int:pk>/", proposal_detail, name="proposal-detail"),
]
