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
    category = _CategoryBrief()
    score = serializers.FloatField(help_text=_("the probability that this agency handles the case (0–1)"))


class RouteSuggestionsSerializer(serializers.Serializer):
    suggestions = RouteSuggestionSerializer(many=True)


class SimilarCaseSerializer(serializers.Serializer):
    number = serializers.CharField(source="case.number")
    subject = serializers.CharField(source="case.subject")
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


class HotspotSerializer(serializers.Serializer):
    district = _DistrictBrief()
    category = _CategoryBrief()
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
