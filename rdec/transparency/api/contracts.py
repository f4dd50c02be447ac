"""API of the contract register (契約公開, 政府資訊公開法 Art. 7 para 1 item 8).

- `GET /api/v1/transparency/contracts/` (`q`, `agency`, `year`) and `/{id}/`: anyone, published
  contracts only. A natural person's name is masked and has no business ID number; a hidden amount
  is null, never 0; each document links to its public copy only (never the original).
- `POST /api/v1/transparency/contracts/` (multipart): an agency registers a contract with its signed
  text (a PDF); 201 with the redactions proposed for the natural persons' data in it (the caller is
  the agency: it may see its own document's text). `agency` defaults to the caller's own (an API key
  is its agency's service user).
- `POST /api/v1/transparency/contracts/{id}/publish/` `{"accept_proposed_redactions": true}`: makes
  the public copies (the withheld text gone) and publishes; the contract's agency or the RDEC.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from rdec.core.api.pagination import MatchesPagination
from rdec.core.models import Agency
from rdec.core.permissions import check
from rdec.transparency import selectors
from rdec.transparency.models import Art18Item, Contract, ContractDocument, Redaction, Restriction
from rdec.transparency.services import documents as services


def with_documents(qs):
    """`qs` with each contract's documents and their accepted redactions (no query per row)."""
    documents = ContractDocument.objects.prefetch_related(
        Prefetch("redactions", queryset=Redaction.objects.filter(accepted=True), to_attr="accepted")
    ).order_by("id")
    return qs.select_related("agency").prefetch_related(Prefetch("documents", queryset=documents))


def public_contracts(*, q: str = "", agency: Agency | None = None, year: int | None = None):
    """Published contracts (the public pages' selector: every word inside the title, the supplier as
    shown or the documents' public text), with their documents."""
    return with_documents(
        selectors.public_contracts(q=q or "", agency=agency.code if agency is not None else "", year=year)
    )


class DocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text="the public copy (null when withheld)")
    redacted = serializers.BooleanField(help_text="passages are withheld in the public copy")
    withheld = serializers.BooleanField(help_text="the whole document is withheld")
    art18_item = serializers.IntegerField(
        allow_null=True, help_text="the Art. 18 item of a withheld document"
    )
    reason = serializers.CharField(help_text="why the document is withheld")


class ContractSerializer(serializers.ModelSerializer):
    supplier = serializers.SerializerMethodField(help_text="a natural person's name masked (王○明)")
    supplier_tax_id = serializers.SerializerMethodField(help_text="統一編號; empty for a natural person")
    agency = serializers.CharField(source="agency.code", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    restriction = serializers.SerializerMethodField(help_text="none, partial or withheld (Art. 18)")
    art18_items = serializers.SerializerMethodField(help_text="the Art. 18 items of what is withheld")
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "ocid",
            "title",
            "supplier",
            "supplier_tax_id",
            "award_amount",
            "budget_amount",
            "signed_on",
            "status",
            "agency",
            "agency_name",
            "published_at",
            "restriction",
            "art18_items",
            "documents",
        ]
        read_only_fields = fields

    def get_supplier(self, contract) -> str:
        return services.public_supplier(contract)

    def get_supplier_tax_id(self, contract) -> str:
        return "" if contract.supplier_is_person else contract.supplier_tax_id

    @staticmethod
    def _accepted(document) -> list:
        accepted = getattr(document, "accepted", None)
        return accepted if accepted is not None else list(document.redactions.filter(accepted=True))

    def get_restriction(self, contract) -> str:
        docs = contract.documents.all()
        if contract.supplier_is_person or any(d.withheld or self._accepted(d) for d in docs):
            return Restriction.PARTIAL
        return Restriction.NONE

    def get_art18_items(self, contract) -> list[int]:
        items = {Art18Item.PRIVACY.value} if contract.supplier_is_person else set()
        for d in contract.documents.all():
            if d.withheld and d.withheld_item:
                items.add(d.withheld_item)
            items.update(r.item for r in self._accepted(d))
        return sorted(items)

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, contract) -> list[dict]:
        request = self.context.get("request")
        out = []
        for d in contract.documents.all():
            url = None
            if not d.withheld and d.public_copy and d.approved_at:
                url = reverse("transparency:document-public", kwargs={"pk": contract.pk, "doc": d.pk})
                url = request.build_absolute_uri(url) if request else url
            out.append(
                {
                    "title": d.title,
                    "kind": d.kind,
                    "url": url,
                    "redacted": bool(self._accepted(d)),
                    "withheld": d.withheld,
                    "art18_item": d.withheld_item if d.withheld else None,
                    "reason": d.withheld_reason if d.withheld else "",
                }
            )
        return out


class ContractFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, max_length=100, help_text="words inside the title, supplier or documents' text"
    )
    agency = serializers.CharField(required=False, max_length=40, help_text="the agency's code")
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2200, help_text="year signed")

    def validate_agency(self, value):
        agency = Agency.objects.filter(code=value).first()
        if agency is None:
            raise serializers.ValidationError(_("No agency has this code."), code="invalid")
        return agency


class ContractCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    supplier = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    supplier_tax_id = serializers.RegexField(
        r"^\d{8}$",
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": gettext_lazy("A business ID number (統一編號) has 8 digits.")},
    )
    supplier_is_person = serializers.BooleanField(required=False, default=False)
    award_amount = serializers.DecimalField(
        max_digits=16, decimal_places=0, min_value=0, required=False, allow_null=True, default=None
    )
    budget_amount = serializers.DecimalField(
        max_digits=16, decimal_places=0, min_value=0, required=False, allow_null=True, default=None
    )
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    agency = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="default: the caller's own"
    )
    document = serializers.FileField(help_text="the signed contract, a PDF")
    document_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate_agency(self, value):
        if not value:
            return None
        agency = Agency.objects.filter(code=value).first()
        if agency is None:
            raise serializers.ValidationError(_("No agency has this code."), code="invalid")
        return agency


class PublishSerializer(serializers.Serializer):
    accept_proposed_redactions = serializers.BooleanField(required=False, default=False)


class ProposedRedactionSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    text = serializers.CharField(help_text="the passage as written (the caller's own document)")
    art18_item = serializers.IntegerField()


RegisteredContractSerializer = inline_serializer(
    name="RegisteredContract",
    fields={
        "id": serializers.IntegerField(),
        "ocid": serializers.CharField(),
        "status": serializers.CharField(),
        "proposed_redactions": ProposedRedactionSerializer(many=True),
    },
)


_API_FIELDS = {"supplier_name": "supplier", "__all__": "non_field_errors"}


def _drf_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {
                _API_FIELDS.get(field, field): [str(m) for e in errors for m in e.messages]
                for field, errors in exc.error_dict.items()
            }
        )
    return exceptions.ValidationError({"non_field_errors": exc.messages})


class ContractViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """契約公開: published contracts with their public copies; an agency registers and publishes its own."""

    serializer_class = ContractSerializer
    pagination_class = MatchesPagination
    queryset = Contract.objects.none()  # for the schema; get_queryset builds the real one

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self):
        if self.action == "list":
            query = ContractFilterSerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            f = query.validated_data
            if f.get("q"):  # paged as far as the page reads, counted up to MatchesPagination.COUNT_CAP
                agency = f.get("agency")
                matches = selectors.contract_matches(
                    q=f["q"], agency=agency.code if agency is not None else "", year=f.get("year")
                )
                matches.qs = with_documents(matches.qs)
                return matches
            return public_contracts(agency=f.get("agency"), year=f.get("year"))
        if self.action == "publish":
            return with_documents(Contract.objects.all())
        return public_contracts()

    @extend_schema(parameters=[ContractFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ContractCreateSerializer, responses={201: RegisteredContractSerializer})
    def create(self, request, *args, **kwargs):
        """Register a contract of the caller's agency (or, for the RDEC, of `agency`) with its signed text."""
        data = ContractCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        agency = v["agency"] or getattr(request.user, "agency", None)
        if agency is None:
            raise exceptions.ValidationError({"agency": [_("Give the agency's code.")]})
        try:
            contract, proposals = services.register_contract(
                actor=request.user,
                agency=agency,
                title=v["title"],
                supplier_name=v["supplier"],
                supplier_tax_id=v["supplier_tax_id"],
                supplier_is_person=v["supplier_is_person"],
                award_amount=v["award_amount"],
                budget_amount=v["budget_amount"],
                signed_on=v["signed_on"],
                document=v["document"],
                document_title=v["document_title"],
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(
                str(exc) or _("You do not have permission to do this.")
            ) from None
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        return Response(
            {
                "id": contract.pk,
                "ocid": contract.ocid,
                "status": contract.status,
                "proposed_redactions": [
                    {"page": r.page, "text": r.text, "art18_item": r.item} for r in proposals
                ],
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=PublishSerializer, responses={200: ContractSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None, format=None):  # noqa: A002 - DRF passes the suffix as `format`
        """Make the public copies (accepting the proposed redactions if asked) and publish."""
        contract = self.get_object()
        if not check(request.user, "transparency.manage_register", contract):
            if contract.status != Contract.Status.PUBLISHED:
                raise exceptions.NotFound()  # a draft's existence is not told
            raise exceptions.PermissionDenied(_("You do not have permission to do this."))
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.approve_and_publish(
                contract,
                actor=request.user,
                accept_proposed=body.validated_data["accept_proposed_redactions"],
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(
                str(exc) or _("You do not have permission to do this.")
            ) from None
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        contract = with_documents(Contract.objects.filter(pk=contract.pk)).get()
        return Response(ContractSerializer(contract, context={"request": request}).data)


def register(router) -> None:
    router.register("transparency/contracts", ContractViewSet, basename="transparency-contract")
