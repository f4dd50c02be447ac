"""The strategy pages: the strategy tree with lights, an action plan with its targets and quarterly
history, an agency's quarterly report, the RDEC's reporting windows and thresholds, target change
requests and the mayor's summary. Every list downloads as Excel with ?format=xlsx.

Views read through selectors and write through services; a ValidationError from a service is shown
on the page with status 400; PermissionDenied becomes the 403 page."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from rdec.core import audit
from rdec.core.dates import quarter_label, roc_date
from rdec.core.decorators import permission_required as _role_required
from rdec.core.permissions import check, require
from rdec.strategy import forms, live, selectors, services
from rdec.strategy.exports import xlsx_response
from rdec.strategy.models import (
    ActionPlan,
    LightRule,
    QuarterlyReport,
    ReportingWindow,
    SubsidyCycle,
    Target,
    TargetChangeRequest,
)
from rdec.strategy.templatetags.strategy import light_label

WINDOW_STATES = {
    "scheduled": pgettext_lazy("reporting window", "Not open yet"),
    "open": pgettext_lazy("reporting window", "Open"),
    # Translators: 已逾填報截止日（研考會尚未截止）
    "late": pgettext_lazy("reporting window", "Past its closing date"),
    # Translators: 已截止
    "closed": pgettext_lazy("reporting window", "Closed"),
}


def _apply_errors(form, exc: ValidationError) -> list[str]:
    """Put a service's errors next to the form's fields; return the others for the page."""
    rest = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                if field in form.fields:
                    form.add_error(field, message)
                else:
                    rest.append(message)
    else:
        rest.extend(exc.messages)
    return rest


def _period(request) -> tuple[int, int, forms.PeriodForm]:
    year, quarter = selectors.current_period()
    form = forms.PeriodForm(request.GET or None, initial={"year": year, "quarter": quarter})
    if request.GET and form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    elif request.GET:
        form = forms.PeriodForm(initial={"year": year, "quarter": quarter})
    return year, quarter, form


def _wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _export(request, name: str, title: str, headers, rows):
    rows = list(rows)
    audit.record("strategy.exported", request.user, export=name, rows=len(rows))
    return xlsx_response(name, title, headers, rows)


def _target_cells(t) -> list:
    return [
        t.target.name,
        t.target.unit,
        t.target.annual_target,
        t.period_target,
        t.actual,
        t.rate,
        light_label(t.light),
    ]


TARGET_HEADERS = [
    gettext_lazy("Indicator"),
    gettext_lazy("Unit"),
    gettext_lazy("Annual target"),
    gettext_lazy("Target for the period"),
    gettext_lazy("Actual"),
    gettext_lazy("Achievement rate (%)"),
    gettext_lazy("Light"),
]


def _target_headers() -> list[str]:
    return [str(h) for h in TARGET_HEADERS]


# --- the strategy tree ----------------------------------------------------------------------------------


@_role_required("strategy.view_strategy")
def tree(request):
    year, quarter, period_form = _period(request)
    strategies = selectors.strategy_tree(request.user, year, quarter)
    if _wants_xlsx(request):
        rows = [
            [
                s.strategy.number,
                s.strategy.name,
                p.plan.code,
                p.plan.name,
                p.plan.agency.short_name,
                *_target_cells(t),
            ]
            for s in strategies
            for p in s.plans
            for t in p.targets
        ]
        headers = [_("Strategy"), _("Strategy name"), _("Code"), _("Action plan"), _("Owner agency")]
        return _export(
            request,
            "strategy-tree",
            _("Strategy KPIs, %(period)s") % {"period": quarter_label(year, quarter)},
            headers + _target_headers(),
            rows,
        )
    context = {
        "strategies": strategies,
        "year": year,
        "quarter": quarter,
        "period_form": period_form,
        "thresholds": selectors.thresholds_for(live.quarter_bounds(year, quarter)[1]),
        "rule": selectors.light_rule_for(live.quarter_bounds(year, quarter)[1]),
    }
    return render(request, "strategy/tree.html", context)


@_role_required("strategy.view_summary")
def summary(request):
    year, quarter, period_form = _period(request)
    data = selectors.mayor_summary(request.user, year, quarter)
    if _wants_xlsx(request):
        if request.GET.get("by") == "agency":
            rows = [
                [a.agency.name, len(a.plans), a.rollup.rated, a.rollup.rate, light_label(a.rollup.light)]
                for a in data["agencies"]
            ]
            headers = [
                _("Owner agency"),
                _("Action plans"),
                _("Plans with a rate"),
                _("Achievement rate (%)"),
                _("Light"),
            ]
        else:
            rows = [
                [
                    s.strategy.number,
                    s.strategy.name,
                    len(s.plans),
                    s.rollup.rated,
                    s.rollup.rate,
                    light_label(s.rollup.light),
                ]
                for s in data["strategies"]
            ]
            headers = [
                _("Strategy"),
                _("Strategy name"),
                _("Action plans"),
                _("Plans with a rate"),
                _("Achievement rate (%)"),
                _("Light"),
            ]
        return _export(
            request,
            "strategy-summary",
            _("Mayor's summary, %(period)s") % {"period": quarter_label(year, quarter)},
            headers,
            rows,
        )
    return render(
        request,
        "strategy/summary.html",
        {**data, "year": year, "quarter": quarter, "period_form": period_form},
    )


# --- an action plan -------------------------------------------------------------------------------------


def _plan_context(request, plan: ActionPlan, year: int, quarter: int, period_form, bound=None, errors=()):
    row = selectors.plan_rows(
        ActionPlan.objects.filter(pk=plan.pk).select_related("strategy", "agency"), year, quarter
    )[0]
    may_request = check(request.user, "strategy.request_target_change", plan)
    change_forms = {}
    if may_request:
        for t in row.targets:
            if bound and bound[0] == t.target.pk:
                change_forms[t.target.pk] = bound[1]
            else:
                change_forms[t.target.pk] = forms.ChangeRequestForm(prefix=f"c{t.target.pk}")
    return {
        "plan": plan,
        "row": row,
        "targets": [(t, change_forms.get(t.target.pk)) for t in row.targets],
        "history": selectors.plan_history(request.user, plan),
        "changes": selectors.change_requests_visible_to(request.user).filter(target__plan=plan),
        "co_agencies": list(plan.co_agencies.all()),
        "year": year,
        "quarter": quarter,
        "period_form": period_form,
        "may_request": may_request,
        "page_errors": errors,
    }


@_role_required("strategy.view_strategy")
def plan_detail(request, code: str):
    plan = selectors.get_plan_for_user(request.user, code)
    year, quarter, period_form = _period(request)
    if _wants_xlsx(request):
        rows = [
            [
                h["year"],
                t.target.name,
                t.target.unit,
                t.target.annual_target,
                q,
                r.value,
                r.get_origin_display(),
                r.narrative,
                str(r.reported_by or ""),
                timezone.localtime(r.reported_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for h in selectors.plan_history(request.user, plan)
            for t in h["targets"]
            for q, r in sorted(t.reports.items())
        ]
        headers = [
            _("Year"),
            _("Indicator"),
            _("Unit"),
            _("Annual target"),
            _("Quarter"),
            _("Value"),
            _("Origin"),
            _("Progress narrative"),
            _("Reported by"),
            _("Reported at"),
        ]
        return _export(request, f"plan-{plan.code}", str(plan), headers, rows)
    return render(
        request, "strategy/plan_detail.html", _plan_context(request, plan, year, quarter, period_form)
    )


@require_POST
@_role_required("strategy.view_strategy")
def target_change(request, code: str, pk: int):
    plan = selectors.get_plan_for_user(request.user, code)
    target = Target.objects.filter(plan=plan, pk=pk).select_related("plan").first()
    if target is None:
        raise Http404
    form = forms.ChangeRequestForm(request.POST, prefix=f"c{pk}")
    errors = []
    if form.is_valid():
        try:
            change = services.request_target_change(target, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = _apply_errors(form, exc)
        else:
            if change.status == TargetChangeRequest.Status.PENDING:
                messages.success(request, _("The request to lower the target was sent to the RDEC."))
            else:
                messages.success(request, _("The target was raised."))
            return redirect(reverse("strategy:plan", args=[plan.code]) + f"?year={target.year}")
    year, quarter, period_form = target.year, selectors.current_period()[1], forms.PeriodForm()
    context = _plan_context(request, plan, year, quarter, period_form, bound=(pk, form), errors=errors)
    return render(request, "strategy/plan_detail.html", context, status=400)


# --- the agency's quarterly report ----------------------------------------------------------------------


def _report_context(request, window, bound=None, errors=()):
    rows = selectors.reporting_rows(request.user, window) if window else []
    items = []
    for t in rows:
        if bound and bound[0] == t.target.pk:
            form = bound[1]
        else:
            report = t.reports.get(window.quarter)
            initial = {"value": report.value, "narrative": report.narrative} if report else {}
            form = forms.ReportForm(prefix=f"t{t.target.pk}", initial=initial)
        items.append((t, form, t.reports.get(window.quarter)))
    by_plan = defaultdict(list)
    for item in items:
        by_plan[item[0].target.plan].append(item)
    open_now = selectors.open_windows()
    return {
        "window": window,
        "state": window.state() if window else None,
        "state_label": WINDOW_STATES[window.state()] if window else "",
        "refusal": selectors.window_refusal(window) if window else None,
        "plans": list(by_plan.items()),
        "reported": sum(1 for _t, _f, r in items if r is not None),
        "total": len(items),
        "open_windows": open_now,
        "recent": list(selectors.windows()[:6]),
        "reminders": selectors.reminders_for(request.user),
        "page_errors": errors,
    }


@_role_required("strategy.report")
def report(request):
    window = None
    if request.GET.get("window", "").isdigit():
        window = ReportingWindow.objects.filter(pk=int(request.GET["window"])).first()
    if window is None:
        open_now = selectors.open_windows()
        window = open_now[0] if open_now else None
    context = _report_context(request, window)
    if _wants_xlsx(request) and window is not None:
        rows = [
            [p.code, p.name, *(_target_cells(t)), r.narrative if r else ""]
            for p, items in context["plans"]
            for t, _f, r in items
        ]
        headers = [_("Code"), _("Action plan"), *_target_headers(), _("Progress narrative")]
        return _export(
            request,
            f"report-{window.period}",
            _("Quarterly KPI report %(period)s") % {"period": window.label},
            headers,
            rows,
        )
    return render(request, "strategy/report.html", context)


@require_POST
@_role_required("strategy.report")
def report_submit(request, window: int, pk: int):
    window_obj = ReportingWindow.objects.filter(pk=window).first()
    target = Target.objects.select_related("plan").filter(pk=pk).first()
    if window_obj is None or target is None:
        raise Http404
    require(request.user, "strategy.report", target)
    form = forms.ReportForm(request.POST, prefix=f"t{pk}")
    errors = []
    if form.is_valid():
        try:
            services.submit_report(
                target,
                actor=request.user,
                window=window_obj,
                value=form.cleaned_data["value"],
                narrative=form.cleaned_data["narrative"],
            )
        except ValidationError as exc:
            errors = _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(code)s %(name)s: the value was saved.")
                % {"code": target.plan.code, "name": target.name},
            )
            return redirect(reverse("strategy:report") + f"?window={window_obj.pk}#target-{pk}")
    context = _report_context(request, window_obj, bound=(pk, form), errors=errors)
    return render(request, "strategy/report.html", context, status=400)


# --- the RDEC's windows and thresholds ------------------------------------------------------------------


def _windows_context(request, *, open_form=None, rule_form=None, errors=()):
    items = []
    totals = {
        row["year"]: row["n"]
        for row in Target.objects.filter(plan__active=True).values("year").annotate(n=Count("id"))
    }
    reported = {r["window"]: r["n"] for r in QuarterlyReport.objects.values("window").annotate(n=Count("id"))}
    for w in selectors.windows():
        items.append(
            {
                "window": w,
                "state": w.state(),
                "state_label": str(WINDOW_STATES[w.state()]),
                "reported": reported.get(w.pk, 0),
                "total": totals.get(w.year, 0),
            }
        )
    today = timezone.localdate()
    return {
        "items": items,
        "open_form": open_form or forms.WindowForm(),
        "extend_form": forms.ExtendForm(),
        "rule_form": rule_form or forms.LightRuleForm(initial={"effective_from": today}),
        "rules": list(LightRule.objects.all()),
        "thresholds": selectors.thresholds_for(today),
        "page_errors": errors,
    }


@_role_required("strategy.manage_windows")
def windows(request):
    context = _windows_context(request)
    if _wants_xlsx(request):
        rows = [
            [
                i["window"].year,
                i["window"].quarter,
                i["window"].opens_on.isoformat(),
                i["window"].closes_on.isoformat(),
                i["state_label"],
                i["reported"],
                i["total"],
            ]
            for i in context["items"]
        ]
        headers = [
            _("Year"),
            _("Quarter"),
            _("Opens on"),
            _("Closes on"),
            _("State"),
            _("Reported"),
            _("Targets"),
        ]
        return _export(request, "reporting-windows", _("Reporting windows"), headers, rows)
    return render(request, "strategy/windows.html", context)


@require_POST
@_role_required("strategy.manage_windows")
def window_open(request):
    form = forms.WindowForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            window = services.open_window(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = _apply_errors(form, exc)
        else:
            messages.success(
                request, _("The reporting window for %(period)s is set.") % {"period": window.label}
            )
            return redirect("strategy:windows")
    return render(
        request, "strategy/windows.html", _windows_context(request, open_form=form, errors=errors), status=400
    )


def _window(pk: int) -> ReportingWindow:
    window = ReportingWindow.objects.filter(pk=pk).first()
    if window is None:
        raise Http404
    return window


@require_POST
@_role_required("strategy.manage_windows")
def window_close(request, pk: int):
    window = _window(pk)
    try:
        services.close_window(window, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The reporting window for %(period)s is closed.") % {"period": window.label}
        )
    return redirect("strategy:windows")


@require_POST
@_role_required("strategy.manage_windows")
def window_extend(request, pk: int):
    window = _window(pk)
    form = forms.ExtendForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("strategy:windows")
    try:
        services.extend_window(window, actor=request.user, closes_on=form.cleaned_data["closes_on"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The reporting window for %(period)s now closes on %(date)s.")
            % {
                "period": window.label,
                "date": roc_date(form.cleaned_data["closes_on"]),
            },
        )
    return redirect("strategy:windows")


@_role_required("strategy.manage_windows")
def window_detail(request, pk: int):
    """Who has reported in the window: each owner agency's targets, reported or not."""
    window = _window(pk)
    targets = (
        Target.objects.filter(year=window.year, plan__active=True)
        .select_related("plan", "plan__agency")
        .order_by("plan__agency__sort_order", "plan__sort_key", "sort_order")
    )
    reports = {
        r.target_id: r for r in QuarterlyReport.objects.filter(window=window).select_related("reported_by")
    }
    agencies = defaultdict(list)
    for target in targets:
        agencies[target.plan.agency].append((target, reports.get(target.pk)))
    if _wants_xlsx(request):
        rows = [
            [
                agency.name,
                t.plan.code,
                t.name,
                r.value if r else None,
                r.narrative if r else "",
                str(r.reported_by or "") if r else "",
            ]
            for agency, items in agencies.items()
            for t, r in items
        ]
        headers = [
            _("Owner agency"),
            _("Code"),
            _("Indicator"),
            _("Value"),
            _("Progress narrative"),
            _("Reported by"),
        ]
        return _export(
            request,
            f"window-{window.period}",
            _("Reporting window %(period)s") % {"period": window.label},
            headers,
            rows,
        )
    return render(
        request,
        "strategy/window_detail.html",
        {
            "window": window,
            "state_label": WINDOW_STATES[window.state()],
            "agencies": [
                (agency, items, sum(1 for _t, r in items if r is not None))
                for agency, items in agencies.items()
            ],
        },
    )


@require_POST
@_role_required("strategy.manage_plans")
def thresholds(request):
    form = forms.LightRuleForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            services.set_light_rule(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = _apply_errors(form, exc)
        else:
            messages.success(request, _("The traffic-light thresholds were saved."))
            return redirect("strategy:windows")
    return render(
        request, "strategy/windows.html", _windows_context(request, rule_form=form, errors=errors), status=400
    )


# --- target change requests -----------------------------------------------------------------------------


@_role_required("strategy.view_strategy")
def changes(request):
    items = list(selectors.change_requests_visible_to(request.user))
    if _wants_xlsx(request):
        rows = [
            [
                c.target.plan.code,
                c.target.name,
                c.target.year,
                c.old_value,
                c.new_value,
                c.justification,
                c.response_strategy,
                c.get_status_display(),
                str(c.requested_by or ""),
                str(c.decided_by or ""),
                c.decision_comment,
            ]
            for c in items
        ]
        headers = [
            _("Code"),
            _("Indicator"),
            _("Year"),
            _("Current target"),
            _("Proposed target"),
            _("Why the target cannot be met"),
            _("Response strategy"),
            _("Status"),
            _("Requested by"),
            _("Decided by"),
            _("RDEC's comment"),
        ]
        return _export(request, "target-changes", _("Target change requests"), headers, rows)
    may_decide = check(request.user, "strategy.decide_target_change")
    return render(
        request,
        "strategy/changes.html",
        {
            "items": [
                (c, forms.DecisionForm(prefix=f"d{c.pk}") if may_decide and c.status == "pending" else None)
                for c in items
            ],
        },
    )


@require_POST
@_role_required("strategy.decide_target_change")
def change_decide(request, pk: int):
    change = selectors.change_requests_visible_to(request.user).filter(pk=pk).first()
    if change is None:
        raise Http404
    form = forms.DecisionForm(request.POST, prefix=f"d{pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("strategy:changes")
    try:
        services.decide_target_change(
            change,
            actor=request.user,
            approve=form.cleaned_data["approve"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The decision was recorded."))
    return redirect("strategy:changes")


# --- subsidy projects (一般性補助款基本設施補助計畫) --------------------------------------------------------


def _proposal_agencies(user):
    from rdec.core.models import Agency
    from rdec.strategy.permissions import reporting_agency_ids

    if check(user, "strategy.manage_subsidies"):
        return Agency.objects.filter(level__in=["first", "second", "district_office"])
    return Agency.objects.filter(pk__in=reporting_agency_ids(user))


def _subsidies_context(request, cycle, *, propose_form=None, cycle_form=None, errors=()):
    user = request.user
    projects = selectors.subsidy_projects_visible_to(user).filter(cycle=cycle) if cycle else None
    today = timezone.localdate()
    up_to = 12 if cycle and cycle.year < today.year else today.month
    may_propose = (
        cycle is not None and check(user, "strategy.propose_subsidy") and cycle.review_meeting_on is None
    )
    return {
        "cycle": cycle,
        "cycles": list(SubsidyCycle.objects.all()),
        "rows": selectors.subsidy_rows(projects, up_to) if projects is not None else [],
        "may_manage": check(user, "strategy.manage_subsidies"),
        "may_propose": may_propose,
        "propose_form": propose_form
        or (forms.SubsidyProposalForm(agencies=_proposal_agencies(user)) if may_propose else None),
        "cycle_form": cycle_form
        or forms.SubsidyCycleForm(initial={"year": today.year + (1 if today.month >= 11 else 0)}),
        "reminders": selectors.reminders_for(user),
        "published": list(cycle.publications.all()) if cycle else [],
        "page_errors": errors,
    }


def _cycle_for(request):
    year = request.GET.get("year", "")
    cycles = SubsidyCycle.objects.all()
    if year.isdigit():
        return cycles.filter(year=int(year)).first()
    return cycles.first()


@_role_required("strategy.view_subsidies")
def subsidies(request):
    cycle = _cycle_for(request)
    context = _subsidies_context(request, cycle)
    if _wants_xlsx(request) and cycle is not None:
        rows = [
            [
                r.project.agency.short_name,
                r.project.title,
                r.project.get_status_display(),
                r.project.central_subsidy,
                r.project.city_match,
                r.month,
                r.planned_progress,
                r.actual_progress,
                r.actual_spend,
                r.execution_rate,
                r.late_reports,
                r.checkpoints_overdue,
            ]
            for r in context["rows"]
        ]
        headers = [
            _("Agency"),
            _("Project"),
            _("Status"),
            _("Central subsidy (NT$ thousand)"),
            _("City's matching funds (NT$ thousand)"),
            _("Month"),
            _("Planned progress (%)"),
            _("Actual progress (%)"),
            _("Actual spending (NT$ thousand)"),
            _("Execution rate (%)"),
            _("Late reports"),
            _("Checkpoints overdue"),
        ]
        return _export(
            request,
            f"subsidies-{cycle.year}",
            _("Subsidy projects %(year)s") % {"year": cycle.year},
            headers,
            rows,
        )
    return render(request, "strategy/subsidies.html", context)


@require_POST
@_role_required("strategy.manage_subsidies")
def subsidy_cycle_open(request):
    form = forms.SubsidyCycleForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            cycle = services.open_subsidy_cycle(actor=request.user, year=form.cleaned_data["year"])
        except ValidationError as exc:
            errors = _apply_errors(form, exc)
        else:
            messages.success(request, _("The subsidy cycle of %(year)s is open.") % {"year": cycle.year})
            return redirect(reverse("strategy:subsidies") + f"?year={cycle.year}")
    context = _subsidies_context(request, SubsidyCycle.objects.first(), cycle_form=form, errors=errors)
    return render(request, "strategy/subsidies.html", context, status=400)


@require_POST
@_role_required("strategy.propose_subsidy")
def subsidy_propose(request, year: int):
    cycle = SubsidyCycle.objects.filter(year=year).first()
    if cycle is None:
        raise Http404
    form = forms.SubsidyProposalForm(request.POST, agencies=_proposal_agencies(request.user))
    errors = []
    if form.is_valid():
        try:
            project = services.propose_subsidy_project(cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = _apply_errors(form, exc)
        else:
            messages.success(request, _("The project was proposed."))
            return redirect("strategy:subsidy", pk=project.pk)
    context = _subsidies_context(request, cycle, propose_form=form, errors=errors)
    return render(request, "strategy/subsidies.html", context, status=400)


@require_POST
@_role_required("strategy.manage_subsidies")
def subsidy_publish(request, year: int):
    cycle = SubsidyCycle.objects.filter(year=year).first()
    if cycle is None:
        raise Http404
    quarter = request.POST.get("quarter", "")
    try:
        services.publish_subsidy_quarter(
            cycle, actor=request.user, quarter=int(quarter) if quarter.isdigit() else 0
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The quarter was published on the public page."))
    return redirect(reverse("strategy:subsidies") + f"?year={year}")


def subsidy_public(request, year: int):
    """The public page (no sign-in): the published quarters' performance of the selected projects."""
    report = selectors.public_subsidy_report(year)
    if report is None:
        raise Http404
    return render(request, "strategy/subsidy_public.html", report)


def _subsidy_context(request, project, *, decision_form=None, schedule_form=None, month_form=None, errors=()):
    user = request.user
    checkpoints = list(project.checkpoints.all())
    may_edit = check(user, "strategy.edit_subsidy", project)
    selected = project.status == project.Status.SELECTED
    return {
        "project": project,
        "row": selectors.subsidy_rows(
            type(project).objects.filter(pk=project.pk).select_related("cycle", "agency"), 12
        )[0],
        "months": list(project.months.select_related("reported_by", "project__cycle")),
        "checkpoints": checkpoints,
        "may_decide": check(user, "strategy.manage_subsidies", project),
        "may_schedule": may_edit and selected,
        "may_report": may_edit and selected and project.months.exists(),
        "decision_form": decision_form or forms.SubsidyDecisionForm(),
        "schedule_form": schedule_form or forms.SubsidyScheduleForm(),
        "month_form": month_form
        or forms.SubsidyMonthForm(checkpoints=[c for c in checkpoints if c.done_on is None]),
        "page_errors": errors,
    }


@_role_required("strategy.view_subsidies")
def subsidy_detail(request, pk: int):
    project = selectors.get_subsidy_project_for_user(request.user, pk)
    if _wants_xlsx(request):
        rows = [
            [
                m.month,
                m.planned_progress,
                m.actual_progress,
                m.planned_spend,
                m.actual_spend,
                m.delay_reason,
                m.countermeasure,
            ]
            for m in project.months.all()
        ]
        headers = [
            _("Month"),
            _("Planned progress (%)"),
            _("Actual progress (%)"),
            _("Planned spending (NT$ thousand)"),
            _("Actual spending (NT$ thousand)"),
            _("Reason for delay"),
            _("Countermeasure"),
        ]
        return _export(request, f"subsidy-{project.pk}", str(project), headers, rows)
    return render(request, "strategy/subsidy_detail.html", _subsidy_context(request, project))


def _subsidy_post(request, pk: int, form_name: str, form_class, perform, **form_kwargs):
    project = selectors.get_subsidy_project_for_user(request.user, pk)
    kwargs = form_kwargs.get("kwargs", lambda p: {})(project)
    form = form_class(request.POST, **kwargs)
    errors = []
    if form.is_valid():
        try:
            message = perform(project, form.cleaned_data)
        except ValidationError as exc:
            errors = _apply_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("strategy:subsidy", pk=project.pk)
    context = _subsidy_context(request, project, **{form_name: form}, errors=errors)
    return render(request, "strategy/subsidy_detail.html", context, status=400)


@require_POST
@_role_required("strategy.manage_subsidies")
def subsidy_decide(request, pk: int):
    def perform(project, data):
        services.decide_subsidy_project(
            project, actor=request.user, selected=data["selected"], comment=data["comment"]
        )
        return _("The selection was recorded.")

    return _subsidy_post(request, pk, "decision_form", forms.SubsidyDecisionForm, perform)


@require_POST
@_role_required("strategy.view_subsidies")
def subsidy_schedule(request, pk: int):
    def perform(project, data):
        services.set_subsidy_schedule(
            project, actor=request.user, checkpoints=data["checkpoints"], months=data["months"]
        )
        return _("The checkpoints and the monthly plan were saved.")

    return _subsidy_post(request, pk, "schedule_form", forms.SubsidyScheduleForm, perform)


@require_POST
@_role_required("strategy.view_subsidies")
def subsidy_report(request, pk: int):
    today = timezone.localdate()

    def perform(project, data):
        services.report_subsidy_month(
            project,
            actor=request.user,
            month=data["month"],
            actual_progress=data["actual_progress"],
            actual_spend=data["actual_spend"],
            delay_reason=data["delay_reason"],
            countermeasure=data["countermeasure"],
            checkpoints_done={int(c): today for c in data["done"]},
        )
        return _("The monthly report was saved.")

    return _subsidy_post(
        request,
        pk,
        "month_form",
        forms.SubsidyMonthForm,
        perform,
        kwargs=lambda p: {"checkpoints": list(p.checkpoints.filter(done_on__isnull=True))},
    )
