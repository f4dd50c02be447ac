"""The agencies' side of the disclosure register and the MOU register (issue 17, "each agency keeps
its items"): an agency's staff and supervisors keep their agency's items (and the units' under it),
the RDEC every agency's.

- Disclosure items: the list (stale ones flagged, filter by category), add, edit, delete.
- MOUs: the list in every status (overdue publication and ending soon flagged), a new MOU with its
  parties, and the MOU's page with the steps its status allows: submit for approval, record an
  approval, sign, upload the full text, publish, change the status, add a yearly report.

Every write is a service call (services/disclosures.py, services/mous.py); a ValidationError is put
on the form and the page answers 400."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rdec.core.permissions import check, scope_to_agencies
from rdec.transparency import forms_registers as f
from rdec.transparency.models import DisclosureItem, Mou
from rdec.transparency.selectors_registers import (
    disclosures_managed_by,
    expiring_mous,
    is_stale,
    overdue_mous,
)
from rdec.transparency.services import disclosures, mous
from rdec.transparency.services.rules import rule_for
from rdec.transparency.views.manage import _agencies, may_manage

PAGE_SIZE = 50
PERMISSION = "transparency.manage_register"


def _require_manager(user, obj=None) -> None:
    if not may_manage(user) or (obj is not None and not check(user, PERMISSION, obj)):
        raise PermissionDenied


# --- disclosure items ----------------------------------------------------------------------------------


@login_required
def disclosure_manage(request):
    _require_manager(request.user)
    today = timezone.localdate()
    form = f.DisclosureManageFilterForm(request.GET or None)
    status = 200
    qs = disclosures_managed_by(request.user).order_by("category", "-updated_on", "id")
    only_stale = False
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["category"]:
                qs = qs.filter(category=form.cleaned_data["category"])
            only_stale = form.cleaned_data["stale"]
        else:
            status = 400
    rule = rule_for(today)
    items = list(qs)
    for item in items:
        item.stale = is_stale(item, today, rule)
    if only_stale:
        items = [i for i in items if i.stale]
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "transparency/manage_disclosures.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "stale_count": sum(1 for i in items if i.stale),
        },
        status=status,
    )


def _item_values(data: dict) -> dict:
    return {k: data[k] for k in disclosures.ITEM_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_new(request):
    _require_manager(request.user)
    agencies = _agencies(request.user)
    form = f.DisclosureItemForm(request.POST or None, agencies=agencies)
    if request.method == "POST":
        if form.is_valid():
            try:
                disclosures.save_disclosure_item(actor=request.user, **_item_values(form.cleaned_data))
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The item is added to the register."))
                return redirect("transparency:manage-disclosures")
    return render(
        request,
        "transparency/manage_disclosure_form.html",
        {"form": form, "creating": True},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_edit(request, pk: int):
    item = get_object_or_404(DisclosureItem.objects.select_related("agency"), pk=pk)
    _require_manager(request.user, item)
    agencies = _agencies(request.user)
    if request.method == "POST":
        form = f.DisclosureItemForm(request.POST, agencies=agencies)
        if form.is_valid():
            try:
                disclosures.update_disclosure_item(
                    item, actor=request.user, **_item_values(form.cleaned_data)
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("transparency:manage-disclosures")
        status = 400
    else:
        initial = {k: getattr(item, k) for k in disclosures.ITEM_FIELDS}
        form = f.DisclosureItemForm(initial=initial, agencies=agencies)
        status = 200
    return render(
        request,
        "transparency/manage_disclosure_form.html",
        {"form": form, "item": item},
        status=status,
    )


@login_required
@require_POST
def disclosure_delete(request, pk: int):
    item = get_object_or_404(DisclosureItem, pk=pk)
    _require_manager(request.user, item)
    disclosures.delete_disclosure_item(item, actor=request.user)
    messages.success(request, _("The item is taken off the register."))
    return redirect("transparency:manage-disclosures")


# --- MOUs ----------------------------------------------------------------------------------------------


def _mous_of(user):
    return scope_to_agencies(
        Mou.objects.select_related("lead_agency").prefetch_related("parties"), user, "lead_agency"
    )


@login_required
def mou_manage(request):
    _require_manager(request.user)
    today = timezone.localdate()
    rows = _mous_of(request.user).order_by("-created_at", "-id")
    overdue = set(overdue_mous(today).values_list("pk", flat=True))
    ending = set(expiring_mous(today).values_list("pk", flat=True))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for mou in page:
        mou.overdue = mou.pk in overdue
        mou.ending = mou.pk in ending
    return render(request, "transparency/manage_mous.html", {"page": page, "today": today})


@login_required
@require_http_methods(["GET", "POST"])
def mou_new(request):
    _require_manager(request.user)
    agencies = _agencies(request.user)
    data = request.POST if request.method == "POST" else None
    form = f.MouForm(data, agencies=agencies)
    parties = f.party_forms(data)
    party_error = ""
    if request.method == "POST":
        valid = form.is_valid()
        checked = [p.is_valid() for p in parties]  # every row, so that each shows its errors
        valid = all(checked) and valid
        rows = [p.party for p in parties if p.is_valid() and p.party]
        if valid and not rows:
            party_error = _("Name at least one party.")
            valid = False
        if valid:
            try:
                mou = mous.create_mou(actor=request.user, parties=rows, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The MOU is saved as a draft."))
                return redirect("transparency:manage-mou", pk=mou.pk)
    return render(
        request,
        "transparency/manage_mou_new.html",
        {"form": form, "parties": parties, "party_error": party_error},
        status=400 if form.is_bound else 200,
    )


# the forms of the MOU page, by action: (form class, prefix)
_ACTIONS = {
    "approval": (f.ApprovalForm, "approval"),
    "sign": (f.SignForm, "sign"),
    "full_text": (f.FullTextForm, "text"),
    "status": (f.StatusForm, "status"),
    "report": (f.ReportForm, "report"),
}
# steps with their own button; the status form offers the others
_OWN_STEPS = {Mou.Status.UNDER_APPROVAL, Mou.Status.SIGNED}


def _status_choices(mou: Mou) -> list[tuple[str, str]]:
    return [
        (s.value, s.label)
        for s in Mou.Status
        if s.value in mous.TRANSITIONS[mou.status] and s.value not in _OWN_STEPS
    ]


def _run(action: str, mou: Mou, form, user) -> str:
    """Call the action's service; returns the success message (raises ValidationError)."""
    data = form.cleaned_data if form is not None else {}
    if action == "submit":
        mous.submit_mou_for_approval(mou, actor=user)
        return _("The MOU is submitted for approval.")
    if action == "approval":
        mous.record_mou_approval(mou, actor=user, **data)
        return _("The approval is recorded.")
    if action == "sign":
        mous.sign_mou(mou, signed_on=data["signed_on"], actor=user)
        return _("The MOU is signed: publish it with its full text before the due date.")
    if action == "full_text":
        mous.attach_mou_full_text(mou, upload=data["full_text"], actor=user)
        return _("The full text is stored.")
    if action == "publish":
        mous.publish_mou(mou, actor=user)
        return _("The MOU is published on the public register.")
    if action == "status":
        mous.change_mou_status(mou, status=data["status"], actor=user)
        return _("The status is changed.")
    mous.add_mou_report(mou, actor=user, **data)
    return _("The yearly report is added.")


@login_required
@require_http_methods(["GET", "POST"])
def mou_detail(request, pk: int):
    mou = get_object_or_404(Mou.objects.select_related("lead_agency"), pk=pk)
    _require_manager(request.user, mou)
    forms_ = {
        name: cls(prefix=prefix, **({"choices": _status_choices(mou)} if name == "status" else {}))
        for name, (cls, prefix) in _ACTIONS.items()
    }
    action_errors: list = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        form = None
        if action in _ACTIONS:
            cls, prefix = _ACTIONS[action]
            extra = {"choices": _status_choices(mou)} if action == "status" else {}
            form = cls(request.POST, request.FILES, prefix=prefix, **extra)
            forms_[action] = form
        elif action not in ("submit", "publish"):
            raise PermissionDenied
        if form is None or form.is_valid():
            try:
                message = _run(action, mou, form, request.user)
            except ValidationError as exc:
                if form is not None:
                    form.add_service_errors(exc)
                else:
                    action_errors = exc.messages
            else:
                messages.success(request, message)
                return redirect("transparency:manage-mou", pk=mou.pk)
        status = 400
        mou.refresh_from_db()
    today = timezone.localdate()
    return render(
        request,
        "transparency/manage_mou.html",
        {
            "mou": mou,
            "parties": list(mou.parties.all()),
            "approvals": list(mou.approvals.all()),
            "reports": list(mou.reports.all()),
            "forms": forms_,
            "action_errors": action_errors,
            "signed": mou.status in mous.SIGNED_OR_LATER,
            "status_choices": _status_choices(mou),
            "missing_gates": [] if mou.status in mous.SIGNED_OR_LATER else mous.missing_gates(mou),
            "overdue": bool(
                mou.status in mous.SIGNED_OR_LATER
                and mou.published_at is None
                and mou.publication_due
                and mou.publication_due < today
            ),
            "today": today,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def mou_edit(request, pk: int):
    """Edit an MOU's fields and co-agencies (the parties are set when it is registered). A title
    changed by more than half before signing sends its approvals back to pending (services.mous)."""
    mou = get_object_or_404(Mou.objects.select_related("lead_agency"), pk=pk)
    _require_manager(request.user, mou)
    agencies = _agencies(request.user)
    if request.method == "POST":
        form = f.MouForm(request.POST, agencies=agencies)
        if form.is_valid():
            values = dict(form.cleaned_data)
            co_agencies = list(values.pop("co_agencies"))
            try:
                mous.update_mou(mou, actor=request.user, co_agencies=co_agencies, **values)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The MOU is saved."))
                return redirect("transparency:manage-mou", pk=mou.pk)
        return render(request, "transparency/manage_mou_edit.html", {"form": form, "mou": mou}, status=400)
    initial = {name: getattr(mou, name) for name in f.MouForm.base_fields if name != "co_agencies"}
    initial["co_agencies"] = list(mou.co_agencies.all())
    form = f.MouForm(initial=initial, agencies=agencies)
    return render(request, "transparency/manage_mou_edit.html", {"form": form, "mou": mou})


urlpatterns: list = [
    path("manage/disclosures/", disclosure_manage, name="manage-disclosures"),
    path("manage/disclosures/new/", disclosure_new, name="manage-disclosure-new"),
    path("manage/disclosures/<int:pk>/edit/", disclosure_edit, name="manage-disclosure-edit"),
    path("manage/disclosures/<int:pk>/delete/", disclosure_delete, name="manage-disclosure-delete"),
    path("manage/mous/", mou_manage, name="manage-mous"),
    path("manage/mous/new/", mou_new, name="manage-mou-new"),
    path("manage/mous/<int:pk>/", mou_detail, name="manage-mou"),
    path("manage/mous/<int:pk>/edit/", mou_edit, name="manage-mou-edit"),
]
