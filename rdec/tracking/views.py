"""The tracking pages: the RDEC's control board, an agency's to-do list, the item list (and its
Excel export), the item page with its timeline, report form and review form, meetings (list,
page, create, edit, resolutions, minutes), the public meeting pages (no login), the council
sessions with the agencies' execution texts and the written report files, and notifications.

Views read through selectors and write through services; a ValidationError from a service is shown
on the page with status 400; PermissionDenied becomes the 403 page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rdec.core import attachments, audit
from rdec.core.decorators import permission_required as _role_required
from rdec.core.forms import apply_errors
from rdec.core.models import Agency
from rdec.core.permissions import check, require, visible_agency_ids
from rdec.core.registry import optional_module
from rdec.tracking import forms, reports, rules, selectors, services
from rdec.tracking.models import CouncilReportIssue, CouncilSession, Item, ProgressReport

URGENCY_LABELS = {
    "overdue": gettext_lazy("Overdue"),
    "due": gettext_lazy("Due soon"),
    "ok": gettext_lazy("On time"),
}
MINUTES_LABELS = {
    "published": gettext_lazy("Minutes published"),
    "due": gettext_lazy("Minutes pending"),
    "overdue": gettext_lazy("Minutes overdue"),
}
EXPORT_LIMIT = 10_000


def _rows(items, today=None):
    today = today or timezone.localdate()
    rows = []
    for item in items:
        level = rules.urgency(item.deadline, today) if item.is_open else ""
        rows.append({"item": item, "urgency": level, "urgency_label": URGENCY_LABELS.get(level, "")})
    return rows


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=reports.MIME["xlsx"])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


# --- the board and the to-do list -----------------------------------------------------------------


@login_required
def home(request):
    if check(request.user, "tracking.view_board"):
        return redirect("tracking:board")
    return redirect("tracking:todo")


@_role_required("tracking.view_board")
def board(request):
    data = selectors.board_for(request.user)
    for group in data["groups"]:
        group["rows"] = _rows([*group["overdue"], *group["due"]], data["today"])
    data["review_rows"] = _rows(data["review"], data["today"])
    data["no_report_rows"] = _rows(data["no_report"], data["today"])
    data["minutes_rows"] = [
        {
            "meeting": m,
            "state": m.minutes_state(data["today"]),
            "label": MINUTES_LABELS.get(m.minutes_state(data["today"])),
        }
        for m in data["minutes"]
    ]
    return render(request, "tracking/board.html", data)


@_role_required("tracking.view_todo")
def todo(request):
    data = selectors.todo_for(request.user)
    data["overdue_rows"] = _rows(data["overdue"], data["today"])
    data["due_rows"] = _rows(data["due"], data["today"])
    data["no_report_rows"] = _rows(data["no_report"], data["today"])
    data["notifications"] = list(selectors.notifications_for(request.user).filter(read_at__isnull=True)[:20])
    return render(request, "tracking/todo.html", data)


# --- items ---------------------------------------------------------------------------------------


def _filtered_items(request):
    form = forms.ItemFilterForm(request.GET or None)
    items = selectors.filter_items(selectors.items_visible_to(request.user), **form.filters())
    return form, items


@_role_required("tracking.view_items")
def item_list(request):
    form, items = _filtered_items(request)
    page = Paginator(items.order_by("deadline", "id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracking/item_list.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(page),
            "query": query.urlencode(),
            "may_create": check(request.user, "tracking.create_item"),
        },
    )


@_role_required("tracking.view_items")
def item_export(request):
    _form, items = _filtered_items(request)
    items = list(items.order_by("deadline", "id")[:EXPORT_LIMIT])
    audit.record("tracking.items_exported", request.user, rows=len(items))
    return _xlsx(reports.items_workbook(items), "tracked-items")


@_role_required("tracking.view_items")
def item_create(request):
    require(request.user, "tracking.create_item")
    # prefilled from a link: 「列管」 on a petition case page (source, petition_number, title) or an
    # emerging issue on the hotspot map (source, title, description, owner = the agency's code)
    prefill = {k: request.GET[k][:200] for k in ("source", "petition_number", "title") if k in request.GET}
    if "description" in request.GET:
        prefill["description"] = request.GET["description"][:2000]
    owner = (
        Agency.objects.filter(code=request.GET.get("owner", "")[:40]).first()
        if "owner" in request.GET
        else None
    )
    if owner is not None:
        prefill["owner"] = owner.pk
    form = forms.ItemForm(request.POST or None, initial=prefill)
    ids = visible_agency_ids(request.user)
    if ids is not None:  # an agency puts only its own items under self-control (自行列管)
        form.fields["owner"].queryset = form.fields["owner"].queryset.filter(pk__in=ids)
        form.fields["level"].choices = [c for c in Item.Level.choices if c[0] == Item.Level.SELF]
        form.fields["level"].initial = Item.Level.SELF
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["co_agencies"] = list(data["co_agencies"])
            data["petition_case_id"] = _petition_case_id(request.user, data["petition_number"])
            try:
                item = services.create_item(actor=request.user, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Item %(number)s is under control.") % {"number": item.number})
                return redirect("tracking:item-detail", number=item.number)
        status = 400
    return render(request, "tracking/item_form.html", {"form": form}, status=status)


def _petition_case_id(user, number: str) -> int | None:
    """The petition case's id when the user can see it (through the petitions selectors only)."""
    number = (number or "").strip()
    petitions = optional_module("rdec.petitions.selectors")
    if not number or petitions is None:
        return None
    case = petitions.cases_visible_to(user).filter(number=number).only("id").first()
    return case.pk if case else None


def _render_item(request, item, *, report_form=None, review_form=None, status=200):
    user = request.user
    data = selectors.item_page_data(item)
    pending = data["pending"]
    may_review = check(user, "tracking.review", item) and item.is_open and pending is not None
    context = {
        "item": item,
        "reports": data["reports"],
        "co_agencies": data["co_agencies"],
        "pending": pending,
        "urgency": rules.urgency(item.deadline) if item.is_open else "",
        "urgency_label": URGENCY_LABELS.get(rules.urgency(item.deadline), "") if item.is_open else "",
        "may_report": check(user, "tracking.report_progress", item),
        "may_review": may_review,
        "report_form": report_form or forms.ReportForm(auto_id="report_%s"),
        "review_form": review_form or forms.ReviewForm(auto_id="review_%s"),
        "petitions_link": item.petition_case_id and optional_module("rdec.petitions.urls") is not None,
    }
    return render(request, "tracking/item_detail.html", context, status=status)


@login_required
def item_detail(request, number: str):
    item = selectors.get_item_for_user(request.user, number)
    return _render_item(request, item)


@require_POST
@login_required
def item_report(request, number: str):
    item = selectors.get_item_for_user(request.user, number)
    form = forms.ReportForm(request.POST, request.FILES, auto_id="report_%s")
    if form.is_valid():
        try:
            services.submit_report(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The progress report is submitted."))
            return redirect("tracking:item-detail", number=item.number)
    return _render_item(request, item, report_form=form, status=400)


@require_POST
@login_required
def item_review(request, number: str, pk: int):
    item = selectors.get_item_for_user(request.user, number)
    report = item.reports.filter(pk=pk).first()
    if report is None:
        raise Http404
    form = forms.ReviewForm(request.POST, auto_id="review_%s")
    if form.is_valid():
        try:
            services.review_report(report, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if form.cleaned_data["decision"] == ProgressReport.Decision.RELEASE:
                messages.success(request, _("The item is released from control."))
            else:
                messages.success(request, _("Control of the item continues."))
            return redirect("tracking:item-detail", number=item.number)
    return _render_item(request, item, review_form=form, status=400)


@login_required
def report_attachment(request, number: str, pk: int):
    item = selectors.get_item_for_user(request.user, number)
    report = item.reports.filter(pk=pk).exclude(attachment="").first()
    if report is None:
        raise Http404
    ext = report.attachment.name.rsplit(".", 1)[-1].lower()
    return attachments.download_response(
        report.attachment.open("rb"), f"{item.number}-{report.pk}.{ext}", attachments.content_type_for(ext)
    )


# --- meetings --------------------------------------------------------------------------------------


def _meeting_filters(request):
    form = forms.MeetingFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    return form, filters


@_role_required("tracking.view_meeting")
def meeting_list(request):
    form, filters = _meeting_filters(request)
    meetings = selectors.meetings_list(request.user, **filters)
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "meeting": m,
            "state": m.minutes_state(today),
            "label": MINUTES_LABELS.get(m.minutes_state(today), ""),
        }
        for m in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracking/meeting_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "may_manage": check(request.user, "tracking.manage_meetings"),
        },
    )


@_role_required("tracking.view_meeting")
def meeting_export(request):
    _form, filters = _meeting_filters(request)
    meetings = list(selectors.meetings_list(request.user, **filters)[:EXPORT_LIMIT])
    audit.record("tracking.meetings_exported", request.user, rows=len(meetings))
    return _xlsx(reports.meetings_workbook(meetings), "meetings")


def _meeting_kwargs(form) -> dict:
    data = dict(form.cleaned_data)
    data["agencies"] = list(data["agencies"])
    return data


@_role_required("tracking.manage_meetings")
def meeting_create(request):
    form = forms.MeetingForm(request.POST or None, initial={"is_public": True})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = services.create_meeting(actor=request.user, **_meeting_kwargs(form))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The meeting is recorded."))
                return redirect("tracking:meeting-detail", pk=meeting.pk)
        status = 400
    return render(request, "tracking/meeting_form.html", {"form": form, "meeting": None}, status=status)


@_role_required("tracking.manage_meetings")
def meeting_edit(request, pk: int):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = forms.MeetingForm(request.POST or None, initial=forms.MeetingForm.initial_for(meeting))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_meeting(meeting, actor=request.user, **_meeting_kwargs(form))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The meeting is updated."))
                return redirect("tracking:meeting-detail", pk=meeting.pk)
        status = 400
    return render(request, "tracking/meeting_form.html", {"form": form, "meeting": meeting}, status=status)


def _render_meeting(request, meeting, *, resolution_form=None, minutes_form=None, status=200):
    today = timezone.localdate()
    state = meeting.minutes_state(today)
    resolutions = selectors.meeting_resolutions(meeting)
    visible = set(
        selectors.items_visible_to(request.user)
        .filter(resolution__meeting=meeting)
        .values_list("pk", flat=True)
    )
    context = {
        "meeting": meeting,
        "resolutions": [
            {
                "r": r,
                "item": getattr(r, "item", None),
                "visible": getattr(r, "item", None) is not None and r.item.pk in visible,
            }
            for r in resolutions
        ],
        "representatives": list(meeting.representatives.all()),
        "agencies": list(meeting.agencies.all()),
        "minutes_state": state,
        "minutes_label": MINUTES_LABELS.get(state, ""),
        "may_manage": check(request.user, "tracking.manage_meetings", meeting),
        "resolution_form": resolution_form or forms.ResolutionForm(auto_id="resolution_%s"),
        "minutes_form": minutes_form
        or forms.MinutesForm(initial={"minutes": meeting.minutes}, auto_id="minutes_%s"),
    }
    return render(request, "tracking/meeting_detail.html", context, status=status)


@_role_required("tracking.view_meeting")
def meeting_detail(request, pk: int):
    return _render_meeting(request, selectors.get_meeting_for_user(request.user, pk))


@require_POST
@_role_required("tracking.manage_meetings")
def meeting_resolution(request, pk: int):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = forms.ResolutionForm(request.POST, auto_id="resolution_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["co_agencies"] = list(data["co_agencies"])
        try:
            resolution = services.add_resolution(meeting, actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Resolution %(n)s is added.") % {"n": resolution.number})
            return redirect("tracking:meeting-detail", pk=meeting.pk)
    return _render_meeting(request, meeting, resolution_form=form, status=400)


@require_POST
@_role_required("tracking.manage_meetings")
def meeting_minutes(request, pk: int):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = forms.MinutesForm(request.POST, auto_id="minutes_%s")
    if form.is_valid():
        try:
            services.publish_minutes(meeting, actor=request.user, minutes=form.cleaned_data["minutes"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The minutes are published."))
            return redirect("tracking:meeting-detail", pk=meeting.pk)
    return _render_meeting(request, meeting, minutes_form=form, status=400)


# --- the public meeting pages (陽光政治) --------------------------------------------------------------


def public_meeting_list(request):
    form, filters = _meeting_filters(request)
    meetings = selectors.meetings_public()
    if filters.get("type"):
        meetings = meetings.filter(type=filters["type"])
    if filters.get("year"):
        meetings = meetings.filter(held_at__year=filters["year"])
    page = Paginator(meetings, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracking/public_meeting_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "staff_link": check(request.user, "tracking.view_meeting"),
        },
    )


def public_meeting(request, pk: int):
    data = selectors.public_meeting_view(selectors.get_public_meeting(pk))
    today = timezone.localdate()
    for row in data["rows"]:
        item = row["item"]
        row["urgency"] = rules.urgency(item.deadline, today) if item and item.is_open else ""
    return render(request, "tracking/public_meeting.html", data)


# --- council -------------------------------------------------------------------------------------


@_role_required("tracking.view_council")
def council_list(request):
    sessions = selectors.council_sessions_visible_to(request.user)
    form = forms.CouncilSessionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require(request.user, "tracking.manage_council")
        if form.is_valid():
            try:
                session = services.create_council_session(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The council session is recorded."))
                return redirect("tracking:council-detail", pk=session.pk)
        status = 400
    return render(
        request,
        "tracking/council_list.html",
        {
            "sessions": sessions,
            "form": form,
            "next": selectors.next_council_session(),
            "may_manage": check(request.user, "tracking.manage_council"),
        },
        status=status,
    )


def _council_session(pk: int) -> CouncilSession:
    session = CouncilSession.objects.filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def _render_council(request, session, *, bound=None, status=200):
    data = selectors.council_page_data(request.user, session)
    for row in data["rows"]:
        row["may_write"] = check(request.user, "tracking.write_council_text", row["item"])
        if bound and bound[0] == row["item"].pk:
            row["form"] = bound[1]
        else:
            row["form"] = forms.CouncilTextForm(
                initial={"text": row["text"]}, auto_id=f"text{row['item'].pk}_%s"
            )
    data["may_build"] = check(request.user, "tracking.build_council_report")
    data["issues"] = list(session.report_issues.all()) if data["may_build"] else []
    data["today"] = timezone.localdate()
    return render(request, "tracking/council_detail.html", data, status=status)


@_role_required("tracking.view_council")
def council_detail(request, pk: int):
    return _render_council(request, _council_session(pk))


@require_POST
@_role_required("tracking.view_council")
def council_text(request, pk: int, number: str):
    session = _council_session(pk)
    item = selectors.get_item_for_user(request.user, number)
    form = forms.CouncilTextForm(request.POST, auto_id=f"text{item.pk}_%s")
    if form.is_valid():
        try:
            services.save_council_text(session, item, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The execution text of %(number)s is saved.") % {"number": item.number}
            )
            return redirect(reverse("tracking:council-detail", args=[session.pk]) + f"#item-{item.pk}")
    return _render_council(request, session, bound=(item.pk, form), status=400)


@_role_required("tracking.build_council_report")
def council_report(request, pk: int, fmt: str):
    if fmt not in ("pdf", "odt", "docx"):
        raise Http404
    session = _council_session(pk)
    data = reports.build_council_report(session, fmt)
    audit.record("tracking.council_report_built", session, format=fmt)
    response = HttpResponse(data, content_type=reports.MIME[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="council-report-{session.term}-{session.number}.{fmt}"'
    )
    return response


@require_POST
@_role_required("tracking.build_council_report")
def council_report_issue(request, pk: int):
    """Issue (or reissue) the written report now and keep its files."""
    session = _council_session(pk)
    issue = services.generate_council_report(session, actor=request.user)
    messages.success(
        request,
        _("The written report was generated with %(count)s council resolution(s).")
        % {"count": issue.resolutions},
    )
    return redirect("tracking:council-detail", pk=session.pk)


@_role_required("tracking.build_council_report")
def council_report_issued(request, pk: int, issue: int, fmt: str):
    if fmt not in ("pdf", "odt", "docx"):
        raise Http404
    found = get_object_or_404(CouncilReportIssue, pk=issue, session_id=pk)
    stored = getattr(found, fmt)
    if not stored:
        raise Http404
    return FileResponse(stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1])


# --- notifications -----------------------------------------------------------------------------------


@login_required
def notifications(request):
    page = Paginator(selectors.notifications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "tracking/notifications.html", {"page": page, "query": ""})


@require_POST
@login_required
def notification_read(request, pk: int):
    note = selectors.notifications_for(request.user).filter(pk=pk).first()
    if note is None:
        raise Http404
    services.mark_notification_read(note, actor=request.user)
    if note.item_id:
        return redirect("tracking:item-detail", number=note.item.number)
    return redirect("tracking:notifications")
