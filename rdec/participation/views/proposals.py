"""提點子 (proposals) pages: the public list and the proposal page with the live count and the
timeline, the citizen's form (verified citizens only) with similar earlier proposals, 附議, my
proposals and supports; the RDEC's checking queue (檢核), deadlines board, assignment and review of
flagged supports; the responsible agency's point-by-point response, meeting record and 展期.

Views read through the private helpers below (read-only, scoped like the services' checks) and
write only through `rdec.participation.services`; a ValidationError from a service is shown on the
form with status 400, PermissionDenied becomes the 403 page."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from rdec.core import attachments, workdays
from rdec.core.net import client_ip
from rdec.core.paginator import WindowPaginator
from rdec.core.permissions import check, is_oversight, visible_agency_ids
from rdec.core.registry import optional_module
from rdec.core.verification import is_verified_citizen
from rdec.participation import forms, selectors, services
from rdec.participation.models import Endorsement, Proposal

Status = Proposal.Status
PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 50
POLL_SECONDS = 15
RESPONSE_SOON_WORKING_DAYS = 5  # "responses due soon": within this many working days
ENDING_SOON_DAYS = 7  # the board's "support ending soon"
PUBLIC_STATUSES = (Status.ENDORSING, Status.ESTABLISHED, Status.NOT_ESTABLISHED, Status.RESPONDED)
STATUS_TAG = {
    Status.CHECKING: "tag-neutral",
    Status.REJECTED: "tag-overdue",
    Status.ENDORSING: "tag-tracked",
    Status.ESTABLISHED: "tag-due",
    Status.NOT_ESTABLISHED: "tag-neutral",
    Status.RESPONDED: "tag-closed",
}


# --- who may see what (the same questions the nav, the worklist and the views ask) --------------


def may_view_checking(user, obj=None) -> bool:
    """The checking queue, the deadlines board, assignment and flagged supports: the RDEC's
    管理小組 (participation.check_proposal)."""
    return check(user, "participation.check_proposal")


def may_view_responses(user, obj=None) -> bool:
    """The list of established proposals awaiting a response: the RDEC and agency members."""
    return is_oversight(user) or bool(
        user is not None and user.is_authenticated and getattr(user, "is_agency_member", False)
    )


def may_answer(user, proposal: Proposal) -> bool:
    """The responsible (lead) agency's staff write the point-by-point response."""
    return proposal.status == Status.ESTABLISHED and check(
        user, "participation.respond_to_proposal", proposal
    )


def may_meet(user, proposal: Proposal) -> bool:
    return (
        bool(proposal.lead_agency_id)
        and proposal.status in (Status.ESTABLISHED, Status.RESPONDED)
        and check(user, "participation.record_proposal_meeting", proposal)
    )


def may_extend(user, proposal: Proposal) -> bool:
    return (
        bool(proposal.lead_agency_id and proposal.response_due)
        and proposal.status == Status.ESTABLISHED
        and check(user, "participation.extend_proposal_response", proposal)
    )


def is_citizen_or_visitor(user) -> bool:
    return not user.is_authenticated or user.role == "citizen"


def is_citizen(user) -> bool:
    return user.is_authenticated and user.role == "citizen"


# --- reads (private selectors of the pages) ---------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def public_proposals():
    return selectors.public_proposals()


def _get_proposal_for_user(user, number: str) -> Proposal:
    """A public proposal, or one being checked or not accepted for its proposer and the RDEC."""
    proposal = selectors.proposals_visible_to(user).select_related("proposer").filter(number=number).first()
    if proposal is None:
        raise Http404
    return proposal


def search_proposals(*, q: str = "", status: str = ""):
    return selectors.public_proposals(q=q, status=status)


def similar_to(text: str, *, limit: int = 5, exclude_pk: int | None = None) -> list[Proposal]:
    """Earlier public proposals like `text` (participation.selectors.similar_proposals)."""
    return selectors.similar_proposals((text or "").strip()[:2000], limit, exclude_pk=exclude_pk)


def under_review_count(proposal: Proposal) -> int:
    return selectors.under_review_count(proposal)


def _remaining_working_days(due: datetime.date | None, today: datetime.date) -> int | None:
    """Working days left until `due` (0 on the day), negative when past due; None off the calendar."""
    if due is None:
        return None
    try:
        if due >= today:
            return workdays.working_days_between(today, due)
        return -max(1, workdays.working_days_between(due, today))
    except workdays.CalendarRangeError:
        return (due - today).days


def _set_remaining(proposal: Proposal, due, today: datetime.date) -> None:
    proposal.remaining = _remaining_working_days(due, today)
    proposal.late = -proposal.remaining if proposal.remaining is not None and proposal.remaining < 0 else 0


def _soon_until(today: datetime.date, days: int) -> datetime.date:
    try:
        return workdays.add_working_days(today, days)
    except workdays.CalendarRangeError:
        return today + datetime.timedelta(days=days + 2)


def checking_queue(*, due: str = "", today: datetime.date | None = None):
    """Proposals waiting for 檢核, the earliest due first; due=overdue|soon (today or the next
    working day)."""
    today = today or _today()
    qs = Proposal.objects.filter(status=Status.CHECKING)
    if due == "overdue":
        qs = qs.filter(check_due__lt=today)
    elif due == "soon":
        qs = qs.filter(check_due__gte=today, check_due__lte=_soon_until(today, 1))
    return qs.order_by("check_due", "submitted_at", "pk")


def responses_for(user, *, due: str = "", assign: str = "", today: datetime.date | None = None):
    """Established proposals (成案) awaiting the agency's response, scoped to the user's agencies
    (lead or co-responsible); the RDEC sees all, with `assign=waiting` those not yet assigned."""
    today = today or _today()
    qs = Proposal.objects.filter(status=Status.ESTABLISHED).select_related("lead_agency")
    ids = visible_agency_ids(user)
    if ids is not None:
        qs = qs.filter(Q(lead_agency__in=ids) | Q(co_agencies__in=ids)).distinct()
    if assign == "waiting":
        qs = qs.filter(lead_agency__isnull=True)
    if due == "overdue":
        qs = qs.filter(response_due__lt=today)
    elif due == "soon":
        qs = qs.filter(
            response_due__gte=today, response_due__lte=_soon_until(today, RESPONSE_SOON_WORKING_DAYS)
        )
    return qs.order_by("response_due", "established_at", "pk")


def flagged_supports():
    return (
        Endorsement.objects.filter(review=Endorsement.Review.PENDING)
        .select_related("proposal", "citizen")
        .order_by("proposal_id", "created_at", "pk")
    )


# counts of the home page's work queue (worklist.py): the same filters as the lists they open


def checks_overdue_count(user) -> int:
    return checking_queue(due="overdue").count() if may_view_checking(user) else 0


def checks_due_soon_count(user) -> int:
    return checking_queue(due="soon").count() if may_view_checking(user) else 0


def to_check_count(user) -> int:
    return checking_queue().count() if may_view_checking(user) else 0


def to_assign_count(user) -> int:
    return responses_for(user, assign="waiting").count() if may_view_checking(user) else 0


def responses_overdue_count(user) -> int:
    return responses_for(user, due="overdue").count() if may_view_responses(user) else 0


def responses_due_soon_count(user) -> int:
    return responses_for(user, due="soon").count() if may_view_responses(user) else 0


def flagged_count(user) -> int:
    return flagged_supports().count() if may_view_checking(user) else 0


def open_for_support_count(user=None) -> int:
    return public_proposals().filter(status=Status.ENDORSING).count()


# --- helpers -----------------------------------------------------------------------------------------


def _apply_errors(form, exc: ValidationError) -> None:
    """A service's errors on the form's fields (the rest above the form)."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.error_dict.items():
        for error in errors:
            for message in error.messages:
                form.add_error(field if field in form.fields else None, message)


def _percent(proposal: Proposal) -> int:
    if not proposal.threshold:
        return 100
    return min(100, int(proposal.endorsement_count * 100 / proposal.threshold))


def _decorate(proposals, today: datetime.date | None = None):
    today = today or _today()
    for p in proposals:
        p.percent = _percent(p)
        p.tag_class = STATUS_TAG.get(p.status, "tag-neutral")
        p.days_left = (p.endorse_until - today).days if p.endorse_until else None
    return proposals


def _tracked_item_number(user, proposal: Proposal) -> str:
    """The number of the proposal's tracked item (列管) when the tracking module is installed and
    the user may see that item; empty otherwise."""
    tracking = optional_module("rdec.tracking.selectors")
    if not proposal.tracked_item_id or tracking is None:
        return ""
    return (
        tracking.items_visible_to(user)
        .filter(pk=proposal.tracked_item_id)
        .values_list("number", flat=True)
        .first()
        or ""
    )


def _url_or_blank(name: str) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _verify_url() -> str:
    """Where a citizen verifies the phone and e-mail (core's account pages)."""
    return _url_or_blank("core:account-verify") or _url_or_blank("core:password-change")


def _privacy_key() -> str:
    """The personal-data notice of the proposal form: participation's own when core has it."""
    from rdec.core import privacy

    for key in ("participation", "proposal", "citizen-account"):
        if key in privacy.NOTICES:
            return key
    return "account"


EVENT_LABELS = {
    "submitted": _lazy("Proposal submitted"),
    "opened": _lazy("Accepted and open for support"),
    "rejected": _lazy("Not accepted"),
    "established": _lazy("Established"),
    "not_established": _lazy("Not established"),
    "assigned": _lazy("Responsible agency assigned"),
    "meeting": _lazy("Meeting with the proposer"),
    "extended": _lazy("Response deadline extended"),
    "responded": _lazy("Responded"),
}


def _label_events(events) -> list:
    rows = list(events)
    for event in rows:
        event.label = "" if event.text else EVENT_LABELS.get(event.kind, "")
    return rows


def _already_endorsed_error():
    return getattr(services, "AlreadyEndorsed", None)


def _support_state(user, proposal: Proposal) -> str:
    """What the 附議 box shows: closed, anonymous, staff, unverified, already, or open."""
    if proposal.status != Status.ENDORSING or (proposal.endorse_until and proposal.endorse_until < _today()):
        return "closed"
    if not user.is_authenticated:
        return "anonymous"
    if user.role != "citizen":
        return "staff"
    if proposal.proposer_id == user.pk:
        return "own"
    if Endorsement.objects.filter(proposal=proposal, citizen=user).exists():
        return "already"
    if not is_verified_citizen(user):
        return "unverified"
    return "open"


def _count_payload(proposal: Proposal) -> dict:
    return {
        "number": proposal.number,
        "status": proposal.status,
        "status_label": str(proposal.get_status_display()),
        "endorsement_count": proposal.endorsement_count,
        "threshold": proposal.threshold,
        "percent": _percent(proposal),
        "under_review": under_review_count(proposal),
        "endorse_until": proposal.endorse_until.isoformat() if proposal.endorse_until else None,
    }


# --- public pages ------------------------------------------------------------------------------------


@require_GET
def proposal_list(request):
    form = forms.ProposalSearchForm(
        request.GET or None, status_choices=[(s.value, s.label) for s in Status if s in PUBLIC_STATUSES]
    )
    q = status = ""
    if form.is_bound and form.is_valid():
        q, status = form.cleaned_data["q"].strip(), form.cleaned_data["status"]
    qs = search_proposals(q=q, status=status).select_related("lead_agency")
    page = WindowPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(page.object_list)
    query = urlencode({k: v for k, v in (("q", q), ("status", status)) if v})
    return render(
        request,
        "participation/proposal_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "q": q,
            "status": status,
            "may_propose": is_citizen_or_visitor(request.user),
        },
    )


@require_GET
def proposal_similar(request):
    """GET ?q=…: earlier public proposals like the text (JSON, for the form's suggestions)."""
    q = request.GET.get("q", "")[:200]
    rows = [
        {
            "number": p.number,
            "title": p.title,
            "status": str(p.get_status_display()),
            "url": reverse("participation:proposal-detail", args=[p.number]),
        }
        for p in similar_to(q)
    ]
    return JsonResponse({"results": rows})


def proposal_create(request):
    user = request.user
    verified = is_verified_citizen(user)
    context = {
        "verified": verified,
        "verify_url": _verify_url(),
        "register_url": _url_or_blank("core:account-register"),
        "is_citizen": is_citizen(user),
        "similar": None,
        "privacy_key": _privacy_key(),
    }
    if not verified:
        status = 403 if request.method == "POST" else 200
        return render(request, "participation/proposal_form.html", context, status=status)
    form = forms.ProposalForm(request.POST or None, request.FILES or None, user=user)
    if not form.is_bound:
        own = user.display_name or ""
        form.initial["display_name"] = "" if services.display_name_error(own, user) else own
    context["form"] = form
    status = 200
    if request.method == "POST":
        if "find_similar" in request.POST:  # without scripts: the similar proposals, the form kept
            context["similar"] = similar_to(request.POST.get("title", ""))
            form.errors.clear()  # not sent yet: no errors
            return render(request, "participation/proposal_form.html", context)
        if form.is_valid():
            d = form.cleaned_data
            try:
                proposal = services.submit_proposal(
                    actor=user,
                    title=d["title"],
                    content=d["content"],
                    benefits=d["benefits"],
                    display_name=d["display_name"],
                    suggested_agencies=list(d["suggested_agencies"]),
                    attachments=d["attachments"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your proposal %(number)s was received. The RDEC checks it by %(due)s; "
                        "you will be told the outcome."
                    )
                    % {"number": proposal.number, "due": _roc(proposal.check_due)},
                )
                return redirect("participation:proposal-detail", number=proposal.number)
        status = 400
        context["similar"] = similar_to(request.POST.get("title", ""))
    return render(request, "participation/proposal_form.html", context, status=status)


def _roc(day) -> str:
    from rdec.core.dates import roc_date

    return roc_date(day) if day else ""


def _detail_context(request, proposal: Proposal) -> dict:
    user = request.user
    rdec = is_oversight(user)
    is_proposer = user.is_authenticated and proposal.proposer_id == user.pk
    events = selectors.proposal_timeline(proposal, user)
    _decorate([proposal])
    context = {
        "proposal": proposal,
        "is_proposer": is_proposer,
        "show_rejection": proposal.status == Status.REJECTED and (is_proposer or rdec),
        "attachments": proposal.attachments.all(),
        "suggested": proposal.suggested_agencies.all(),
        "co_agencies": proposal.co_agencies.all(),
        "events": _label_events(events),
        "points": proposal.response_points.all(),
        "meetings": proposal.meetings.order_by("held_on", "pk"),
        "extensions": proposal.extensions.order_by("announced_at", "pk"),
        "under_review": under_review_count(proposal),
        "support": _support_state(user, proposal),
        "verify_url": _verify_url(),
        "poll_seconds": POLL_SECONDS,
        "tracked_number": _tracked_item_number(user, proposal),
        "may_check": rdec and proposal.status == Status.CHECKING,
        "may_assign": rdec and proposal.status == Status.ESTABLISHED and not proposal.lead_agency_id,
        "may_answer": may_answer(user, proposal),
        "may_meet": may_meet(user, proposal),
        "may_extend": may_extend(user, proposal),
        "rdec": rdec,
    }
    if context["may_assign"]:
        context["assign_form"] = forms.ProposalAssignForm(
            initial={"lead_agency": proposal.suggested_agencies.first()}
        )
    return context


@require_GET
def proposal_detail(request, number: str):
    proposal = _get_proposal_for_user(request.user, number)
    return render(request, "participation/proposal_detail.html", _detail_context(request, proposal))


@require_GET
def proposal_count(request, number: str):
    """The live count for the page's poll: public proposals only (JSON)."""
    proposal = get_object_or_404(public_proposals(), number=number)
    response = JsonResponse(_count_payload(proposal))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def proposal_endorse(request, number: str):
    """附議 (POST): one support per verified citizen, never withdrawn."""
    proposal = _get_proposal_for_user(request.user, number)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('core:login')}?next={proposal_url(proposal)}")
    already = _already_endorsed_error()
    try:
        services.endorse_proposal(proposal, actor=request.user, ip_address=client_ip(request) or "")
    except Exception as exc:  # the service's refusals, told apart below; anything else is raised
        if already is not None and isinstance(exc, already):
            messages.error(
                request, _("You have already supported this proposal; a support cannot be withdrawn.")
            )
            status = 409
        elif isinstance(exc, ValidationError):
            messages.error(request, " ".join(exc.messages))
            status = 400
        elif isinstance(exc, PermissionDenied) and not is_verified_citizen(request.user):
            messages.error(
                request, _("Only citizens with a verified phone and e-mail can support proposals.")
            )
            status = 403
        else:
            raise
    else:
        messages.success(request, _("Thank you: your support is counted. A support cannot be withdrawn."))
        return redirect(proposal_url(proposal))
    proposal.refresh_from_db()
    return render(
        request, "participation/proposal_detail.html", _detail_context(request, proposal), status=status
    )


def proposal_url(proposal: Proposal) -> str:
    return reverse("participation:proposal-detail", args=[proposal.number])


@require_GET
def proposal_attachment(request, number: str, pk: int):
    proposal = _get_proposal_for_user(request.user, number)
    attachment = get_object_or_404(proposal.attachments, pk=pk)
    ext = attachment.file.name.rsplit(".", 1)[-1] if "." in attachment.file.name else ""
    return attachments.download_response(
        attachment.file.open("rb"), attachment.name, attachments.content_type_for(ext)
    )


@login_required
@require_GET
def proposal_mine(request):
    if not is_citizen(request.user):
        raise PermissionDenied
    proposals = _decorate(list(request.user.proposals.order_by("-submitted_at", "-pk")))
    supports = list(
        Endorsement.objects.filter(citizen=request.user)
        .select_related("proposal")
        .order_by("-created_at", "-pk")
    )
    _decorate([s.proposal for s in supports])
    return render(
        request,
        "participation/proposal_mine.html",
        {
            "proposals": proposals,
            "supports": supports,
            "comments": _my_comments(request.user),
            "verified": is_verified_citizen(request.user),
        },
    )


def _my_comments(user) -> list:
    """The citizen's comments on consultations (眾開講), newest first; a hidden one carries the
    label of the rule it was hidden by (`hidden_ground`), shown to its author only."""
    from rdec.participation.models import Comment, HidingGround, ModerationEntry

    comments = list(
        Comment.objects.filter(author=user)
        .exclude(consultation__status="draft")
        .select_related("consultation")
        .order_by("-created_at", "-pk")
    )
    hidden = [c.pk for c in comments if c.hidden]
    grounds = {}
    for target_id, ground in (
        ModerationEntry.objects.filter(target=ModerationEntry.Target.COMMENT, target_id__in=hidden)
        .order_by("at", "pk")
        .values_list("target_id", "ground")
    ):
        grounds[target_id] = ground  # the latest entry wins
    for c in comments:
        ground = grounds.get(c.pk)
        c.hidden_ground = HidingGround(ground).label if ground in HidingGround.values else ""
    return comments


# --- the RDEC -----------------------------------------------------------------------------------------


def _require(check, user, obj=None) -> None:
    if not check(user, obj):
        raise PermissionDenied


@login_required
@require_GET
def proposal_checking(request):
    _require(may_view_checking, request.user)
    today = _today()
    due = request.GET.get("due", "")
    due = due if due in ("overdue", "soon") else ""
    qs = checking_queue(due=due, today=today)
    total = qs.count()
    rows = list(qs[:QUEUE_PAGE_SIZE])
    for p in rows:
        _set_remaining(p, p.check_due, today)
    return render(
        request,
        "participation/proposal_checking.html",
        {"rows": rows, "total": total, "due": due, "today": today},
    )


@login_required
def proposal_check(request, number: str):
    """檢核 of one proposal: its full text and the accept/refuse form."""
    _require(may_view_checking, request.user)
    proposal = _get_proposal_for_user(request.user, number)
    if proposal.status != Status.CHECKING:
        messages.info(request, _("This proposal has already been checked."))
        return redirect(proposal_url(proposal))
    form = forms.ProposalCheckForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            accept = d["decision"] == form.ACCEPT
            try:
                services.check_proposal(
                    proposal,
                    actor=request.user,
                    accept=accept,
                    ground="" if accept else d["ground"],
                    reason=d["reason"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Proposal %(number)s is open for support.") % {"number": proposal.number}
                    if accept
                    else _("Proposal %(number)s was not accepted; the proposer is told the reason.")
                    % {"number": proposal.number},
                )
                return redirect("participation:proposal-checking")
        status = 400
    _set_remaining(proposal, proposal.check_due, _today())
    context = {
        "proposal": proposal,
        "form": form,
        "attachments": proposal.attachments.all(),
        "suggested": proposal.suggested_agencies.all(),
        "similar": similar_to(f"{proposal.title}\n{proposal.content}", exclude_pk=proposal.pk),
    }
    return render(request, "participation/proposal_check.html", context, status=status)


@login_required
@require_GET
def proposal_board(request):
    _require(may_view_checking, request.user)
    today = _today()
    ending = list(
        Proposal.objects.filter(
            status=Status.ENDORSING,
            endorse_until__gte=today,
            endorse_until__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS),
        ).order_by("endorse_until", "pk")[:QUEUE_PAGE_SIZE]
    )
    _decorate(ending, today)
    to_assign = list(responses_for(request.user, assign="waiting", today=today)[:QUEUE_PAGE_SIZE])
    awaiting = list(
        responses_for(request.user, today=today).filter(lead_agency__isnull=False)[:QUEUE_PAGE_SIZE]
    )
    for p in awaiting:
        _set_remaining(p, p.response_due, today)
        p.tracked_number = _tracked_item_number(request.user, p)
    counts = Proposal.objects.aggregate(
        checking=Count("pk", filter=Q(status=Status.CHECKING)),
        checking_overdue=Count("pk", filter=Q(status=Status.CHECKING, check_due__lt=today)),
        endorsing=Count("pk", filter=Q(status=Status.ENDORSING)),
        awaiting=Count("pk", filter=Q(status=Status.ESTABLISHED)),
        overdue=Count("pk", filter=Q(status=Status.ESTABLISHED, response_due__lt=today)),
    )
    return render(
        request,
        "participation/proposal_board.html",
        {
            "ending": ending,
            "to_assign": to_assign,
            "awaiting": awaiting,
            "counts": counts,
            "flagged": flagged_supports().count(),
            "today": today,
        },
    )


@login_required
@require_POST
def proposal_assign(request, number: str):
    _require(may_view_checking, request.user)
    proposal = _get_proposal_for_user(request.user, number)
    form = forms.ProposalAssignForm(request.POST)
    if form.is_valid():
        try:
            services.assign_proposal(
                proposal,
                actor=request.user,
                lead_agency=form.cleaned_data["lead_agency"],
                co_agencies=list(form.cleaned_data["co_agencies"]),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Proposal %(number)s is assigned to %(agency)s and put under control.")
                % {"number": proposal.number, "agency": form.cleaned_data["lead_agency"].name},
            )
            return redirect(proposal_url(proposal))
    context = _detail_context(request, proposal)
    context["assign_form"] = form
    return render(request, "participation/proposal_detail.html", context, status=400)


@login_required
@require_GET
def proposal_flagged(request):
    _require(may_view_checking, request.user)
    qs = flagged_supports()
    total = qs.count()
    rows = list(qs[:QUEUE_PAGE_SIZE])
    return render(
        request,
        "participation/proposal_flagged.html",
        {"rows": rows, "total": total, "form": forms.EndorsementReviewForm()},
    )


@login_required
@require_POST
def endorsement_review(request, pk: int):
    _require(may_view_checking, request.user)
    endorsement = get_object_or_404(Endorsement, pk=pk, review=Endorsement.Review.PENDING)
    form = forms.EndorsementReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_endorsement(
                endorsement,
                actor=request.user,
                keep=form.cleaned_data["decision"] == form.KEEP,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The support was reviewed."))
            return redirect("participation:proposal-flagged")
    qs = flagged_supports()
    return render(
        request,
        "participation/proposal_flagged.html",
        {"rows": list(qs[:QUEUE_PAGE_SIZE]), "total": qs.count(), "form": form, "failed": endorsement.pk},
        status=400,
    )


# --- the responsible agency ---------------------------------------------------------------------------


@login_required
@require_GET
def proposal_responses(request):
    _require(may_view_responses, request.user)
    today = _today()
    due = request.GET.get("due", "")
    due = due if due in ("overdue", "soon") else ""
    assign = "waiting" if request.GET.get("assign") == "waiting" and is_oversight(request.user) else ""
    qs = responses_for(request.user, due=due, assign=assign, today=today)
    total = qs.count()
    rows = list(qs[:QUEUE_PAGE_SIZE])
    for p in rows:
        _set_remaining(p, p.response_due, today)
        p.tracked_number = _tracked_item_number(request.user, p)
        p.may_answer = may_answer(request.user, p)
    return render(
        request,
        "participation/proposal_responses.html",
        {"rows": rows, "total": total, "due": due, "assign": assign, "rdec": is_oversight(request.user)},
    )


def _agency_form_view(request, number: str, form_class, template: str, act, allowed):
    proposal = _get_proposal_for_user(request.user, number)
    _require(allowed, request.user, proposal)
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                message = act(proposal, form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect(proposal_url(proposal))
        status = 400
    context = {"proposal": proposal, "form": form, "proposal_url": proposal_url(proposal)}
    return render(request, template, context, status=status)


@login_required
def proposal_meeting(request, number: str):
    def act(proposal, d):
        services.record_proposal_meeting(
            proposal,
            actor=request.user,
            held_on=d["held_on"],
            record=d["record"],
            place=d["place"],
            attendees=d["attendees"],
        )
        return _("The meeting with the proposer is recorded.")

    return _agency_form_view(
        request, number, forms.ProposalMeetingForm, "participation/proposal_meeting_form.html", act, may_meet
    )


@login_required
def proposal_extend(request, number: str):
    def act(proposal, d):
        services.extend_proposal_response(
            proposal, actor=request.user, new_due=d["new_due"], reason=d["reason"]
        )
        return _("The response deadline is extended to %(date)s and announced on the proposal's page.") % {
            "date": _roc(d["new_due"])
        }

    return _agency_form_view(
        request,
        number,
        forms.ProposalExtensionForm,
        "participation/proposal_extension_form.html",
        act,
        may_extend,
    )


@login_required
def proposal_respond(request, number: str):
    """The point-by-point response of the responsible agency (rows added with a script, or five
    blank rows without one)."""
    proposal = _get_proposal_for_user(request.user, number)
    _require(may_answer, request.user, proposal)
    form = forms.ProposalResponseForm(request.POST or None)
    formset = forms.ResponsePointFormSet(request.POST or None, prefix="points")
    status = 200
    if request.method == "POST":
        form_ok, points_ok = form.is_valid(), formset.is_valid()
        if form_ok and points_ok:
            try:
                services.respond_to_proposal(
                    proposal,
                    actor=request.user,
                    summary=form.cleaned_data["summary"],
                    points=formset.points(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The response is published on the proposal's page."))
                return redirect(proposal_url(proposal))
        status = 400
    return render(
        request,
        "participation/proposal_response_form.html",
        {"proposal": proposal, "form": form, "formset": formset, "proposal_url": proposal_url(proposal)},
        status=status,
    )


urlpatterns = [
    path("proposals/", proposal_list, name="proposal-list"),
    path("proposals/new/", proposal_create, name="proposal-create"),
    path("proposals/similar/", proposal_similar, name="proposal-similar"),
    path("proposals/checking/", proposal_checking, name="proposal-checking"),
    path("proposals/board/", proposal_board, name="proposal-board"),
    path("proposals/responses/", proposal_responses, name="proposal-responses"),
    path("proposals/supports/", proposal_flagged, name="proposal-flagged"),
    path("proposals/supports/<int:pk>/review/", endorsement_review, name="endorsement-review"),
    path("proposals/<str:number>/", proposal_detail, name="proposal-detail"),
    path("proposals/<str:number>/count/", proposal_count, name="proposal-count"),
    path("proposals/<str:number>/support/", proposal_endorse, name="proposal-endorse"),
    path("proposals/<str:number>/check/", proposal_check, name="proposal-check"),
    path("proposals/<str:number>/assign/", proposal_assign, name="proposal-assign"),
    path("proposals/<str:number>/respond/", proposal_respond, name="proposal-respond"),
    path("proposals/<str:number>/meeting/", proposal_meeting, name="proposal-meeting"),
    path("proposals/<str:number>/extend/", proposal_extend, name="proposal-extend"),
    path("proposals/<str:number>/attachments/<int:pk>/", proposal_attachment, name="proposal-attachment"),
    path("mine/", proposal_mine, name="proposal-mine"),
]
