"""The inspection pages (工程施工查核): the list, the page of one inspection (with its findings,
photos, improvement reports and the consequences of a 丙等), recording an inspection, the coverage
of the year's targets with the planning suggestions, and the deficiency statistics (.xlsx/.ods).

Views read through inspection_selectors and write through services; a ValidationError is shown on
the page with status 400; PermissionDenied becomes the 403 page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rdec.core import attachments
from rdec.core.forms import apply_errors
from rdec.core.models import Agency
from rdec.core.permissions import check, require, visible_agency_ids
from rdec.tenders import forms, inspection_reports, inspection_rules, selectors, services
from rdec.tenders import inspection_selectors as isel
from rdec.tenders.models import ImprovementReport, Inspection, Tender

PAGE_SIZE = 50
STATUS_LABELS = {  # lazy: made at import, read in the request's language
    ImprovementReport.PENDING: gettext_lazy("Awaiting improvement"),
    ImprovementReport.DONE: gettext_lazy("Improved"),
    ImprovementReport.OVERDUE: gettext_lazy("Overdue, not improved"),
}


def _year(request) -> int:
    form = forms.YearForm(request.GET)
    if request.GET.get("year") and form.is_valid():
        return form.cleaned_data["year"]
    return timezone.localdate().year


def _agencies_for(user):
    ids = visible_agency_ids(user)
    qs = Agency.objects.filter(tenders__inspections__isnull=False).distinct().order_by("sort_order", "code")
    return qs if ids is None else qs.filter(pk__in=ids)


@login_required
def inspection_list(request):
    qs = isel.inspections_visible_to(request.user).prefetch_related("improvements", "consequences")
    form = forms.InspectionFilterForm(request.GET or None, agencies=_agencies_for(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = isel.filter_inspections(qs, **{k: v for k, v in filters.items() if v}).order_by(
        "-inspected_on", "-id"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for inspection in page:
        inspection.follow_up = isel.follow_up_status(inspection, today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tenders/inspection_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "coverage": isel.coverage(request.user, today.year, today),
            "status_labels": STATUS_LABELS,
            "may_record": check(request.user, "tenders.record_inspection"),
        },
    )


def _deficiencies():
    return list(isel.active_deficiencies())


@login_required
def inspection_create(request):
    require(request.user, "tenders.record_inspection")
    deficiencies = _deficiencies()
    initial = {"tender": request.GET.get("tender", ""), "inspected_on": timezone.localdate()}
    form = forms.InspectionForm(request.POST or None, request.FILES or None, initial=initial)
    formset = forms.FindingFormSet(
        request.POST or None, prefix="findings", form_kwargs={"deficiencies": deficiencies}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        tender = selectors.tenders_visible_to(request.user).filter(number=data.pop("tender").strip()).first()
        findings = [
            {"code": f["code"], "points": f.get("points"), "note": f.get("note", "")}
            for f in formset.cleaned_data
            if f.get("code")
        ]
        if tender is None:
            form.add_error("tender", _("No tender you may see has this number."))
        else:
            try:
                inspection = services.record_inspection(
                    actor=request.user,
                    tender=tender,
                    findings=findings,
                    photos=data.pop("photos") or [],
                    **data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The inspection was recorded: score %(score)s, %(grade)s.")
                    % {"score": inspection.score, "grade": inspection.get_grade_display()},
                )
                return redirect("tenders:inspection-detail", pk=inspection.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tenders/inspection_form.html",
        {"form": form, "formset": formset, "works": _works_for(request.user)},
        status=status,
    )


def _works_for(user):
    return (
        selectors.tenders_visible_to(user)
        .filter(type=Tender.Type.WORKS, status__in=isel.OPEN_STATUSES)
        .order_by("number")
        .values_list("number", "name")[:500]
    )


def _render_detail(
    request, inspection, *, improvement_forms=None, consequence_form=None, photo_form=None, status=200
):
    today = timezone.localdate()
    improvement_forms = improvement_forms or {}
    reports = []
    for report in inspection.improvements.all():
        report.state = report.status_on(today)
        report.form = improvement_forms.get(report.pk) or forms.ImprovementForm(
            prefix=f"r{report.pk}", initial={"submitted_on": today}
        )
        reports.append(report)
    may_follow = check(request.user, "tenders.follow_up_inspection", inspection)
    return render(
        request,
        "tenders/inspection_detail.html",
        {
            "inspection": inspection,
            "findings": list(inspection.findings.all()),
            "total_points": sum((f.points for f in inspection.findings.all()), 0),
            "deduction": isel.deductions(inspection.tender).get(inspection.pk),
            "point_value": inspection_rules.point_value(
                inspection_rules.InspectionRuleBook().on(inspection.inspected_on),
                inspection.tender.contract_amount,
            ),
            "reports": reports,
            "follow_up": isel.follow_up_status(inspection, today),
            "status_labels": STATUS_LABELS,
            "consequence_form": consequence_form or forms.ConsequenceForm(initial={"decided_on": today}),
            "photo_form": photo_form or forms.InspectionPhotoForm(findings=inspection.findings.all()),
            "may_add_photo": check(request.user, "tenders.record_inspection", inspection),
            "may_follow": may_follow,
            "is_c": inspection.grade == Inspection.Grade.C,
        },
        status=status,
    )


@login_required
def inspection_detail(request, pk: int):
    return _render_detail(request, isel.get_inspection_for_user(request.user, pk))


@login_required
@require_POST
def inspection_improvement(request, pk: int, report_pk: int):
    inspection = isel.get_inspection_for_user(request.user, pk)
    report = inspection.improvements.filter(pk=report_pk).first()
    if report is None:
        raise Http404
    form = forms.ImprovementForm(request.POST, prefix=f"r{report.pk}")
    if form.is_valid():
        try:
            services.submit_improvement(report, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The improvement report was recorded."))
            return redirect("tenders:inspection-detail", pk=inspection.pk)
    return _render_detail(request, inspection, improvement_forms={report.pk: form}, status=400)


@login_required
@require_POST
def inspection_consequence(request, pk: int):
    inspection = isel.get_inspection_for_user(request.user, pk)
    form = forms.ConsequenceForm(request.POST)
    if form.is_valid():
        try:
            services.record_consequence(inspection, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The consequence was recorded."))
            return redirect("tenders:inspection-detail", pk=inspection.pk)
    return _render_detail(request, inspection, consequence_form=form, status=400)


@login_required
@require_POST
def inspection_photo_add(request, pk: int):
    inspection = isel.get_inspection_for_user(request.user, pk)
    findings = list(inspection.findings.all())
    form = forms.InspectionPhotoForm(request.POST, request.FILES, findings=findings)
    if form.is_valid():
        finding = next((f for f in findings if str(f.pk) == form.cleaned_data["finding"]), None)
        try:
            services.add_inspection_photo(
                inspection,
                actor=request.user,
                uploaded=form.cleaned_data["photo"],
                caption=form.cleaned_data["caption"],
                finding=finding,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(
                    "photo" if field == "photos" else field if field in form.fields else None, errors
                )
        else:
            messages.success(request, _("The photo was added."))
            return redirect("tenders:inspection-detail", pk=inspection.pk)
    return _render_detail(request, inspection, photo_form=form, status=400)


@login_required
def inspection_photo(request, pk: int, photo_pk: int):
    inspection = isel.get_inspection_for_user(request.user, pk)
    photo = inspection.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    ext = photo.file.name.rsplit(".", 1)[-1]
    # shown in the page: inline, with the stored (sniffed) type and nosniff
    return attachments.download_response(
        photo.file.open("rb"), f"photo-{photo.pk}.{ext}", photo.content_type, inline=True
    )


@login_required
def inspection_coverage(request):
    require(request.user, "tenders.view_inspections")
    today = timezone.localdate()
    year = _year(request)
    return render(
        request,
        "tenders/inspection_coverage.html",
        {
            "coverage": isel.coverage(request.user, year, today),
            "candidates": isel.planning(request.user, today),
            "year_form": forms.YearForm(initial={"year": year}),
            "may_record": check(request.user, "tenders.record_inspection"),
        },
    )


@login_required
def inspection_statistics(request):
    require(request.user, "tenders.view_inspection_statistics")
    year = _year(request)
    stats = isel.statistics(request.user, year)
    return render(
        request,
        "tenders/inspection_statistics.html",
        {"stats": stats, "year_form": forms.YearForm(initial={"year": year}), "year": year},
    )


@login_required
def inspection_statistics_file(request, fmt: str):
    if fmt not in ("xlsx", "ods"):
        raise Http404
    year = _year(request)
    stats = isel.statistics(request.user, year)
    response = HttpResponse(
        inspection_reports.build_statistics(stats, fmt), content_type=inspection_reports.MIME[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="inspection-statistics-{year}.{fmt}"'
    return response


@login_required
def inspection_rule_list(request):
    require(request.user, "tenders.view_inspections")
    return render(
        request,
        "tenders/inspection_rule_list.html",
        {
            "versions": isel.inspection_rule_versions(),
            "deficiencies": isel.active_deficiencies(),
            "may_edit": check(request.user, "tenders.edit_inspection_rules"),
        },
    )
