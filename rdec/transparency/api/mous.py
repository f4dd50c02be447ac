"""API of the MOU register (合作備忘錄專區): GET /api/v1/transparency/mous/ and /{id}/, public and
read-only. Published MOUs past approval only (never a draft nor one under approval, never an
unpublished one); filters `q` (words inside the title, summary, parties and the full text),
`status`, `agency` (code), `party_kind` and `year` (signed; Western or ROC). Signatories are
offices, not persons; the approvals' letters are not listed."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from rdec.transparency import selectors_registers as selectors
from rdec.transparency.models import Mou, MouParty


class MouFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, max_length=100, help_text="words inside the title, summary, parties or full text"
    )
    status = serializers.ChoiceField(
        choices=[(s, Mou.Status(s).label) for s in selectors.PUBLIC_MOU_STATUSES],
        required=False,
        help_text="signed | active | expired | terminated | renewed",
    )
    agency = serializers.CharField(
        required=False, max_length=40, help_text="an agency's code (responsible or co-agency)"
    )
    party_kind = serializers.ChoiceField(choices=MouParty.Kind.choices, required=False)
    year = serializers.IntegerField(
        required=False, min_value=1, max_value=9999, help_text="the year signed (2026 or ROC 115)"
    )


class MouPartySerializer(serializers.ModelSerializer):
    class Meta:
        model = MouParty
        fields = ["name", "kind", "region"]


class MouSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="lead_agency.code", help_text="the responsible agency's code")
    agency_name = serializers.CharField(source="lead_agency.name")
    parties = MouPartySerializer(many=True, read_only=True)
    full_text = serializers.SerializerMethodField(help_text="the full text (PDF), or null")

    class Meta:
        model = Mou
        fields = [
            "id",
            "number",
            "doc_type",
            "title",
            "summary",
            "agency",
            "agency_name",
            "parties",
            "signed_on",
            "term_start",
            "term_end",
            "status",
            "published_at",
            "full_text",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_full_text(self, mou) -> str | None:
        if not mou.full_text:
            return None
        try:  # the public page's download (safe headers); the stored file's address without it
            url = reverse("transparency:mou-full-text", args=[mou.number])
        except NoReverseMatch:
            url = mou.full_text.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class MouViewSet(viewsets.ReadOnlyModelViewSet):
    """合作備忘錄: the city's published MOUs, letters of intent, agreements and sister-city pacts,
    newest signed first, with their parties and full text. Public."""

    permission_classes = [AllowAny]
    serializer_class = MouSerializer
    queryset = Mou.objects.none()  # for the schema; get_queryset reads the public ones

    def get_queryset(self):
        if self.action != "list":
            return selectors.public_mous()
        query = MouFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        return selectors.public_mous(
            q=f.get("q", ""),
            status=f.get("status", ""),
            agency=f.get("agency", ""),
            party_kind=f.get("party_kind", ""),
            year=f.get("year"),
        )

    @extend_schema(parameters=[MouFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router) -> None:
    router.register("transparency/mous", MouViewSet, basename="transparency-mou")
