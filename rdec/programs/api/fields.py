"""API of 場域驗證's fields (issue 18, item 2).

`GET /api/v1/programs/fields/`: public; the published fields (場域) with their owner agency, point,
address, available period, data and infrastructure offered and constraints. JSON by default (paged
like the platform's other lists); a GeoJSON FeatureCollection of every published field (points,
[longitude, latitude] as RFC 7946 orders them) with `?format=geojson` or
`Accept: application/geo+json`.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from rdec.programs import selectors_fields
from rdec.programs.models import Field


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class FieldAgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class FieldSerializer(serializers.ModelSerializer):
    agency = FieldAgencySerializer(read_only=True)
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    need = serializers.CharField(source="need.title", default=None, allow_null=True)

    class Meta:
        model = Field
        fields = [
            "id",
            "name",
            "agency",
            "latitude",
            "longitude",
            "address",
            "available_from",
            "available_until",
            "data_offered",
            "infrastructure_offered",
            "constraints",
            "need",
        ]


@extend_schema_serializer(many=False)
class FeatureCollectionSerializer(serializers.Serializer):
    """The GeoJSON answer (not paged): every published field as a point feature."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = serializers.ListField(
        child=serializers.DictField(),
        help_text='{"type": "Feature", "id", "geometry": {"type": "Point", "coordinates": '
        '[longitude, latitude]}, "properties": the field\'s other attributes, as in the JSON list}',
    )


def feature(data: dict) -> dict:
    properties = {k: v for k, v in data.items() if k not in ("latitude", "longitude")}
    return {
        "type": "Feature",
        "id": data["id"],
        "geometry": {"type": "Point", "coordinates": [data["longitude"], data["latitude"]]},
        "properties": properties,
    }


class FieldViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Published validation fields (場域): public."""

    permission_classes = [AllowAny]
    serializer_class = FieldSerializer
    renderer_classes = [JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer]

    def get_queryset(self):
        return selectors_fields.fields_public().select_related("need")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", str, enum=["json", "geojson"], description="geojson: a FeatureCollection of points"
            )
        ],
        responses={
            (200, "application/json"): FieldSerializer(many=True),
            (200, "application/geo+json"): FeatureCollectionSerializer,
            404: OpenApiResponse(description="an unknown format"),
        },
    )
    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", "") == "geojson":
            data = FieldSerializer(self.get_queryset(), many=True).data
            return Response({"type": "FeatureCollection", "features": [feature(d) for d in data]})
        return super().list(request, *args, **kwargs)


def register(router) -> None:
    router.register("programs/fields", FieldViewSet, basename="programs-field")
