"""Transparency pages: a contract document's files (see docs/transparency.md).

- `contracts/<pk>/documents/<doc>/public.pdf`: the public copy (without the withheld text), for
  everyone, once the contract is published and unless the document is withheld in full.
- `contracts/<pk>/documents/<doc>/original.pdf`: the original, only for the contract's agency and
  the RDEC (transparency.view_original); 404 for everyone else, so its existence is not told.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path

from rdec.core.attachments import download_response
from rdec.core.permissions import check
from rdec.transparency.models import Contract, ContractDocument


def _document(pk: int, doc: int) -> ContractDocument:
    return get_object_or_404(ContractDocument.objects.select_related("contract"), pk=doc, contract_id=pk)


def _filename(document: ContractDocument, suffix: str = "") -> str:
    return f"{document.contract.ocid}-{document.pk}{suffix}.pdf"


def document_public(request, pk: int, doc: int):
    document = _document(pk, doc)
    if (
        document.contract.status != Contract.Status.PUBLISHED
        or document.withheld
        or not document.public_copy
        or document.approved_at is None
    ):
        raise Http404
    return download_response(document.public_copy.open("rb"), _filename(document), "application/pdf")


def document_original(request, pk: int, doc: int):
    document = _document(pk, doc)
    if not check(request.user, "transparency.view_original", document.contract):
        raise Http404
    response = download_response(
        document.original.open("rb"), _filename(document, "-original"), "application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list = [
    path("contracts/<int:pk>/documents/<int:doc>/public.pdf", document_public, name="document-public"),
    path("contracts/<int:pk>/documents/<int:doc>/original.pdf", document_original, name="document-original"),
]
