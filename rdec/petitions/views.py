"""The petition pages: the citizen form, public tracking and rating, the agency inbox and case page,
the 1999 console, the knowledge base and the duty contacts.

Views read through selectors and write through services; services check permissions and record the
history and the audit trail. A ValidationError (or TransitionError) from a service is shown on the
page with status 400; PermissionDenied becomes the 403 page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rdec.core import pii
from rdec.core.decorators import permission_required as _role_required
from rdec.core.forms import apply_errors
from rdec.core.middleware import client_ip
from rdec.core.models import Role
from rdec.core.paginator import WindowPaginator
from rdec.core.permissions import check, has_role, is_oversight, require
from rdec.core.registry import module_url
from rdec.petitions import deadlines, forms, privacy, selectors, services
from rdec.petitions.models import Case, Extension, Reply
from rdec.petitions.tracking import RATING_LINK_DAYS, RATING_SALT, tracking_token

FILED_SESSION_KEY = "petitions.filed"
CONSOLE_SESSION_KEY = "petitions.console_filed"

VERB_LABELS = {
    # Translators: 受理
    "received": gettext_lazy("Received"),
    # Translators: 分案
    "assigned": gettext_lazy("Assigned to an agency"),
    # Translators: 處理中
    "started": gettext_lazy("In progress"),
    # Translators: 移文
    "transferred": gettext_lazy("Transferred to another agency"),
    # Translators: 改分
    "reassigned": gettext_lazy("Given to another handler"),
    # Translators: 併案
    "merged": gettext_lazy("Merged into another case"),
    # Translators: 併案
    "merged_in": gettext_lazy("A duplicate case merged in"),
    # Translators: 撤回
    "withdrawn": gettext_lazy("Withdrawn"),
    # Translators: 展期
    "extension_requested": gettext_lazy("Extension requested"),
    # Translators: 展期
    "extension_approved": gettext_lazy("Extension approved"),
    "extension_rejected": gettext_lazy("Extension rejected"),
    "reply_drafted": gettext_lazy("Reply drafted"),
    "reply_submitted": gettext_lazy("Reply submitted for approval"),
    "reply_returned": gettext_lazy("Reply returned for revision"),
    # Translators: 已回覆
    "replied": gettext_lazy("Replied"),
    "rated": gettext_lazy("Rated by the petitioner"),
    "reopened": gettext_lazy("Reopened"),
    # Translators: 結案
    "closed": gettext_lazy("Closed"),
    "acknowledged": gettext_lazy("Urgent dispatch acknowledged"),
    "dispatched": gettext_lazy("Dispatched to the duty contact"),
    "reminded": gettext_lazy("Due-date reminder sent"),
    # Translators: 逾期
    "escalated": gettext_lazy("Overdue: escalated"),
    "attachment_added": gettext_lazy("Attachment added"),
    "personal_data_erased": gettext_lazy("Personal data erased"),
    # Translators: 建議人工分案 — the case router was unsure of the agency (analytics)
    "routing_manual": gettext_lazy("Manual routing suggested (the router was unsure)"),
}

URGENCY_LABELS = {
    # Translators: 逾期
    "overdue": gettext_lazy("Overdue"),
    "due": gettext_lazy("Due"),
    "soon": gettext_lazy("Due soon"),
    "ok": gettext_lazy("On time"),
}


def verb_label(verb: str) -> str:
    return str(VERB_LABELS.get(verb, verb))


# --- small helpers --------------------------------------------------------------------------------------


def _rate_limited(request, bucket: str, limit: int, window: int = 3600) -> bool:
    """Count one hit for the client's address; True when it is over `limit` within `window` seconds."""
    key = f"petitions:rl:{bucket}:{client_ip(request) or 'unknown'}"
    if cache.add(key, 1, window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return False
    return count > limit


def _error_messages(exc: ValidationError) -> list[str]:
    return exc.messages


def _urgency(due: datetime.date, today: datetime.date, reminder: int) -> tuple[int, str]:
    """Remaining working days and their urgency class, with the reminder window read once per page."""
    left = deadlines.remaining_working_days(due, today)
    return left, deadlines.urgency(due, today, reminder=reminder, left=left)


def _tracking_url(request, case) -> str:
    return request.build_absolute_uri(reverse("petitions:track-link", args=[tracking_token(case)]))


# --- 1. the citizen form ------------------------------------------------------------------------------


def _file_case_with_attachments(request, form, *, channel: str, files=()) -> tuple[Case, str | None]:
    """File the case and store its attachments in one transaction: a bad file leaves no case."""
    with transaction.atomic():
        case, code = services.file_case(actor=request.user, channel=channel, **form.service_kwargs())
        if code is not None:
            for uploaded in files:
                services.add_attachment(case, actor=request.user, uploaded_file=uploaded)
    return case, code


@never_cache
def case_file(request):
    user = request.user
    if request.method == "POST":
        form = forms.CitizenCaseForm(request.POST, request.FILES)
        limit = getattr(settings, "RDEC_PETITION_FORM_RATE_LIMIT", 20)
        if _rate_limited(request, "file", limit):
            form.is_valid()
            form.add_error(None, _("Too many submissions from your network. Please try again in an hour."))
            return render(request, "petitions/case_file.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                case, code = _file_case_with_attachments(
                    request, form, channel=Case.Channel.WEB, files=form.cleaned_data["attachments"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                previous = request.session.get(FILED_SESSION_KEY) or {}
                if code is not None or previous.get("number") != case.number:
                    request.session[FILED_SESSION_KEY] = {"number": case.number, "code": code, "pk": case.pk}
                return redirect("petitions:file-done")
        return render(request, "petitions/case_file.html", {"form": form}, status=400)
    initial = {}
    if user.is_authenticated and user.role == Role.CITIZEN:
        initial = {
            "petitioner_name": user.display_name or user.get_full_name(),
            "petitioner_email": user.email,
        }
        if user.phone:
            initial["petitioner_phone"] = user.phone
    return render(request, "petitions/case_file.html", {"form": forms.CitizenCaseForm(initial=initial)})


@never_cache
def case_file_done(request):
    filed = request.session.pop(FILED_SESSION_KEY, None)
    if not filed:
        return redirect("petitions:file")
    case = Case.objects.select_related("agency").filter(pk=filed["pk"]).first()
    if case is None:
        raise Http404
    context = {
        "number": case.number,
        "code": filed.get("code"),
        "agency": case.agency,
        "due_date": case.due_date,
        "tracking_url": _tracking_url(request, case),
    }
    return render(request, "petitions/case_file_done.html", context)


@login_required
def my_cases(request):
    if request.user.role != Role.CITIZEN:
        raise PermissionDenied
    cases = selectors.cases_visible_to(request.user).order_by("-received_at")
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    rows = [{"case": c, "token": tracking_token(c)} for c in page]
    return render(request, "petitions/my_cases.html", {"page": page, "rows": rows, "query": ""})


# --- 2. public tracking and 3. rating -----------------------------------------------------------------


def _public_page(request, case, *, status: int = 200):
    data = selectors.public_case_view(case)
    events = [
        {"at": e.at, "label": verb_label(e.verb), "agency": e.to_agency or e.agency} for e in data["events"]
    ]
    reply = data["reply"]
    context = {
        "case": case,
        "main": data["main"],
        "reply": reply,
        # anyone holding the link or the code sees this page: free text through the detector
        "subject": privacy.public_text(case.subject, case),
        "reply_body": privacy.public_text(reply.body, case) if reply else "",
        "events": events,
    }
    return render(request, "petitions/track_case.html", context, status=status)


@never_cache
def track(request):
    form = forms.TrackForm(request.POST or None)
    if request.method == "POST":
        if _rate_limited(request, "track", getattr(settings, "RDEC_TRACK_RATE_LIMIT", 30), window=900):
            form = forms.TrackForm(request.POST)  # bound even to an empty body, so it takes the error
            form.is_valid()
            form.add_error(None, _("Too many attempts. Please try again in 15 minutes."))
            return render(request, "petitions/track.html", {"form": form}, status=429)
        if form.is_valid():
            case = selectors.case_for_tracking(form.cleaned_data["number"], form.cleaned_data["code"])
            if case is not None:
                return _public_page(request, case)
            form.add_error(None, _("The case number and verification code do not match a case."))
        return render(request, "petitions/track.html", {"form": form}, status=400)
    return render(request, "petitions/track.html", {"form": form})


@never_cache
def track_link(request, token: str):
    case = selectors.case_for_tracking_token(token)
    if case is None:
        context = {
            "form": forms.TrackForm(),
            "page_errors": [_("This link is not valid. Enter the case number and verification code.")],
        }
        return render(request, "petitions/track.html", context, status=404)
    return _public_page(request, case)


@never_cache
def rate(request, token: str):
    from django.core import signing

    try:
        data = signing.loads(token, salt=RATING_SALT, max_age=datetime.timedelta(days=RATING_LINK_DAYS))
        case = Case.objects.filter(pk=data.get("c")).only("number").first()
    except signing.BadSignature:
        case = None
    if case is None:
        return render(
            request, "petitions/rate.html", {"invalid": _("This rating link is not valid.")}, status=404
        )
    form = forms.RateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rate_case(
                    token,
                    actor=request.user,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return render(request, "petitions/rate.html", {"done": True, "number": case.number})
        return render(request, "petitions/rate.html", {"form": form, "number": case.number}, status=400)
    return render(request, "petitions/rate.html", {"form": form, "number": case.number})


# --- 4. the agency inbox ------------------------------------------------------------------------------


def _inbox_rows(user, cases) -> list[dict]:
    today = timezone.localdate()
    reminder = deadlines.reminder_working_days(today)
    rows = []
    for case in cases:
        left, level = _urgency(case.due_date, today, reminder)
        rows.append(
            {
                "case": case,
                "left": left,
                "late": -left if left < 0 else 0,
                "urgency": level if case.is_open else "",
                "urgency_label": URGENCY_LABELS[level] if case.is_open else "",
                "personal": privacy.personal_view(case, user),
                "subject": privacy.text_view(case.subject, case, user),
            }
        )
    return rows


@_role_required("petitions.view_inbox")
def inbox(request):
    user = request.user
    form = forms.InboxFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    cases = selectors.inbox_for(user, **filters)
    # a text search pages without counting: the matches of a common word can be many thousands
    paginator = WindowPaginator(cases, 50) if filters.get("q") else Paginator(cases, 50)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    may_bulk = has_role(user, Role.SUPERVISOR)
    context = {
        "form": form,
        "page": page,
        "rows": _inbox_rows(user, page),
        "query": query.urlencode(),
        "may_bulk": may_bulk,
        "handlers": selectors.handlers_for_agency(user.agency_id) if may_bulk else [],
    }
    return render(request, "petitions/inbox.html", context)


EXPORT_LIMIT = 10_000


@_role_required("petitions.view_inbox")
def inbox_export(request):
    """The inbox as CSV (UTF-8 with BOM, opens in Excel), with the same filters; at most 10,000
    rows. Personal data only in the rows of cases the user handles."""
    from rdec.core import audit, spreadsheets

    user = request.user
    form = forms.InboxFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    cases = list(selectors.inbox_for(user, **filters)[:EXPORT_LIMIT])
    headers = [
        _("Case number"),
        _("Received"),
        _("Channel"),
        _("Category"),
        _("Subject"),
        _("District"),
        _("Responsible agency"),
        _("Status"),
        _("Due date"),
        _("Petitioner's name"),
        _("Petitioner's phone"),
        _("Petitioner's e-mail"),
        _("Address"),
    ]
    rows = []
    for case in cases:
        personal = privacy.export_view(case, user)
        rows.append(
            [
                case.number,
                timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M"),
                case.get_channel_display(),
                str(case.category),
                privacy.text_view(case.subject, case, user),
                case.district.name if case.district_id else "",
                case.agency.name,
                case.get_status_display(),
                case.due_date.isoformat(),
                personal["petitioner_name"],
                personal["petitioner_phone"],
                personal["petitioner_email"],
                personal["address"],
            ]
        )
    # the stored filters may hold a searched phone or name: through the detector
    audit.record("petitions.exported", user, rows=len(cases), filters=pii.mask_text(str(filters))[:200])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    # One writer for every export: cells that start like a formula are neutralised.
    return spreadsheets.csv_response(f"petitions-{stamp}.csv", headers, rows)


@require_POST
@_role_required("petitions.view_inbox")
def inbox_assign(request):
    user = request.user
    if not has_role(user, Role.SUPERVISOR):
        raise PermissionDenied
    form = forms.BulkAssignForm(
        request.POST,
        cases_qs=selectors.cases_visible_to(user),
        handlers_qs=selectors.handlers_for_agency(user.agency_id),
    )
    back = reverse("petitions:inbox") + ("?" + request.POST["next"] if request.POST.get("next") else "")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(back)
    done, failed = 0, []
    for case in form.cleaned_data["cases"]:
        try:
            services.reassign_case(case, actor=user, handler=form.cleaned_data["handler"])
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            detail = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("not allowed")
            failed.append(f"{case.number}: {detail}")
    if done:
        messages.success(
            request,
            _("%(count)s case(s) given to %(handler)s.")
            % {"count": done, "handler": form.cleaned_data["handler"]},
        )
    for line in failed:
        messages.error(request, line)
    return redirect(back)


# --- 5. the case page ---------------------------------------------------------------------------------


def _held(delta: datetime.timedelta) -> str:
    days, hours = delta.days, delta.seconds // 3600
    return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}


def _staff_can_view(user) -> bool:
    return (
        is_oversight(user)
        or has_role(user, Role.CALL_AGENT)
        or (user.is_authenticated and user.is_agency_member)
    )


def _case_actions(user, case) -> dict:
    open_ = case.is_open
    pending_ext = [e for e in case._page["extensions"] if e.status == Extension.Status.PENDING]
    submitted = [r for r in case._page["replies"] if r.status == Reply.Status.SUBMITTED]
    rated_low = case._latest_rating is not None and case._latest_rating.score <= 2
    return {
        "start": case.status in (Case.Status.ASSIGNED, Case.Status.RECEIVED)
        and check(user, "petitions.handle", case),
        "acknowledge": case.urgent
        and case.acknowledged_at is None
        and check(user, "petitions.acknowledge", case),
        "transfer": open_ and check(user, "petitions.transfer", case),
        "co_agency": open_ and check(user, "petitions.add_co_agency", case),
        "reassign": open_ and check(user, "petitions.reassign", case),
        "merge": open_ and check(user, "petitions.merge", case),
        "extension": open_ and not pending_ext and check(user, "petitions.request_extension", case),
        "decide_extension": pending_ext[0]
        if pending_ext and check(user, "petitions.decide_extension", case)
        else None,
        "reply": open_ and not submitted and check(user, "petitions.draft_reply", case),
        "approve_reply": submitted[0] if submitted and check(user, "petitions.approve_reply", case) else None,
        "close": case.status == Case.Status.REPLIED and check(user, "petitions.close", case),
        "reopen": case.status in (Case.Status.REPLIED, Case.Status.CLOSED)
        and rated_low
        and check(user, "petitions.reopen", case),
        "withdraw": open_ and check(user, "petitions.withdraw", case),
    }


def _render_case(request, case, *, bound: dict | None = None, status: int = 200, errors=()):
    user = request.user
    data = selectors.case_page_data(case)
    case._page = data
    case._latest_rating = case.ratings.order_by("-created_at", "-id").first()
    handler_view = check(user, "petitions.handle", case)
    internal = handler_view or is_oversight(user)
    draft = next(
        (r for r in data["replies"] if r.status in (Reply.Status.DRAFT, Reply.Status.RETURNED)), None
    )
    reply_initial = {"body": draft.body, "internal_note": draft.internal_note} if draft else None
    action_forms = {
        "transfer": forms.TransferForm(case=case, auto_id="transfer_%s"),
        "co_agency": forms.CoAgencyForm(case=case, auto_id="co_agency_%s"),
        "reassign": forms.ReassignForm(case=case, auto_id="reassign_%s"),
        "merge": forms.MergeForm(auto_id="merge_%s"),
        "extension": forms.ExtensionRequestForm(auto_id="extension_%s"),
        "decide_extension": forms.DecisionForm(auto_id="decide_extension_%s"),
        "reply": forms.ReplyForm(initial=reply_initial, auto_id="reply_%s"),
        "approve_reply": forms.DecisionForm(auto_id="approve_reply_%s"),
        "close": forms.NoteForm(auto_id="close_%s"),
        "reopen": forms.ReopenForm(auto_id="reopen_%s"),
        "withdraw": forms.WithdrawForm(auto_id="withdraw_%s"),
    }
    action_forms.update(bound or {})
    today = timezone.localdate()
    left, level = _urgency(case.due_date, today, deadlines.reminder_working_days(today))
    events = [
        {
            "at": e.at,
            "label": verb_label(e.verb),
            "verb": e.verb,
            "actor": e.actor,
            "agency": e.agency,
            "to_agency": e.to_agency,
            "note": privacy.text_view(e.note, case, user) if (e.public or internal) else "",
            "public": e.public,
        }
        for e in data["events"]
    ]
    tenures = [{"t": t, "held": _held(t.held)} for t in data["tenures"]]
    for r in data["replies"]:
        r.shown_body = privacy.text_view(r.body, case, user)
    context = {
        "case": case,
        "personal": privacy.personal_view(case, user),
        "subject": privacy.text_view(case.subject, case, user),
        "description": privacy.text_view(case.description, case, user),
        "sees_personal": check(user, "petitions.see_personal_data", case),
        "events": events,
        "tenures": tenures,
        "replies": data["replies"],
        "show_internal": handler_view,
        "extensions": data["extensions"],
        "attachments": data["attachments"],
        "merged_cases": data["merged_cases"],
        "reply_templates": data["reply_templates"],
        "latest_rating": case._latest_rating,
        "actions": _case_actions(user, case),
        "forms": action_forms,
        "left": left,
        "late": -left if left < 0 else 0,
        "urgency": level if case.is_open else "",
        "urgency_label": URGENCY_LABELS[level] if case.is_open else "",
        "page_errors": list(errors),
        "draft": draft,
        "track_url": _track_as_item_url(user, case),
        "similar_url": _similar_cases_url(user, case),
    }
    return render(request, "petitions/case_detail.html", context, status=status)


def _similar_cases_url(user, case) -> str:
    """Duplicate candidates (for 併案) from analytics."""
    return module_url(
        user, "analytics", "analytics.find_similar", "analytics:similar-cases", obj=case, args=[case.number]
    )


def _track_as_item_url(user, case) -> str:
    """列管: tracking's new-item form, prefilled from the case. The title travels in a query string
    (access logs) and becomes an item other agencies see: masked by the detector."""
    query = {
        "source": "petition",
        "petition_number": case.number,
        "title": privacy.public_text(case.subject, case),
    }
    return module_url(user, "tracking", "tracking.create_item", "tracking:item-create", query=query)


@login_required
def case_detail(request, number: str):
    case = selectors.get_case_for_user(request.user, number)
    if not _staff_can_view(request.user):
        # A citizen's own case: the same public view as the tracking page, nothing internal.
        return _public_page(request, case)
    return _render_case(request, case)


@login_required
def case_attachment(request, number: str, pk: int):
    case = selectors.get_case_for_user(request.user, number)
    attachment = case.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    from rdec.core import attachments

    ext = attachment.file.name.rsplit(".", 1)[-1]
    return attachments.download_response(
        attachment.file.open("rb"), f"{attachment.pk}.{ext}", attachment.content_type
    )


def _case_action(name: str, form_class=None, *, form_kwargs: Callable | None = None):
    """A POST to /cases/<number>/<action>/: bind the form, call the service, message and redirect;
    a bad form or a refused transition re-renders the case page with status 400."""

    def decorator(perform: Callable):
        @wraps(perform)
        @login_required
        def view(request, number: str, **kwargs):
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            case = selectors.get_case_for_user(request.user, number)
            extra = form_kwargs(case) if form_kwargs else {}
            form = form_class(request.POST, auto_id=f"{name}_%s", **extra) if form_class else None
            if form is not None and not form.is_valid():
                return _render_case(request, case, bound={name: form}, status=400)
            try:
                message = perform(request, case, form.cleaned_data if form else {}, **kwargs)
            except ValidationError as exc:
                if form is not None:
                    apply_errors(form, exc)
                    return _render_case(
                        request, case, bound={name: form}, status=400, errors=_error_messages(exc)
                    )
                return _render_case(request, case, status=400, errors=_error_messages(exc))
            messages.success(request, message)
            return redirect("petitions:case", number=case.number)

        return view

    return decorator


@_case_action("start")
def case_start(request, case, data):
    services.start_case(case, actor=request.user)
    return _("The case is now in progress.")


@_case_action("acknowledge")
def case_acknowledge(request, case, data):
    services.acknowledge_dispatch(case, actor=request.user)
    return _("The urgent dispatch is acknowledged.")


@_case_action("transfer", forms.TransferForm, form_kwargs=lambda case: {"case": case})
def case_transfer(request, case, data):
    services.transfer_case(case, actor=request.user, agency=data["agency"], reason=data["reason"])
    return _("The case was transferred to %(agency)s.") % {"agency": data["agency"].name}


@_case_action("co_agency", forms.CoAgencyForm, form_kwargs=lambda case: {"case": case})
def case_co_agency(request, case, data):
    services.add_co_agency(case, actor=request.user, agency=data["agency"], note=data["note"])
    return _("%(agency)s now assists with the case.") % {"agency": data["agency"].name}


@_case_action("reassign", forms.ReassignForm, form_kwargs=lambda case: {"case": case})
def case_reassign(request, case, data):
    services.reassign_case(case, actor=request.user, handler=data["handler"], note=data["note"])
    return _("The case was given to %(handler)s.") % {"handler": data["handler"]}


@_case_action("merge", forms.MergeForm)
def case_merge(request, case, data):
    try:
        main = selectors.get_case_for_user(request.user, data["into"].strip())
    except Http404:
        raise ValidationError({"into": [_("No case with this number is visible to you.")]}) from None
    services.merge_case(case, actor=request.user, into=main, note=data["note"])
    return _("The case was merged into %(number)s.") % {"number": main.number}


@_case_action("extension", forms.ExtensionRequestForm)
def case_request_extension(request, case, data):
    services.request_extension(
        case, actor=request.user, working_days=data["working_days"], reason=data["reason"]
    )
    return _("The extension was requested; a supervisor will decide.")


@_case_action("decide_extension", forms.DecisionForm)
def case_decide_extension(request, case, data, pk: int):
    ext = next((e for e in case.extensions.all() if e.pk == pk), None)
    if ext is None:
        raise Http404
    approve = data["decision"] == "approve"
    services.decide_extension(ext, actor=request.user, approve=approve, note=data["note"])
    return _("The extension was approved.") if approve else _("The extension was rejected.")


@_case_action("reply", forms.ReplyForm)
def case_reply(request, case, data):
    submit = request.POST.get("submit") != "draft"
    services.save_reply(
        case, actor=request.user, body=data["body"], internal_note=data["internal_note"], submit=submit
    )
    return _("The reply was submitted for approval.") if submit else _("The draft reply was saved.")


@_case_action("approve_reply", forms.DecisionForm)
def case_decide_reply(request, case, data, pk: int):
    reply = case.replies.filter(pk=pk).first()
    if reply is None:
        raise Http404
    approve = data["decision"] == "approve"
    services.approve_reply(reply, actor=request.user, approve=approve, note=data["note"])
    return _("The reply was approved and sent.") if approve else _("The reply was returned for revision.")


@_case_action("close", forms.NoteForm)
def case_close(request, case, data):
    services.close_case(case, actor=request.user, note=data["note"])
    return _("The case is closed.")


@_case_action("reopen", forms.ReopenForm)
def case_reopen(request, case, data):
    services.reopen_case(
        case, actor=request.user, reason=data["reason"], working_days=data.get("working_days") or None
    )
    return _("The case is reopened.")


@_case_action("withdraw", forms.WithdrawForm)
def case_withdraw(request, case, data):
    services.withdraw_case(
        case, actor=request.user, reason=data["reason"], caller_phone=data.get("caller_phone", "")
    )
    return _("The case is withdrawn.")


# --- 6. the 1999 console ------------------------------------------------------------------------------


@never_cache
@_role_required("petitions.use_console")
def console(request):
    user = request.user
    if request.method == "POST":
        form = forms.ConsoleCaseForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    case, code = services.file_case(
                        actor=user, channel=form.cleaned_data["channel"], **form.service_kwargs()
                    )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                # a new case the router is unsure of went to the RDEC's 分案 queue as it was filed
                # (rdec.petitions.hooks, as on every intake channel)
                previous = request.session.get(CONSOLE_SESSION_KEY) or {}
                if code is not None or previous.get("number") != case.number:
                    request.session[CONSOLE_SESSION_KEY] = {
                        "pk": case.pk,
                        "number": case.number,
                        "code": code,
                    }
                return redirect("petitions:console")
        return render(request, "petitions/console.html", _console_context(request, form), status=400)
    return render(request, "petitions/console.html", _console_context(request, forms.ConsoleCaseForm()))


def _route_hint_url(user) -> str:
    """Analytics' route hint (suggested agency and category as the agent types)."""
    return module_url(user, "analytics", "analytics.route", "analytics:route-hint")


def _console_context(request, form) -> dict:
    filed = request.session.pop(CONSOLE_SESSION_KEY, None) if request.method == "GET" else None
    context = {"form": form, "filed": None, "route_hint_url": _route_hint_url(request.user)}
    if filed:
        case = selectors.cases_visible_to(request.user).filter(pk=filed["pk"]).first()
        if case is not None:
            context["filed"] = {
                "case": case,
                "code": filed.get("code"),
                "contact": selectors.duty_contact_for(case.agency_id) if case.urgent else None,
                "tracking_url": _tracking_url(request, case),
            }
    return context


@_role_required("petitions.use_console")
def console_kb(request):
    q = request.GET.get("q", "").strip()[:100]
    articles = selectors.articles_search(request.user, q, limit=10) if q else []
    return render(request, "petitions/_kb_results.html", {"articles": articles, "q": q})


@require_POST
@_role_required("petitions.use_console")
def console_caller(request):
    """The caller's earlier cases (htmx). POST only: a phone number never goes into a URL."""
    phone = request.POST.get("petitioner_phone", request.POST.get("phone", "")).strip()[:30]
    cases = list(selectors.cases_by_phone(request.user, phone)[:20]) if phone else []
    return render(request, "petitions/_caller_cases.html", {"cases": cases, "phone": phone})


# --- 7. knowledge base and duty contacts ---------------------------------------------------------------


@_role_required("petitions.view_kb")
def kb(request):
    q = request.GET.get("q", "").strip()[:100]
    context = {
        "q": q,
        "results": selectors.articles_search(request.user, q) if q else None,
        "due": list(selectors.articles_due_for_review(request.user)[:100]),
        "may_create": check(request.user, "petitions.create_article"),
    }
    if request.headers.get("HX-Request"):
        return render(request, "petitions/_kb_results.html", {"articles": context["results"] or [], "q": q})
    return render(request, "petitions/kb_list.html", context)


@_role_required("petitions.view_kb")
def kb_article(request, pk: int):
    article = selectors.get_article_for_user(request.user, pk)
    context = {
        "article": article,
        "versions": article.versions.select_related("saved_by"),
        "may_edit": check(request.user, "petitions.edit_article", article),
    }
    return render(request, "petitions/kb_article.html", context)


@_role_required("petitions.create_article")
def kb_create(request):
    form = forms.ArticleForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                article = services.create_article(
                    actor=request.user,
                    question=d["question"],
                    answer=d["answer"],
                    agency=d["agency"],
                    tags=d["tags"],
                    source_document=d["source_document"],
                    valid_from=d["valid_from"],
                    valid_until=d["valid_until"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The article was saved."))
                return redirect("petitions:kb-article", pk=article.pk)
        return render(request, "petitions/kb_form.html", {"form": form}, status=400)
    return render(request, "petitions/kb_form.html", {"form": form})


@_role_required("petitions.view_kb")
def kb_edit(request, pk: int):
    article = selectors.get_article_for_user(request.user, pk)
    require(request.user, "petitions.edit_article", article)
    initial = {
        "question": article.question,
        "answer": article.answer,
        "tags": article.tags,
        "source_document": article.source_document,
        "valid_until": article.valid_until,
    }
    form = forms.ArticleForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.update_article(
                    article,
                    actor=request.user,
                    question=d["question"],
                    answer=d["answer"],
                    tags=d["tags"],
                    source_document=d["source_document"],
                    valid_until=d["valid_until"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("A new version of the article was saved."))
                return redirect("petitions:kb-article", pk=article.pk)
        return render(request, "petitions/kb_form.html", {"form": form, "article": article}, status=400)
    return render(request, "petitions/kb_form.html", {"form": form, "article": article})


@require_POST
@_role_required("petitions.view_kb")
def kb_review(request, pk: int):
    article = selectors.get_article_for_user(request.user, pk)
    services.review_article(article, actor=request.user)
    messages.success(request, _("The article is confirmed as reviewed."))
    return redirect("petitions:kb-article", pk=article.pk)


@_role_required("petitions.view_kb")
def duty_contacts(request):
    contacts = selectors.duty_contacts_visible_to(request.user)
    may_manage = check(request.user, "petitions.manage_duty_contacts")
    return render(request, "petitions/duty_contacts.html", {"contacts": contacts, "may_manage": may_manage})


def _contact_agencies(user):
    from rdec.core import selectors as core_selectors
    from rdec.core.permissions import scope_to_agencies

    return scope_to_agencies(core_selectors.agencies_public(), user, field="pk").order_by(
        "sort_order", "code"
    )


@_role_required("petitions.manage_duty_contacts")
def duty_contact_edit(request, pk: int | None = None):
    """Add a duty contact of one's agency, or change one (pk)."""
    from rdec.petitions.models import DutyContact

    contact = None
    if pk is not None:
        contact = DutyContact.objects.select_related("agency").filter(pk=pk).first()
        if contact is None:
            raise Http404
        require(request.user, "petitions.manage_duty_contacts", contact.agency)
    initial = (
        {f: getattr(contact, f) for f in ("agency", "name", "phone", "email", "hours", "primary", "active")}
        if contact
        else {"agency": request.user.agency}
    )
    form = forms.DutyContactForm(
        request.POST or None, initial=initial, agencies=_contact_agencies(request.user)
    )
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.save_duty_contact(actor=request.user, contact=contact, **d)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The duty contact was saved."))
                return redirect("petitions:contacts")
        return render(
            request, "petitions/duty_contact_form.html", {"form": form, "contact": contact}, status=400
        )
    return render(request, "petitions/duty_contact_form.html", {"form": form, "contact": contact})
