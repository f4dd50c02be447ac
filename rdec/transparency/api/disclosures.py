"""API of the proactive-disclosure register (政府資訊公開專區): GET
/api/v1/transparency/disclosures/ and /{id}/, public and read-only. Every agency's items under
their Art. 7 category, with the Art. 8 methods, the restriction (a withheld item is listed, its
content is not) and `stale` (not updated within its cycle). Filters `agency` (code), `category`
(1-10) and `q`."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from rdec.transparency import selectors_registers as selectors
from rdec.transparency.models import Art7Category, Art8Method, DisclosureItem, Restriction
from rdec.transparency.services.rules import rule_for


class DisclosureFilterSerializer(serializers.Serializer):
    agency = serializers.CharField(required=False, max_length=40, help_text="an agency's code")
    category = serializers.ChoiceField(
        choices=Art7Category.choices, required=False, help_text="the Art. 7 para 1 category (1-10)"
    )
    q = serializers.CharField(required=False, max_length=100, help_text="words inside the title or summary")


class DisclosureItemSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", help_text="the agency's code")
    agency_name = serializers.CharField(source="agency.name")
    category_label = serializers.CharField(source="get_category_display")
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=Art8Method.choices), help_text="the Art. 8 methods"
    )
    restriction = serializers.ChoiceField(choices=Restriction.choices)
    url = serializers.SerializerMethodField(help_text="where the item is published online, or null")
    stale = serializers.SerializerMethodField(help_text="not updated within its update cycle")

    class Meta:
        model = DisclosureItem
        fields = [
            "id",
            "agency",
            "agency_name",
            "category",
            "category_label",
            "title",
            "summary",
            "methods",
            "url",
            "published_on",
            "updated_on",
            "restriction",
            "restriction_item",
            "stale",
        ]
        read_only_fields = fields

    def _today_rule(self):
        if "_today" not in self.context:
            today = timezone.localdate()
            self.context["_today"] = (today, rule_for(today))
        return self.context["_today"]

    def to_representation(self, item):
        data = super().to_representation(item)
        if item.restriction == Restriction.WITHHELD:  # listed as existing; its content is not public
            data["summary"], data["url"] = "", None
        return data

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, item) -> str | None:
        return item.url or None

    def get_stale(self, item) -> bool:
        today, rule = self._today_rule()
        return selectors.is_stale(item, today, rule)


class DisclosureItemViewSet(viewsets.ReadOnlyModelViewSet):
    """政府資訊公開專區: what each agency discloses proactively (政府資訊公開法 Art. 7), by category."""

    permission_classes = [AllowAny]
    serializer_class = DisclosureItemSerializer
    queryset = DisclosureItem.objects.none()  # for the schema

    def get_queryset(self):
        if self.action != "list":
            return selectors.public_disclosures()
        query = DisclosureFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        return selectors.public_disclosures(
            agency=f.get("agency", ""), category=f.get("category"), q=f.get("q", "")
        )

    @extend_schema(parameters=[DisclosureFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router) -> None:
    router.register("transparency/disclosures", DisclosureItemViewSet, basename="transparency-disclosure")
