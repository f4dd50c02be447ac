"""The document-timeliness pages: the monthly KPI table with the ranking in the two groups and the
flags (and, for the RDEC, publishing the ranking and recording improvement reports), an agency's
drill-down, the RDEC's upload of the document system's export, the half-year report to the mayor
with its .xlsx, .ods and PDF files (and the on-site check choice), and the rule versions.

Views read through selectors and write through services; a ValidationError is shown with status
400; PermissionDenied becomes the 403 page.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rdec.core.models import Agency
from rdec.core.permissions import check, require
from rdec.documents import forms, importer, reports, selectors, services
from rdec.documents.models import Document, ImprovementReport, SiteCheck

GROUP_LABELS = {  # lazy: made at import, read in the request's language
    Agency.EvaluationGroup.AGENCY: gettext_lazy("Agency group"),
    Agency.EvaluationGroup.DISTRICT: gettext_lazy("District office group"),
}


def _filters(request) -> tuple[datetime.date, str, forms.KpiFilterForm]:
    form = forms.KpiFilterForm(request.GET or None)
    month, doc_class = selectors.previous_month(), ""
    if form.is_valid():
        month = form.cleaned_data.get("month") or month
        doc_class = form.cleaned_data.get("doc_class") or ""
    if not request.GET.get("month"):
        form = forms.KpiFilterForm(initial={"month": month, "doc_class": doc_class})
    return month, doc_class, form


@login_required
def kpi_list(request):
    month, doc_class, form = _filters(request)
    kpis = selectors.monthly_kpis(request.user, month, doc_class=doc_class)
    may_follow_up = check(request.user, "documents.manage_follow_up")
    groups = [(GROUP_LABELS[g], kpis.group(g)) for g in selectors.GROUPS]
    return render(
        request,
        "documents/kpi_list.html",
        {
            "kpis": kpis,
            "threshold": f"{kpis.rule.overdue_threshold_pct} %",
            "groups": [(label, rows) for label, rows in groups if rows],
            "form": form,
            "month_value": f"{month:%Y-%m}",
            "class_label": dict(Document.DocClass.choices).get(doc_class, _("All classes")),
            "reports": selectors.improvement_reports(request.user, month),
            "may_follow_up": may_follow_up,
            "may_import": check(request.user, "documents.import_documents"),
            "may_publish": may_follow_up and month <= selectors.previous_month(),
            "received_form": forms.ReceivedForm(initial={"received_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def publish_ranking(request):
    form = forms.KpiFilterForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("month"):
        raise Http404
    month = form.cleaned_data["month"]
    try:
        asked = services.publish_ranking(month, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The ranking was published; %(count)s agencies were asked for an improvement report.")
            % {"count": len(asked)},
        )
    return redirect(f"{reverse('documents:kpi-list')}?month={month:%Y-%m}")


@login_required
@require_POST
def report_received(request, pk: int):
    require(request.user, "documents.manage_follow_up")
    report = get_object_or_404(ImprovementReport, pk=pk)
    form = forms.ReceivedForm(request.POST)
    if form.is_valid():
        try:
            services.record_improvement_report(report, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The improvement report's receipt was recorded."))
    else:
        messages.error(request, _("Give the date the report was received."))
    return redirect(f"{reverse('documents:kpi-list')}?month={report.month:%Y-%m}")


@login_required
def agency_detail(request, code: str):
    agency = selectors.get_agency_for_user(request.user, code)
    month, _doc_class, form = _filters(request)
    detail = selectors.agency_detail(request.user, agency, month)
    return render(
        request,
        "documents/agency_detail.html",
        {
            "detail": detail,
            "form": form,
            "month": month,
            "classes": [(label, detail.classes[value]) for value, label in Document.DocClass.choices],
        },
    )


@login_required
def upload(request):
    require(request.user, "documents.import_documents")
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    errors, result, status = [], None, 200
    if request.method == "POST":
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            try:
                result = services.import_documents(
                    upload_file.read(), actor=request.user, filename=upload_file.name
                )
            except importer.ImportFailed as exc:
                errors, status = exc.errors, 400
        else:
            status = 400
    return render(
        request,
        "documents/upload.html",
        {
            "form": form,
            "errors": errors,
            "result": result,
            "columns": importer.COLUMNS,
            "batches": selectors.import_batches(request.user)[:10],
        },
        status=status,
    )


def _half(request) -> tuple[int, int, forms.HalfYearForm]:
    today = timezone.localdate()
    # default: the last half year that has ended
    year, half = (today.year - 1, 2) if today.month <= 6 else (today.year, 1)
    form = forms.HalfYearForm(request.GET or None)
    if request.GET and form.is_valid():
        year, half = form.cleaned_data["year"], form.cleaned_data["half"]
    else:
        form = forms.HalfYearForm(initial={"year": year, "half": half})
    return year, half, form


@login_required
def half_year(request):
    year, half, form = _half(request)
    report = selectors.half_year_report(request.user, year, half)
    return render(
        request,
        "documents/half_year.html",
        {
            "report": report,
            "title": reports.report_title(report),
            "threshold": f"{report.rule.overdue_threshold_pct} %",
            "form": form,
            "groups": [
                (GROUP_LABELS[g], [(k, report.flagged_months.get(k.agency.pk, [])) for k in report.group(g)])
                for g in selectors.GROUPS
            ],
            "bottom": [(GROUP_LABELS[g], rows) for g, rows in report.bottom.items()],
            "checks": selectors.site_checks(request.user, year),
            "may_follow_up": check(request.user, "documents.manage_follow_up"),
            "checked_form": forms.CheckedForm(initial={"checked_on": timezone.localdate()}),
            "query": f"year={year}&half={half}",
        },
    )


@login_required
def half_year_file(request, fmt: str):
    if fmt not in reports.MIME:
        raise Http404
    year, half, _form = _half(request)
    report = selectors.half_year_report(request.user, year, half)
    response = HttpResponse(reports.build_half_year_report(report, fmt), content_type=reports.MIME[fmt])
    response["Content-Disposition"] = f'attachment; filename="document-timeliness-{year}-H{half}.{fmt}"'
    return response


@login_required
@require_POST
def site_checks_select(request):
    form = forms.HalfYearForm(request.POST)
    if not form.is_valid():
        raise Http404
    year = form.cleaned_data["year"]
    chosen = services.select_site_checks(year, actor=request.user)
    messages.success(
        request, _("%(count)s agencies were chosen for on-site document checks.") % {"count": len(chosen)}
    )
    return redirect(f"{reverse('documents:half-year')}?year={year}&half={form.cleaned_data['half']}")


@login_required
@require_POST
def site_check_done(request, pk: int):
    require(request.user, "documents.manage_follow_up")
    site_check = get_object_or_404(SiteCheck, pk=pk)
    form = forms.CheckedForm(request.POST)
    if form.is_valid():
        try:
            services.record_site_check(site_check, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The on-site check was recorded."))
    return redirect(f"{reverse('documents:half-year')}?year={site_check.year}&half=2")


@login_required
def rule_list(request):
    require(request.user, "documents.view_kpis")
    return render(
        request,
        "documents/rule_list.html",
        {"versions": selectors.rule_versions(), "may_edit": check(request.user, "documents.edit_rules")},
    )
