"""The agencies' and the RDEC's side of the registers (管考): the worklist — contracts past their §84
publication day, MOUs signed but not published or ending soon, disclosure items past their update
cycle — and registering a contract with its signed text, reviewing the proposed redactions and
publishing the public copy.

Agency staff and supervisors see their agency's records (and the units under it); the RDEC sees all.
Writes go through the services; a ValidationError is shown on the form with status 400."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rdec.core.forms import apply_errors
from rdec.core.models import Agency
from rdec.core.permissions import check, scope_to_agencies, visible_agency_ids
from rdec.transparency import forms
from rdec.transparency.models import Contract, Redaction
from rdec.transparency.selectors_contracts import overdue_contracts
from rdec.transparency.selectors_registers import expiring_mous, overdue_mous, stale_items
from rdec.transparency.services import documents, review


def may_manage(user, obj=None) -> bool:
    """The worklist: agency staff and supervisors, and the RDEC."""
    return check(user, "transparency.manage_register", obj) and (
        visible_agency_ids(user) is None or bool(visible_agency_ids(user))
    )


def _agencies(user):
    ids = visible_agency_ids(user)
    qs = Agency.objects.order_by("sort_order", "code")
    return qs if ids is None else qs.filter(pk__in=ids)


@login_required
def worklist(request):
    if not may_manage(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    user = request.user
    return render(
        request,
        "transparency/manage.html",
        {
            "today": today,
            "overdue_contracts": scope_to_agencies(overdue_contracts(today), user)[:200],
            "unpublished": scope_to_agencies(
                Contract.objects.filter(published_at__isnull=True).select_related("agency"), user
            ).order_by("publication_due", "-id")[:200],
            "overdue_mous": scope_to_agencies(
                overdue_mous(today).select_related("lead_agency"), user, "lead_agency"
            )[:200],
            "expiring_mous": scope_to_agencies(
                expiring_mous(today).select_related("lead_agency"), user, "lead_agency"
            )[:200],
            "stale": stale_items(today, agency_ids=visible_agency_ids(user))[:200],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_new(request):
    if not may_manage(request.user):
        raise PermissionDenied
    agencies = _agencies(request.user)
    form = forms.ContractRegisterForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract, _proposals = documents.register_contract(
                actor=request.user,
                agency=data["agency"],
                title=data["title"],
                supplier_name=data["supplier_name"],
                supplier_tax_id=data["supplier_tax_id"] or "",
                supplier_is_person=data["supplier_is_person"],
                award_amount=data["award_amount"],
                budget_amount=data["budget_amount"],
                signed_on=data["signed_on"],
                document=data["document"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if contract.kind != data["kind"]:
                contract.kind = data["kind"]
                contract.save(update_fields=["kind", "updated_at"])
            messages.success(
                request, _("The contract is registered. Check the proposed redactions, then publish.")
            )
            return redirect("transparency:manage-contract", pk=contract.pk)
    return render(
        request, "transparency/contract_new.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_review(request, pk: int):
    contract = get_object_or_404(Contract.objects.select_related("agency"), pk=pk)
    if not check(request.user, "transparency.manage_register", contract):
        raise PermissionDenied
    docs = list(contract.documents.prefetch_related("redactions"))
    errors = []
    if request.method == "POST":
        accepted = {int(v) for v in request.POST.getlist("accept") if v.isdigit()}
        valid = set(Redaction.objects.filter(document__contract=contract).values_list("pk", flat=True))
        try:
            review.decide_and_publish(contract, accepted_ids=accepted & valid, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The public copy is approved and the contract is published."))
            return redirect("transparency:contract-detail", pk=contract.pk)
    return render(
        request,
        "transparency/contract_review.html",
        {
            "contract": contract,
            "documents": docs,
            "errors": errors,
            "amendment_form": forms.AmendmentForm(),
            "amendments": contract.amendments.all(),
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def contract_amend(request, pk: int):
    contract = get_object_or_404(Contract.objects.select_related("agency"), pk=pk)
    if not check(request.user, "transparency.manage_register", contract):
        raise PermissionDenied
    form = forms.AmendmentForm(request.POST)
    if form.is_valid():
        try:
            review.record_amendment(contract, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The amendment is recorded."))
            return redirect("transparency:manage-contract", pk=contract.pk)
    return render(
        request,
        "transparency/contract_review.html",
        {
            "contract": contract,
            "documents": list(contract.documents.prefetch_related("redactions")),
            "errors": [],
            "amendment_form": form,
            "amendments": contract.amendments.all(),
        },
        status=400,
    )


urlpatterns: list = [
    path("manage/", worklist, name="manage"),
    path("manage/contracts/new/", contract_new, name="manage-contract-new"),
    path("manage/contracts/<int:pk>/", contract_review, name="manage-contract"),
    path("manage/contracts/<int:pk>/amendments/", contract_amend, name="manage-contract-amend"),
]
