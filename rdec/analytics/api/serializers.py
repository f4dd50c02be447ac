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
