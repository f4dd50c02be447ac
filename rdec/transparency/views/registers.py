"""Transparency pages: 資訊公開專區 (one search across the three registers with facets), the public
lists and pages of contracts, MOUs and disclosure items, their Atom feeds and CSV / JSON downloads.

Everything here is public and reads through rdec.transparency.selectors, which never yields a draft,
an unpublished record, an original document or a natural person's data. A bad filter is a field
error on the page (400), never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rdec.core.attachments import download_response
from rdec.core.dates import day_start
from rdec.core.paginator import WindowPaginator
from rdec.core.spreadsheets import csv_response
from rdec.transparency import exports, forms, selectors
from rdec.transparency.models import Art18Item, Redaction

PAGE_SIZE = 20


def _filters(form) -> tuple[dict, int]:
    """The valid filters (empty when the form is unbound) and the status: 400 on a bad filter."""
    if not form.is_bound:
        return {}, 200
    if not form.is_valid():
        return {}, 400
    return {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}, 200


def _query(filters: dict) -> str:
    return urlencode(filters)


# --- 資訊公開專區 -------------------------------------------------------------------------------------------


@require_GET
def index(request):
    form = forms.SearchForm(request.GET or None)
    filters, status = _filters(form)
    result = selectors.search(**filters)
    searched = bool(filters)
    return render(
        request,
        "transparency/index.html",
        {
            "form": form,
            "filters": filters,
            "searched": searched,
            "contracts": result.contracts[:10],
            "contract_count": result.contract_count,
            "contracts_capped": result.contracts_capped,
            "mous": result.mous[:10],
            "mou_count": result.mous.count(),
            "disclosures": result.disclosures[:10],
            "disclosure_count": result.disclosures.count(),
            "facets": result.facets,
            "query": _query(filters),
        },
        status=status,
    )


# --- contracts -----------------------------------------------------------------------------------------


def _decorate_contracts(rows):
    for c in rows:
        c.supplier_shown = selectors.supplier_shown(c)
        c.tax_id_shown = selectors.tax_id_shown(c)
    return rows


@require_GET
def contract_list(request):
    form = forms.ContractFilterForm(request.GET or None)
    filters, status = _filters(form)
    qs = selectors.contract_matches(**filters)
    page = WindowPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate_contracts(page.object_list)
    return render(
        request,
        "transparency/contract_list.html",
        {"form": form, "page": page, "query": _query(filters), "filters": filters},
        status=status,
    )


@require_GET
def contract_detail(request, pk: int):
    contract = get_object_or_404(selectors.public_contracts(), pk=pk)
    _decorate_contracts([contract])
    documents = list(contract.documents.all())
    withheld = (
        Redaction.objects.filter(document__contract=contract, accepted=True)
        .values_list("item", flat=True)
        .order_by("item")
    )
    items = sorted(set(withheld))
    return render(
        request,
        "transparency/contract_detail.html",
        {
            "contract": contract,
            "documents": documents,
            "withheld_items": [Art18Item(i).label for i in items],
            "withheld_count": len(withheld),
            "amendments": contract.amendments.all(),
            "notices": contract.award_notices.all(),
        },
    )


# --- MOUs --------------------------------------------------------------------------------------------------


@require_GET
def mou_list(request):
    form = forms.MouFilterForm(request.GET or None)
    filters, status = _filters(form)
    qs = selectors.public_mous(**filters)
    page = WindowPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transparency/mou_list.html",
        {"form": form, "page": page, "query": _query(filters), "filters": filters},
        status=status,
    )


@require_GET
def mou_detail(request, number: str):
    mou = get_object_or_404(selectors.public_mou_rows().select_related("lead_agency"), number=number)
    return render(
        request,
        "transparency/mou_detail.html",
        {
            "mou": mou,
            "parties": mou.parties.all(),
            "approvals": mou.approvals.all(),
            "reports": mou.reports.all(),
            "co_agencies": mou.co_agencies.all(),
            "today": timezone.localdate(),
        },
    )


@require_GET
def mou_full_text(request, number: str):
    """The MOU's full text (PDF) as signed: public once the MOU is."""
    mou = get_object_or_404(selectors.public_mou_rows(), number=number)
    if not mou.full_text:
        raise Http404
    return download_response(mou.full_text, f"{mou.number}.pdf", "application/pdf", inline=True)


# --- disclosure items -----------------------------------------------------------------------------------


@require_GET
def disclosure_list(request):
    form = forms.DisclosureFilterForm(request.GET or None)
    filters, status = _filters(form)
    qs = selectors.public_disclosures(**filters)
    page = WindowPaginator(qs, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(
        request,
        "transparency/disclosure_list.html",
        {"form": form, "page": page, "query": _query(filters), "filters": filters},
        status=status,
    )


# --- downloads (CSV, JSON) -------------------------------------------------------------------------------


FILTERS = {
    "contracts": forms.ContractFilterForm,
    "mous": forms.MouFilterForm,
    "disclosures": forms.DisclosureFilterForm,
}


@require_GET
def export(request, register: str, fmt: str):
    """/transparency/<register>.csv|.json with the list's filters: the whole result (up to 50,000 rows)."""
    if register not in FILTERS or fmt not in ("csv", "json"):
        raise Http404
    form_class = FILTERS[register]
    select, rows_of = exports.REGISTERS[register]
    form = form_class(request.GET or None)
    filters, status = _filters(form)
    if status == 400:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    rows = list(rows_of(select(**filters)))
    if fmt == "json":
        response = JsonResponse(
            {"count": len(rows), "results": rows}, json_dumps_params={"ensure_ascii": False}
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response
    headers = exports.HEADERS[register]
    return csv_response(f"{register}.csv", headers, ([r[h] for h in headers] for r in rows))


# --- Atom feeds --------------------------------------------------------------------------------------


class RegisterFeed(Feed):
    """Atom 1.0 of one register, newest first; ?agency=<id> for one agency's."""

    feed_type = Atom1Feed
    register = ""

    def get_object(self, request, *args, **kwargs):
        form = forms.SearchForm({"agency": request.GET.get("agency", "")})
        if not form.is_valid():
            raise Http404
        return form.cleaned_data.get("agency")

    def link(self, agency):
        return reverse(f"transparency:{self.register}-list")

    def __call__(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=300"
        return response


class ContractFeed(RegisterFeed):
    register = "contract"

    def title(self, agency):
        return _("Contracts published — %(site)s") % {"site": settings.SITE_NAME}

    def items(self, agency):
        return _decorate_contracts(
            list(selectors.public_contracts(agency=agency or "").order_by("-published_at", "-id")[:100])
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        amount = _("not public") if item.award_amount is None else f"{int(item.award_amount):,}"
        return _("%(agency)s; supplier %(supplier)s; award amount %(amount)s") % {
            "agency": item.agency.name,
            "supplier": item.supplier_shown or "—",
            "amount": amount,
        }

    def item_link(self, item):
        return reverse("transparency:contract-detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class MouFeed(RegisterFeed):
    register = "mou"

    def title(self, agency):
        return _("MOUs published — %(site)s") % {"site": settings.SITE_NAME}

    def items(self, agency):
        return selectors.public_mous(agency=agency or "").order_by("-published_at", "-id")[:100]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return reverse("transparency:mou-detail", args=[item.number])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class DisclosureFeed(RegisterFeed):
    register = "disclosure"

    def title(self, agency):
        return _("Information disclosed proactively — %(site)s") % {"site": settings.SITE_NAME}

    def items(self, agency):
        return selectors.public_disclosures(agency=agency or "").order_by("-updated_on", "-id")[:100]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.get_category_display()

    def item_link(self, item):
        return reverse("transparency:disclosure-list") + "?" + urlencode({"agency": item.agency.code})

    def item_guid(self, item):
        return f"{settings.SITE_URL}/transparency/disclosures/{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return day_start(item.updated_on)


urlpatterns: list = [
    path("", index, name="index"),
    path("contracts/", contract_list, name="contract-list"),
    path("contracts/feed.atom", ContractFeed(), name="contract-feed"),
    path("contracts/<int:pk>/", contract_detail, name="contract-detail"),
    path("mous/", mou_list, name="mou-list"),
    path("mous/feed.atom", MouFeed(), name="mou-feed"),
    path("mous/<str:number>/", mou_detail, name="mou-detail"),
    path("mous/<str:number>/full-text.pdf", mou_full_text, name="mou-full-text"),
    path("disclosures/", disclosure_list, name="disclosure-list"),
    path("disclosures/feed.atom", DisclosureFeed(), name="disclosure-feed"),
    path("<str:register>.<str:fmt>", export, name="export"),
]
