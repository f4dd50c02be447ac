"""Analytics pages: the route hint shown in the 1999 console while the agent types, duplicate
candidates, and the 質量分析報告 (ask, watch its progress, read it with its charts, download it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rdec.analytics import selectors
from rdec.core.forms import apply_errors
from rdec.core.permissions import check


@require_POST
@login_required
def route_hint(request):
    """An htmx fragment: the three likeliest agencies and categories for the text typed so far, and
    the knowledge-base articles that answer it (the same text understanding: knowledge.py)."""
    if not check(request.user, "analytics.route"):
        raise PermissionDenied
    # POST (the console sends the form's CSRF token): a caller's words never go into a URL
    text = f"{request.POST.get('subject', '')} {request.POST.get('description', '')}".strip()[:5000]
    suggestions = selectors.route_suggestions(request.user, text=text) if len(text) >= 4 else []
    articles = selectors.kb_suggestions(request.user, text=text) if len(text) >= 4 else []
    return render(
        request,
        "analytics/_route_hint.html",
        {
            "suggestions": suggestions,
            "manual": bool(suggestions) and not selectors.routes_alone(suggestions),
            "kb_articles": articles,
        },
    )


@login_required
def router_page(request):
    """For the RDEC: how well the router in use routes petitions it never saw (held out by source and
    by time), per agency, its confusion, its reliability, and what the routing rule routes alone."""
    from rdec.core.permissions import require

    require(request.user, "analytics.train_router")
    return render(request, "analytics/router.html", {"result": selectors.router_evaluation(request.user)})


@login_required
def similar_fragment(request, number: str):
    """An htmx fragment for the case page: duplicate candidates, each offered as the main case of
    a 併案 when the user may merge."""
    from rdec.petitions import selectors as petitions

    case = petitions.get_case_for_user(request.user, number)
    if not check(request.user, "analytics.find_similar", case):
        raise PermissionDenied
    found = selectors.similar_cases(request.user, case)
    return render(
        request,
        "analytics/_similar_cases.html",
        {"found": found, "may_merge": check(request.user, "petitions.merge", case) and case.is_open},
    )


DIMENSIONS = ("channel", "group", "category", "district", "village", "agency")


@login_required
def report_list(request):
    """The 質量分析報告 the user may open, and the form to ask for a new one."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from rdec.analytics import forms, services
    from rdec.core.permissions import require

    require(request.user, "analytics.view_reports")
    form = forms.ReportForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.request_report(
                    actor=request.user, period=data["period"], day=data["day"], agency=data.get("agency"),
                    district=data.get("district"),
                )  # fmt: skip
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The report is being built."))
                return redirect("analytics:report-detail", pk=report.pk)
        status = 400
    reports = selectors.reports_visible_to(request.user)[:50]
    return render(request, "analytics/report_list.html", {"form": form, "reports": reports}, status=status)


def _report_context(report, dim: str = "category", compare: str = "previous") -> dict:
    from rdec.analytics import charts, report_files

    figures = report.figures
    chart = charts.bars(
        figures["by"][dim],
        slug=f"chart-{dim}",
        title=dict(_dimension_labels())[dim],
        compare=compare,
        limit=40,
    )
    return {
        "report": report,
        "f": figures,
        "title": report_files.title_of(figures),
        "charts": charts.report_charts(figures),
        "dim": dim,
        "compare": compare,
        "dim_rows": figures["by"][dim],
        "dim_chart": chart,
        "dimensions": _dimension_labels(),
        "flag_label": report_files.flag_label,
    }


def _dimension_labels():
    return [
        ("channel", _("Channel")),
        ("group", _("Category group")),
        ("category", _("Category")),
        ("district", _("District")),
        ("village", _("Village")),
        ("agency", _("Agency")),
    ]


@login_required
def report_detail(request, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    if report.status != report.Status.DONE:
        return render(request, "analytics/report_detail.html", {"report": report, "title": str(report)})
    context = _report_context(report)
    for row in context["f"]["hot"]["rising"]:
        row["flag_text"] = context["flag_label"](row["flag"])
    return render(request, "analytics/report_detail.html", context)


@login_required
def report_progress(request, pk: int):
    """htmx: the job's progress; once it is finished the page reloads to show the report."""
    from django.http import HttpResponse

    report = selectors.get_report_for_user(request.user, pk)
    if report.finished and request.headers.get("HX-Request"):
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return render(request, "analytics/_report_progress.html", {"report": report})


@login_required
def report_dimension(request, pk: int):
    """htmx: the chart and table of one dimension (channel, category, district...), compared with
    the previous period or the same period last year."""
    from django.http import Http404

    report = selectors.get_report_for_user(request.user, pk)
    dim = request.GET.get("dim", "category")
    compare = request.GET.get("compare", "previous")
    if (
        report.status != report.Status.DONE
        or dim not in DIMENSIONS
        or compare not in ("previous", "last_year")
    ):
        raise Http404
    return render(request, "analytics/_report_dimension.html", _report_context(report, dim, compare))


@login_required
def report_file(request, pk: int, fmt: str):
    from django.http import FileResponse, Http404

    from rdec.analytics.report_files import MIME

    report = selectors.get_report_for_user(request.user, pk)
    if fmt not in MIME or report.status != report.Status.DONE or not getattr(report, fmt):
        raise Http404
    name = f"analysis-report-{report.start:%Y%m%d}-{report.period}.{fmt}"
    return FileResponse(
        getattr(report, fmt).open("rb"), as_attachment=True, filename=name, content_type=MIME[fmt]
    )
