"""The 資訊安全 API (issue 21, item 7): `POST /api/v1/security/assets/` registers an asset with
its CPE 2.3 names and computes its findings at once; `GET /api/v1/security/assets/{id}/` and
`GET /api/v1/security/assets/{id}/findings/` read them back. A session of the RDEC or of the
agency's staff, or the agency's API key; another agency's key is refused (403). Every read of a
finding list is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from rdec.core.models import Agency
from rdec.core.permissions import check
from rdec.security import reasons, selectors, services
from rdec.security.models import Asset


class AssetInputSerializer(serializers.Serializer):
    agency = serializers.CharField(max_length=40, help_text="the agency's code")
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Asset.Kind.choices, default=Asset.Kind.HOST)
    hostname = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    operating_system = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    owner = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    cpes = serializers.ListField(
        child=serializers.CharField(max_length=600), max_length=500, default=list, help_text="CPE 2.3 names"
    )


class AssetSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", help_text="the agency's code")
    cpes = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = [
            "id",
            "agency",
            "name",
            "kind",
            "hostname",
            "operating_system",
            "owner",
            "end_of_support",
            "cpes",
        ]

    def get_cpes(self, asset) -> list[str]:
        return [c.cpe23 for c in asset.cpes.all()]


FindingsSerializer = inline_serializer(
    "SecurityAssetFindings",
    {
        "results": inline_serializer(
            "SecurityFinding",
            {
                "cve": serializers.CharField(),
                "cvss": serializers.FloatField(allow_null=True),
                "severity": serializers.CharField(help_text="critical, high, medium, low, none or empty"),
                "kev_due": serializers.DateField(allow_null=True),
                "status": serializers.CharField(),
                "determinate": serializers.BooleanField(),
                "deadline": serializers.DateField(allow_null=True),
                "cvss_source": serializers.CharField(),
            },
            many=True,
        ),
        "indeterminate": inline_serializer(
            "SecurityIndeterminate",
            {"cve": serializers.CharField(), "reason": serializers.CharField()},
            many=True,
        ),
    },
)


class AssetViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AssetSerializer
    queryset = Asset.objects.none()

    def get_queryset(self):
        if not check(self.request.user, "security.view_security"):
            raise exceptions.PermissionDenied(_("You do not have permission to do this."))
        return selectors.assets_visible_to(self.request.user).prefetch_related("cpes")

    def get_object(self):
        """The asset; another agency's asset is refused (403), not hidden."""
        self.get_queryset()
        asset = (
            Asset.objects.filter(pk=self.kwargs["pk"]).first() if str(self.kwargs["pk"]).isdigit() else None
        )
        if asset is None:
            raise exceptions.NotFound()
        if not check(self.request.user, "security.view_security", asset):
            raise exceptions.PermissionDenied(_("This asset belongs to another agency."))
        return asset

    @extend_schema(request=AssetInputSerializer, responses={201: AssetSerializer})
    def create(self, request, *args, **kwargs):
        """Register an asset of an agency with its CPE 2.3 names; its findings are computed at once."""
        serializer = AssetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        agency = Agency.objects.filter(code=data.pop("agency")).first()
        if agency is None:
            raise exceptions.ValidationError({"agency": [_("No agency has this code.")]})
        if not check(request.user, "security.manage_assets", agency):
            raise exceptions.PermissionDenied(_("You may not register assets of this agency."))
        cpes = data.pop("cpes")
        try:
            asset = services.create_asset(
                agency=agency, data=data, cpes=cpes, actor=request.user, source="api"
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        return Response(AssetSerializer(asset).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: FindingsSerializer})
    @action(detail=True, methods=["get"], pagination_class=None)
    def findings(self, request, pk=None):
        """The asset's findings: `results` every finding (determinate or not), `indeterminate` the
        undecided ones with the reason (the inventory too vague to decide)."""
        asset = self.get_object()
        services.audit_findings_read(asset, actor=request.user, via="api")
        findings = selectors.sort_findings(list(asset.findings.select_related("cve")))
        kev = selectors.kev_for(findings)
        results, undecided = [], []
        for f in findings:
            entry = kev.get(f.cve.cve_id)
            results.append(
                {
                    "cve": f.cve.cve_id,
                    "cvss": float(f.cve.cvss_score) if f.cve.cvss_score is not None else None,
                    "severity": f.cve.severity,
                    "kev_due": entry.due_date.isoformat() if entry else None,
                    "status": f.status,
                    "determinate": f.determinate,
                    "deadline": f.deadline.isoformat() if f.deadline else None,
                    "cvss_source": f.cve.cvss_source,
                }
            )
            if not f.determinate:
                undecided.append({"cve": f.cve.cve_id, "reason": reasons.summary(f.reasons, html=False)})
        return Response({"results": results, "indeterminate": undecided})
