from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class RouteRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, help_text=_("the petition's subject and description"))
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True, default=None)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if (attrs["lat"] is None) != (attrs["lon"] is None):
            raise serializers.ValidationError({"lat": [_("Give both latitude and longitude, or neither.")]})
        return attrs


class _AgencyBrief(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class _CategoryBrief(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RouteSuggestionSerializer(serializers.Serializer):
    agency = _AgencyBrief()
    category = _CategoryBrief(
        allow_null=True,
        help_text=_("null when the agency is known from broad texts but none of its categories fits"),
    )
    score = serializers.FloatField(help_text=_("the probability that this agency handles the case (0–1)"))
    confidence = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "the first suggestion only: the calibrated chance that its agency is right (0–1); below the routing "
            "rule, 建議人工分案"
        ),
    )


class KbArticleSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="article.pk")
    title = serializers.CharField(source="article.question", help_text=_("the article's question"))
    url = serializers.SerializerMethodField(help_text=_("the article's page on the platform"))
    score = serializers.FloatField(
        help_text=_(
            "cosine similarity with the text in the router's representation (0–1), at least the threshold"
        )
    )

    def get_url(self, obj) -> str:
        from django.urls import reverse

        url = reverse("petitions:kb-article", args=[obj["article"].pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class RouteSuggestionsSerializer(serializers.Serializer):
    suggestions = RouteSuggestionSerializer(many=True)
    kb_articles = KbArticleSuggestionSerializer(
        many=True,
        help_text=_(
            "knowledge-base articles that answer the text, best first (at most 3, none below the threshold; "
            "empty for callers who may not read the knowledge base)"
        ),
    )


class SimilarCaseSerializer(serializers.Serializer):
    number = serializers.CharField(source="case.number")
    subject = serializers.CharField(help_text=_("personal data masked unless the user handles that case"))
    status = serializers.CharField(source="case.status")
    category = serializers.CharField(source="case.category.code")
    received_at = serializers.DateTimeField(source="case.received_at")
    similarity = serializers.FloatField(help_text=_("0–1: 0.6 × text similarity + 0.4 × nearness"))
    distance_m = serializers.FloatField(
        allow_null=True, help_text=_("metres between the two points, if both have one")
    )


class SimilarCasesSerializer(serializers.Serializer):
    results = SimilarCaseSerializer(many=True)


class HotspotQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text=_("first day of the period (YYYY-MM-DD)"))
    end = serializers.DateField(help_text=_("last day of the period (YYYY-MM-DD)"))
    district = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("district code")
    )
    category = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("category code (a group or a leaf)")
    )
    level = serializers.ChoiceField(
        choices=["district", "village"],
        required=False,
        default="district",
        help_text=_("cells by district (default) or by village"),
    )

    def validate(self, attrs):
        import datetime

        for name in ("start", "end"):
            if not datetime.date(2000, 1, 1) <= attrs[name] <= datetime.date(2100, 12, 31):
                raise serializers.ValidationError(
                    {name: [_("Give a date between 2000-01-01 and 2100-12-31.")]}
                )
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end cannot come before the start.")]})
        if (attrs["end"] - attrs["start"]).days > 366:
            raise serializers.ValidationError({"end": [_("Ask for at most one year at a time.")]})
        return attrs


class _DistrictBrief(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class _VillageBrief(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class HotspotSerializer(serializers.Serializer):
    district = _DistrictBrief()
    village = _VillageBrief(allow_null=True, help_text=_("the village, for cells by village"))
    category = _CategoryBrief(
        allow_null=True,
        help_text=_("null when the agency is known from broad texts but none of its categories fits"),
    )
    period_start = serializers.DateField(help_text=_("the Monday of the week"))
    count = serializers.IntegerField()
    expected = serializers.FloatField(
        help_text=_("the count the cell's own history and season lead one to expect")
    )
    score = serializers.FloatField(
        help_text=_("−log10 of the false-discovery-adjusted p-value (higher: less likely chance)")
    )


class HotspotsSerializer(serializers.Serializer):
    results = HotspotSerializer(many=True)


class PointClusterQuerySerializer(HotspotQuerySerializer):
    level = None  # places are points, not cells

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if (attrs["end"] - attrs["start"]).days > 92:
            raise serializers.ValidationError({"end": [_("Ask for at most three months at a time.")]})
        return attrs


class PointClusterSerializer(serializers.Serializer):
    category = _CategoryBrief(
        allow_null=True,
        help_text=_("null when the agency is known from broad texts but none of its categories fits"),
    )
    district = _DistrictBrief(allow_null=True)
    village = serializers.CharField()
    lat = serializers.FloatField(help_text=_("the centre of the place"))
    lon = serializers.FloatField()
    count = serializers.IntegerField(help_text=_("cases of the category reported there"))
    radius_m = serializers.FloatField(help_text=_("the farthest case from the centre, in metres"))
    first_received = serializers.DateTimeField()
    last_received = serializers.DateTimeField()
    cases = serializers.ListField(
        child=serializers.CharField(), help_text=_("case numbers, newest first (at most 20)")
    )


class PointClustersSerializer(serializers.Serializer):
    results = PointClusterSerializer(many=True)


class AnalysisReportRequestSerializer(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=["month", "quarter", "year"], help_text=_("month, quarter or year")
    )
    day = serializers.DateField(help_text=_("any day in the period (YYYY-MM-DD)"))
    agency = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("agency code"))
    district = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("district code")
    )

    def validate(self, attrs):
        import datetime

        from rdec.core.models import Agency, District

        if not datetime.date(2000, 1, 1) <= attrs["day"] <= datetime.date(2100, 12, 31):
            raise serializers.ValidationError({"day": [_("Give a date between 2000-01-01 and 2100-12-31.")]})
        if attrs["agency"] and attrs["district"]:
            raise serializers.ValidationError(
                {"district": [_("Choose one agency or one district, not both.")]}
            )
        agency = district = None
        if attrs["agency"]:
            agency = Agency.objects.filter(code=attrs["agency"]).first()
            if agency is None:
                raise serializers.ValidationError({"agency": [_("No agency has this code.")]})
        if attrs["district"]:
            district = District.objects.defer("geometry").filter(code=attrs["district"]).first()
            if district is None:
                raise serializers.ValidationError({"district": [_("No district has this code.")]})
        attrs["agency"], attrs["district"] = agency, district
        return attrs


class AnalysisReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    agency = serializers.SerializerMethodField()
    district = serializers.SerializerMethodField()
    status = serializers.CharField(help_text=_("queued, running, done or failed"))
    progress = serializers.IntegerField(help_text=_("0–100"))
    stage = serializers.CharField()
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField()
    summary = serializers.ListField(child=serializers.CharField())
    files = serializers.SerializerMethodField()

    def get_agency(self, obj) -> str | None:
        return obj.agency.code if obj.agency_id else None

    def get_district(self, obj) -> str | None:
        return obj.district.code if obj.district_id else None

    def get_files(self, obj) -> dict[str, str]:
        from django.urls import reverse

        if obj.status != "done":
            return {}
        request = self.context.get("request")
        found = {}
        for fmt in ("pdf", "xlsx", "ods"):
            url = reverse("analytics:report-file", args=[obj.pk, fmt])
            found[fmt] = request.build_absolute_uri(url) if request else url
        return found


class AnalysisReportDetailSerializer(AnalysisReportSerializer):
    figures = serializers.JSONField(help_text=_("every figure of the report (see docs/analytics.md)"))
