"""API of 地方創生 (issue 18, item 4).

`GET /api/v1/programs/revitalisation/proposals/`: read-only, paged like the platform's other
lists; RDEC officers and administrators see every proposal, a district office's staff those of its
district, other accounts get 403. Each proposal with its district (TOWNCODE), requested and
approved lines per ministry (補助 `subsidy` and 投資 `investment` kept apart), the approved
totals and its 資源對接 successes (distinct ministries with an approved line). Filters: `district`
(TOWNCODE), `type`, `status`.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from rdec.core.permissions import check
from rdec.programs import selectors_revitalisation as sel
from rdec.programs.models import ApprovalLine, ResourceRequest, RevitalisationProposal


class RevitalisationLineSerializer(serializers.Serializer):
    ministry = serializers.CharField()
    scheme = serializers.CharField(source="scheme.code", default=None, allow_null=True)
    amount = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["subsidy", "investment"])


class RevitalisationSplitSerializer(serializers.Serializer):
    subsidy = serializers.IntegerField()
    investment = serializers.IntegerField()
    total = serializers.IntegerField()


class RevitalisationDistrictSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="MOI TOWNCODE")
    name = serializers.CharField()


class RevitalisationProposalSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="submission.reference")
    organisation = serializers.CharField(source="submission.organisation")
    submitted_at = serializers.DateTimeField(source="submission.submitted_at")
    call = serializers.CharField(source="call.slug")
    district = RevitalisationDistrictSerializer()
    district_office = serializers.CharField(source="district_office.code", default=None, allow_null=True)
    partners = serializers.SerializerMethodField()
    requested = RevitalisationLineSerializer(source="requested_resources", many=True)
    approvals = RevitalisationLineSerializer(many=True)
    approved = serializers.SerializerMethodField()
    dockings = serializers.SerializerMethodField()

    class Meta:
        model = RevitalisationProposal
        fields = [
            "id",
            "reference",
            "call",
            "title",
            "type",
            "status",
            "district",
            "district_office",
            "organisation",
            "submitted_at",
            "proposers",
            "businesses",
            "partners",
            "requested",
            "meeting_date",
            "meeting_decision",
            "meeting_reason",
            "approvals",
            "approved",
            "dockings",
            "closed_on",
        ]

    def get_partners(self, obj) -> list[dict]:
        return [{"kind": p.kind, "name": p.name} for p in obj.partners.all()]

    @extend_schema(responses=RevitalisationSplitSerializer)
    def get_approved(self, obj) -> dict:
        split = sel.split(obj.approvals.all())
        return {"subsidy": int(split.subsidy), "investment": int(split.investment), "total": int(split.total)}

    def get_dockings(self, obj) -> int:
        return len({line.ministry for line in obj.approvals.all()})


class RevitalisationFilterSerializer(serializers.Serializer):
    district = serializers.RegexField(r"^[0-9]{8}\Z", required=False, allow_blank=True)
    type = serializers.ChoiceField(
        choices=RevitalisationProposal.Type.values, required=False, allow_blank=True
    )
    status = serializers.ChoiceField(
        choices=RevitalisationProposal.Status.values, required=False, allow_blank=True
    )


class RevitalisationProposalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Regional revitalisation proposals (地方創生): the RDEC and district offices (their district)."""

    serializer_class = RevitalisationProposalSerializer
    permission_classes = [IsAuthenticated]
    queryset = RevitalisationProposal.objects.none()

    def get_queryset(self):
        if not check(self.request.user, "programs.view_revitalisation"):
            raise exceptions.PermissionDenied(_("You do not have permission to do this."))
        qs = sel.proposals_visible_to(self.request.user).prefetch_related(
            "partners",
            Prefetch("requested_resources", queryset=ResourceRequest.objects.select_related("scheme")),
            Prefetch("approvals", queryset=ApprovalLine.objects.select_related("scheme")),
        )
        params = RevitalisationFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        if d.get("district"):
            qs = qs.filter(district__code=d["district"])
        if d.get("type"):
            qs = qs.filter(type=d["type"])
        if d.get("status"):
            qs = qs.filter(status=d["status"])
        return qs.order_by("-submission__submitted_at", "-id")

    @extend_schema(
        parameters=[
            OpenApiParameter("district", str, description="the district's MOI TOWNCODE"),
            OpenApiParameter("type", str, enum=RevitalisationProposal.Type.values),
            OpenApiParameter("status", str, enum=RevitalisationProposal.Status.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router) -> None:
    router.register(
        "programs/revitalisation/proposals", RevitalisationProposalViewSet, basename="programs-revitalisation"
    )
