"""API of proposals (提點子): the public list and page of proposals accepted after checking, and a
citizen's support (附議).

- `GET /api/v1/participation/proposals/` (filters `status`, `q`) and `/{id}/`: anyone. The proposer
  appears by the name they chose (`display_name`), never by account, phone or e-mail.
- `POST /api/v1/participation/proposals/{id}/endorsements/`: the citizen's own session (with the
  CSRF token) or API key; 201 with the new count, 409 on a second support, 400 when the proposal is
  not open for support, 403 when the account is not a verified citizen.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from rdec.core.net import client_ip
from rdec.participation import selectors
from rdec.participation.models import Proposal
from rdec.participation.services import proposals as services


class ResponsePointSerializer(serializers.Serializer):
    point = serializers.CharField()
    response = serializers.CharField()


class ProposalResponseSerializer(serializers.Serializer):
    summary = serializers.CharField()
    points = ResponsePointSerializer(many=True)


class ProposalSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Proposal.Status.choices, read_only=True)
    under_review_count = serializers.IntegerField(
        read_only=True,
        help_text="supports flagged (a burst from one network, a new account) and under review",
    )
    agency = serializers.SerializerMethodField(help_text="the responsible agency (主辦), null until assigned")
    co_agencies = serializers.SerializerMethodField(help_text="the co-responsible agencies (協辦)")
    response = serializers.SerializerMethodField(
        help_text="the agency's point-by-point response, null until published"
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "number",
            "title",
            "content",
            "benefits",
            "display_name",
            "status",
            "endorsement_count",
            "under_review_count",
            "threshold",
            "endorse_from",
            "endorse_until",
            "agency",
            "co_agencies",
            "response_due",
            "responded_at",
            "response",
        ]
        read_only_fields = fields

    def get_agency(self, proposal) -> str | None:
        return proposal.lead_agency.name if proposal.lead_agency_id else None

    def get_co_agencies(self, proposal) -> list[str]:
        return [a.name for a in proposal.co_agencies.all()]

    @extend_schema_field(ProposalResponseSerializer(allow_null=True))
    def get_response(self, proposal) -> dict | None:
        return selectors.proposal_response(proposal)


class ProposalFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(s, Proposal.Status(s).label) for s in selectors.PUBLIC_PROPOSAL_STATUSES],
        required=False,
        help_text="one public status",
    )
    q = serializers.CharField(required=False, max_length=100, help_text="words inside the subject or content")


EndorsementResultSerializer = inline_serializer(
    name="EndorsementResult",
    fields={
        "proposal": serializers.IntegerField(),
        "endorsement_count": serializers.IntegerField(),
        "status": serializers.CharField(),
        "under_review": serializers.BooleanField(help_text="this support was flagged for review (it counts)"),
    },
)


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """提點子: proposals accepted after checking (open for support, established, not established,
    responded), newest first, with the live count and how many supports are under review."""

    serializer_class = ProposalSerializer
    queryset = Proposal.objects.none()  # for the schema; get_queryset reads the selectors

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self):
        if self.action == "endorsements":  # the hot path: the row only (the count comes from the service)
            return selectors.public_proposal_rows()
        if self.action == "list":
            query = ProposalFilterSerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            f = query.validated_data
            qs = selectors.public_proposals(q=f.get("q", ""), status=f.get("status", ""))
        else:
            qs = selectors.public_proposals()
        return selectors.with_under_review(qs).prefetch_related("co_agencies", "response_points")

    @extend_schema(parameters=[ProposalFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={
            201: EndorsementResultSerializer,
            409: OpenApiResponse(description="This account has already supported the proposal."),
        },
    )
    @action(detail=True, methods=["post"])
    def endorsements(self, request, pk=None, format=None):  # noqa: A002 - DRF passes the suffix as `format`
        """附議: one support by the signed-in verified citizen (not the proposer), while the proposal
        is open for support. Supporters cannot withdraw."""
        proposal = self.get_object()
        try:
            endorsement = services.endorse_proposal(
                proposal, actor=request.user, ip_address=client_ip(request) or ""
            )
        except services.AlreadyEndorsed as exc:
            return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(
                str(exc) or _("You do not have permission to do this.")
            ) from None
        return Response(
            {
                "proposal": proposal.pk,
                "endorsement_count": proposal.endorsement_count,
                "status": proposal.status,
                "under_review": bool(endorsement.review),
            },
            status=status.HTTP_201_CREATED,
        )


def register(router) -> None:
    router.register("participation/proposals", ProposalViewSet, basename="participation-proposal")
