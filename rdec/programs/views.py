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
from rdec.programs import selectors, selectors_fields, services, services_fields
from rdec.programs.models import Call, Field, Match, Programme, Proposal, Result, Validation


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
            "managed_calls": (
                Call.objects.filter(programme=Programme.FIELD_VALIDATION)
                if check(request.user, "programs.manage_call")
                else []
            ),
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


# --- the RDEC's side of a field-validation call: decide, match, validate, close -----------------------


def _forms_for(call: Call, fields, data=None, failed: tuple[str, int] | None = None):
    """Each row's forms, fresh, except the one that failed (bound, with its errors)."""

    def make(action: str, pk: int, cls, **kw):
        prefix = f"{action}-{pk}"
        bound = data if failed == (action, pk) else None
        return cls(bound, prefix=prefix, **kw)

    ranking = {e.reference: e for e in selectors.ranking(call, selectors.default_round(call), names=True)}
    rows = []
    submissions = call.submissions.select_related("proposal__need").order_by("submitted_at", "reference")
    for submission in submissions:
        proposal = getattr(submission, "proposal", None)
        row = {"submission": submission, "proposal": proposal, "entry": ranking.get(submission.reference)}
        row["decide_form"] = make("decide", submission.pk, f.DecideForm)
        row["matches"] = []
        if proposal is not None and submission.decision == submission.Decision.SELECTED:
            row["match_form"] = make("match", proposal.pk, f.MatchForm, fields=fields)
            for match in proposal.matches.select_related("field__agency"):
                item = {"match": match, "validation": getattr(match, "validation", None)}
                validation = item["validation"]
                if validation is None:
                    item["start_form"] = make("start", match.pk, f.StartForm)
                elif validation.status == validation.Status.RUNNING:
                    item["report_form"] = make("report", validation.pk, f.ReportForm)
                    item["withdraw_form"] = make("withdraw", validation.pk, f.WithdrawForm)
                elif validation.status == validation.Status.REPORTED:
                    item["result_form"] = make("result", validation.pk, f.ResultForm)
                    item["withdraw_form"] = make("withdraw", validation.pk, f.WithdrawForm)
                else:
                    result = getattr(validation, "result", None)
                    item["result"] = result
                    if result is not None:
                        item["follow_ons"] = list(result.follow_ons.select_related("tender"))
                        if result.recommendation != result.Recommendation.STOP:
                            item["follow_on_form"] = make("follow_on", result.pk, f.FollowOnForm)
                row["matches"].append(item)
        rows.append(row)
    return rows


def _act(request, call: Call, action: str, pk: int, fields):
    """Run one action of the manage page; returns the bound form (valid or not) and whether it ran."""
    data, user = request.POST, request.user
    prefix = f"{action}-{pk}"
    if action == "decide":
        submission = get_object_or_404(call.submissions, pk=pk)
        form = f.DecideForm(data, prefix=prefix)
        if form.is_valid():
            services.decide_submission(submission, actor=user, **form.cleaned_data)
    elif action == "match":
        proposal = get_object_or_404(Proposal, pk=pk, call=call)
        form = f.MatchForm(data, prefix=prefix, fields=fields)
        if form.is_valid():
            services_fields.match_proposal(proposal, actor=user, **form.cleaned_data)
    elif action == "start":
        match = get_object_or_404(Match, pk=pk, proposal__call=call)
        form = f.StartForm(data, prefix=prefix)
        if form.is_valid():
            services_fields.start_validation(match, actor=user, **form.cleaned_data)
    elif action == "report":
        validation = get_object_or_404(Validation, pk=pk, match__proposal__call=call)
        form = f.ReportForm(data, prefix=prefix)
        if form.is_valid():
            services_fields.receive_report(validation, actor=user, **form.cleaned_data)
    elif action == "result":
        validation = get_object_or_404(Validation, pk=pk, match__proposal__call=call)
        form = f.ResultForm(data, prefix=prefix)
        if form.is_valid():
            services_fields.record_result(validation, actor=user, **form.cleaned_data)
    elif action == "withdraw":
        validation = get_object_or_404(Validation, pk=pk, match__proposal__call=call)
        form = f.WithdrawForm(data, prefix=prefix)
        if form.is_valid():
            services_fields.withdraw_validation(validation, actor=user, **form.cleaned_data)
    elif action == "follow_on":
        result = get_object_or_404(Result, pk=pk, validation__match__proposal__call=call)
        form = f.FollowOnForm(data, prefix=prefix)
        if form.is_valid():
            d = dict(form.cleaned_data)
            tender = services_fields.tender_by_number(user, d.pop("tender_number"))
            services_fields.record_follow_on(result, actor=user, tender=tender, **d)
    else:
        raise Http404
    return form


@login_required
def call_manage(request, slug: str):
    """The RDEC's page of a field-validation call: the ranking, the decisions, the matches to fields,
    the validations (start, report, result)."""
    call = get_object_or_404(Call, slug=slug, programme=Programme.FIELD_VALIDATION)
    require(request.user, "programs.manage_call", call)
    fields = Field.objects.select_related("agency").order_by("agency__sort_order", "name")
    failed, status = None, 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            pk = int(request.POST.get("pk", ""))
        except ValueError:
            raise Http404 from None
        failed, status = (action, pk), 400
        try:
            with transaction.atomic():
                form = _act(request, call, action, pk, fields)
        except ValidationError as exc:
            form = None
            errors = exc
        else:
            errors = None
        if form is not None and form.is_valid() and errors is None:
            messages.success(request, _("Saved."))
            return redirect("programs:call-manage", slug=call.slug)
        rows = _forms_for(call, fields, request.POST, failed)
        if errors is not None:
            for row in rows:
                for candidate in _row_forms(row):
                    if candidate.prefix == f"{action}-{pk}":
                        candidate.is_valid()
                        apply_errors(candidate, errors)
    else:
        rows = _forms_for(call, fields)
    return render(request, "programs/call_manage.html", {"call": call, "rows": rows}, status=status)


def _row_forms(row: dict):
    yield row["decide_form"]
    if "match_form" in row:
        yield row["match_form"]
    for item in row["matches"]:
        for key in ("start_form", "report_form", "result_form", "withdraw_form", "follow_on_form"):
            if key in item:
                yield item[key]


# --- validations: the field's owner agency and the RDEC log milestones, KPI measurements, incidents ----

_LOGS = {
    "milestone": (f.MilestoneForm, services_fields.add_milestone),
    "measurement": (f.MeasurementForm, services_fields.record_measurement),
    "incident": (f.IncidentForm, services_fields.record_incident),
    "report": (f.ReportForm, services_fields.receive_report),
}


@login_required
def validation_list(request):
    require(request.user, "programs.post_needs")
    today = timezone.localdate()
    validations = list(selectors_fields.validations_visible_to(request.user).order_by("ends_on", "id"))
    for v in validations:
        v.overdue = v.report_overdue_on(today)
    return render(request, "programs/validation_list.html", {"validations": validations, "today": today})


@login_required
def validation_detail(request, pk: int):
    validation = get_object_or_404(selectors_fields.validations_visible_to(request.user), pk=pk)
    require(request.user, "programs.log_validation", validation)
    failed, status = None, 200
    if request.method == "POST":
        kind = request.POST.get("action", "")
        if kind not in _LOGS:
            raise Http404
        cls, service = _LOGS[kind]
        form = cls(request.POST, prefix=kind)
        if form.is_valid():
            try:
                service(validation, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("programs:validation-detail", pk=validation.pk)
        failed, status = form, 400
    forms = {
        kind: failed if failed is not None and failed.prefix == kind else cls(prefix=kind)
        for kind, (cls, _service) in _LOGS.items()
    }
    context = {
        "validation": validation,
        "forms": forms,
        "overdue": validation.report_overdue_on(timezone.localdate()),
        "open": validation.status in (validation.Status.RUNNING, validation.Status.REPORTED),
    }
    return render(request, "programs/validation_detail.html", context, status=status)


urlpatterns = [
    path("fields/", field_list, name="field-list"),
    path("fields/new/", field_create, name="field-create"),
    path("needs/new/", need_create, name="need-create"),
    path("calls/<slug:slug>/propose/", proposal_create, name="proposal-create"),
    path("proposals/<int:pk>/", proposal_detail, name="proposal-detail"),
    path("calls/<slug:slug>/manage/", call_manage, name="call-manage"),
    path("validations/", validation_list, name="validation-list"),
    path("validations/<int:pk>/", validation_detail, name="validation-detail"),
]
