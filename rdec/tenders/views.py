"""The tenders pages: the tender list with filters, the tender page with its S-curve and monthly
progress (and a form to enter a month), the agencies' workbook upload and template, the monthly
control report (標案進度管制會報) with its .xlsx, .ods and PDF files, and the rule versions.

Views read through selectors and write through services; a ValidationError is shown on the page
with status 400; PermissionDenied becomes the 403 page.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rdec.core.forms import apply_errors
from rdec.core.models import Agency
from rdec.core.permissions import check, require, visible_agency_ids
from rdec.tenders import charts, forms, importer, reports, rules, selectors, services
from rdec.tenders.models import Tender

PAGE_SIZE = 50


def _agencies_for(user):
    ids = visible_agency_ids(user)
    qs = Agency.objects.filter(tenders__isnull=False).distinct()
    return qs if ids is None else qs.filter(pk__in=ids)


@login_required
def tender_list(request):
    qs = selectors.tenders_visible_to(request.user)
    form = forms.TenderFilterForm(request.GET or None, agencies=_agencies_for(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.filter_tenders(qs, **{k: v for k, v in filters.items() if v}).order_by("number")
    missing_month = None
    if request.GET.get("progress") == "missing":  # the home page's 「reports to file」: last month's progress
        missing_month = selectors.previous_month()
        missing = selectors.missing_progress(request.user, missing_month)
        qs = qs.filter(pk__in=missing.values("pk"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tenders/tender_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_upload": check(request.user, "tenders.import_progress"),
            "may_create": check(request.user, "tenders.manage_tender"),
            "missing_month": missing_month,
            "missing_year": _shown_year(missing_month) if missing_month else None,
        },
    )


def _shown_year(month: datetime.date) -> int:
    """The year as the page writes it: ROC in Chinese, Gregorian in English."""
    return month.year if translation.get_language().startswith("en") else month.year - 1911


def _agencies_writable(user):
    ids = visible_agency_ids(user)
    qs = Agency.objects.order_by("sort_order", "code")
    return qs if ids is None else qs.filter(pk__in=ids)


@login_required
def tender_create(request):
    require(request.user, "tenders.manage_tender")
    form = forms.TenderForm(request.POST or None, agencies=_agencies_writable(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            tender = services.create_tender(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The tender was saved."))
            return redirect("tenders:tender-detail", number=tender.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "tenders/tender_form.html", {"form": form, "tender": None}, status=status)


@login_required
def tender_edit(request, number: str):
    tender = selectors.get_tender_for_user(request.user, number)
    require(request.user, "tenders.manage_tender", tender)
    initial = {name: getattr(tender, name) for name in services.TENDER_FIELDS}
    form = forms.TenderForm(
        request.POST or None, initial=initial, agencies=Agency.objects.none(), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_tender(tender, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The tender was saved."))
            return redirect("tenders:tender-detail", number=tender.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "tenders/tender_form.html", {"form": form, "tender": tender}, status=status)


@login_required
@require_POST
def tender_change_order(request, number: str):
    tender = selectors.get_tender_for_user(request.user, number)
    form = forms.ChangeOrderForm(request.POST, prefix="order")
    if form.is_valid():
        try:
            services.add_change_order(tender, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The change order was added."))
            return redirect("tenders:tender-detail", number=tender.number)
    return _render_tender(request, tender, order_form=form, status=400)


@login_required
@require_POST
def tender_extension(request, number: str):
    tender = selectors.get_tender_for_user(request.user, number)
    form = forms.ExtensionForm(request.POST, prefix="extension")
    if form.is_valid():
        try:
            services.add_extension(tender, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The extension was added."))
            return redirect("tenders:tender-detail", number=tender.number)
    return _render_tender(request, tender, extension_form=form, status=400)


def _render_tender(request, tender, *, form=None, order_form=None, extension_form=None, status=200):
    points = selectors.tender_progress(tender)
    return render(
        request,
        "tenders/tender_detail.html",
        {
            "tender": tender,
            "points": points,
            "labels": rules.CLASS_LABELS,
            "chart": charts.s_curve(points),
            "form": form or forms.ProgressForm(initial={"month": selectors.previous_month()}),
            "order_form": order_form or forms.ChangeOrderForm(prefix="order"),
            "extension_form": extension_form or forms.ExtensionForm(prefix="extension"),
            "may_enter": check(request.user, "tenders.enter_progress", tender),
            "may_manage": check(request.user, "tenders.manage_tender", tender),
            "inspections": tender.inspections.order_by("-inspected_on", "-id")
            if tender.type == Tender.Type.WORKS
            else None,
            "may_inspect": tender.type == Tender.Type.WORKS
            and check(request.user, "tenders.record_inspection", tender),
        },
        status=status,
    )


@login_required
def tender_detail(request, number: str):
    tender = selectors.get_tender_for_user(request.user, number)
    return _render_tender(request, tender)


@login_required
@require_POST
def tender_progress(request, number: str):
    tender = selectors.get_tender_for_user(request.user, number)
    form = forms.ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.record_progress(tender, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The progress was saved."))
            return redirect("tenders:tender-detail", number=tender.number)
    return _render_tender(request, tender, form=form, status=400)


@login_required
def progress_upload(request):
    require(request.user, "tenders.import_progress")
    form = forms.ProgressUploadForm(request.POST or None, request.FILES or None)
    errors, result, status = [], None, 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.import_tender_progress(
                    upload.read(), actor=request.user, filename=upload.name
                )
            except importer.ImportFailed as exc:
                errors, status = exc.errors, 400
        else:
            status = 400
    return render(
        request,
        "tenders/progress_upload.html",
        {"form": form, "errors": errors, "result": result},
        status=status,
    )


@login_required
def progress_template(request):
    """The workbook to fill: the user's open tenders (RDEC: an empty template) for last month."""
    require(request.user, "tenders.import_progress")
    month = selectors.previous_month()
    tenders = []
    if visible_agency_ids(request.user) is not None:
        tenders = (
            selectors.tenders_visible_to(request.user)
            .exclude(status__in=[Tender.Status.CLOSED, Tender.Status.FAILED, Tender.Status.CANCELLED])
            .order_by("number")
        )
    rule = rules.RuleBook().for_month(month)
    data = reports.progress_template(tenders, month, due_day=rule.entry_due_day)
    response = HttpResponse(data, content_type=reports.MIME["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="tender-progress-{month:%Y-%m}.xlsx"'
    return response


def _month(request) -> datetime.date:
    form = forms.MonthForm(request.GET)
    if request.GET.get("month") and form.is_valid():
        return form.cleaned_data["month"]
    return selectors.previous_month()


def _render_report(request, month, *, meeting_form=None, status=200):
    report = selectors.control_report(request.user, month)
    return render(
        request,
        "tenders/control_report.html",
        {
            "report": report,
            "title": reports.report_title(report),
            "month_value": f"{month:%Y-%m}",
            "month_form": forms.MonthForm(initial={"month": month}),
            "meeting_form": meeting_form or forms.ControlMeetingForm(initial={"month": f"{month:%Y-%m}"}),
            "may_open_meeting": check(request.user, "tenders.open_control_meeting"),
        },
        status=status,
    )


@login_required
def control_report(request):
    return _render_report(request, _month(request))


@login_required
@require_POST
def control_meeting(request):
    """Record the month's control meeting in tracking, with the agenda built from the report."""
    require(request.user, "tenders.open_control_meeting")
    form = forms.ControlMeetingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.open_control_meeting(
                data["month"], actor=request.user, held_at=data["held_at"], chair_name=data["chair_name"],
                place=data["place"],
            )  # fmt: skip
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The meeting was recorded with its agenda; add its decisions there."))
            return redirect("tracking:meeting-detail", pk=meeting.pk)
    month = form.cleaned_data.get("month") or selectors.previous_month()
    return _render_report(request, month, meeting_form=form, status=400)


@login_required
def control_report_file(request, fmt: str):
    if fmt not in reports.MIME:
        raise Http404
    month = _month(request)
    report = selectors.control_report(request.user, month)
    response = HttpResponse(reports.build_control_report(report, fmt), content_type=reports.MIME[fmt])
    response["Content-Disposition"] = f'attachment; filename="tender-control-{month:%Y-%m}.{fmt}"'
    return response


@login_required
def rule_list(request):
    require(request.user, "tenders.view_tenders")
    return render(
        request,
        "tenders/rule_list.html",
        {"versions": selectors.rule_versions(), "may_edit": check(request.user, "tenders.edit_rules")},
    )
