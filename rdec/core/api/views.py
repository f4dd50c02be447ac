from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from rdec.core import geo, places, selectors, workdays
from rdec.core.api import serializers as s
from rdec.core.api.errors import bad_request
from rdec.core.models import AuditEntry, CalendarDay, Village


def _query(serializer_class, request):
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    """The city's administrative districts (行政區), by MOI code. Public."""

    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"\d{8}"

    def get_queryset(self):
        qs = selectors.districts_public()
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("villages", queryset=Village.objects.defer("geometry")))
        return qs

    def get_serializer_class(self):
        return s.DistrictDetailSerializer if self.action == "retrieve" else s.DistrictSerializer

    @extend_schema(parameters=[s.ResolveQuerySerializer], responses=s.PlaceSerializer)
    @action(detail=False, methods=["get"])
    def resolve(self, request):
        """The district and village containing a point (WGS84); nulls outside the city."""
        q = _query(s.ResolveQuerySerializer, request)
        place = geo.resolve(q["lat"], q["lon"])
        if place is None:
            return Response({"district": None, "village": None})
        district = selectors.districts_public().get(pk=place.district_id)
        village = selectors.villages_public().filter(pk=place.village_id).first()
        return Response(
            {
                "district": s.DistrictSerializer(district).data,
                "village": s.VillageSerializer(village).data if village else None,
            }
        )

    @extend_schema(parameters=[s.LocateQuerySerializer], responses=s.LocatedSerializer)
    @action(detail=False, methods=["get"])
    def locate(self, request):
        """The districts an address names, and a point for it from the boundaries alone (no
        geocoder): inside the village it names, else inside its first district; nulls when it names
        no district."""
        q = _query(s.LocateQuerySerializer, request)
        named = places.named_districts(q["address"])
        found = places.locate(q["address"]) if named else None
        village = (
            selectors.villages_public().filter(pk=found["village"].pk).first()
            if found and found["village"]
            else None
        )
        return Response(
            {
                "named": s.DistrictSerializer(named, many=True).data,
                "district": s.DistrictSerializer(found["district"]).data if found else None,
                "village": s.VillageSerializer(village).data if village else None,
                "lat": found["lat"] if found else None,
                "lon": found["lon"] if found else None,
                "precision": found["precision"] if found else None,
            }
        )

    @extend_schema(responses={200: {"type": "object"}})
    @action(detail=False, methods=["get"])
    def boundaries(self, request):
        """All district boundaries as one GeoJSON FeatureCollection (for maps)."""
        features = [
            {
                "type": "Feature",
                "properties": {"code": d.code, "name": d.name, "name_en": d.name_en},
                "geometry": d.geometry,
            }
            for d in selectors.districts_public().defer(None)
        ]
        return Response({"type": "FeatureCollection", "features": features})


class VillageViewSet(viewsets.ReadOnlyModelViewSet):
    """Villages (里), filterable by district code. Public."""

    permission_classes = [AllowAny]
    serializer_class = s.VillageSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{11}"

    @extend_schema(parameters=[OpenApiParameter("district", str, description="MOI district code")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.villages_public()
        district = self.request.query_params.get("district")
        return qs.filter(district__code=district) if district else qs

    @extend_schema(
        parameters=[OpenApiParameter("district", str, description="MOI district code")],
        responses={200: {"type": "object"}},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def boundaries(self, request):
        """Village boundaries as one GeoJSON FeatureCollection (for maps), each with a point inside
        it for its label (`label`: [lat, lon])."""
        qs = self.get_queryset().defer(None).order_by("code")
        return Response({"type": "FeatureCollection", "features": [_village_feature(v) for v in qs]})


def _village_feature(village) -> dict:
    from shapely.geometry import shape

    point = shape(village.geometry).representative_point()
    return {
        "type": "Feature",
        "properties": {
            "code": village.code,
            "name": village.name,
            "name_en": village.name_en,
            "district": village.district.code,
            "label": [round(point.y, 6), round(point.x, 6)],
        },
        "geometry": village.geometry,
    }


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The agency tree: city, first- and second-level agencies, district offices. Public."""

    permission_classes = [AllowAny]
    serializer_class = s.AgencySerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_-]+"

    @extend_schema(
        parameters=[
            OpenApiParameter("level", str, enum=[c for c, _l in s.Agency.Level.choices]),
            OpenApiParameter("parent", str, description="code of the parent agency"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.agencies_public()
        level = self.request.query_params.get("level")
        parent = self.request.query_params.get("parent")
        if level:
            qs = qs.filter(level=level)
        if parent:
            qs = qs.filter(parent__code=parent)
        return qs


@extend_schema(parameters=[s.AddWorkingDaysQuerySerializer], responses=s.DateResultSerializer)
@api_view(["GET"])
@permission_classes([AllowAny])
def add_working_days(request):
    """The Nth working day after `start` (start excluded) on the government office calendar."""
    q = _query(s.AddWorkingDaysQuerySerializer, request)
    try:
        result = workdays.add_working_days(q["start"], q["days"])
    except workdays.CalendarRangeError as exc:
        return bad_request({"start": [str(exc)]})
    return Response({"date": result.isoformat()})


@extend_schema(parameters=[s.BetweenQuerySerializer], responses=s.CountResultSerializer)
@api_view(["GET"])
@permission_classes([AllowAny])
def working_days_between(request):
    """How many working days lie after `start` up to and including `end`."""
    q = _query(s.BetweenQuerySerializer, request)
    try:
        count = workdays.working_days_between(q["start"], q["end"])
    except workdays.CalendarRangeError as exc:
        return bad_request({"non_field_errors": [str(exc)]})
    return Response({"working_days": count})


@extend_schema(parameters=[s.CalendarDaysQuerySerializer], responses=s.CalendarDaySerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def calendar_days(request):
    """Every day of a year with whether it is a day off and the calendar's note."""
    q = _query(s.CalendarDaysQuerySerializer, request)
    days = CalendarDay.objects.filter(date__year=q["year"]).values("date", "is_holiday", "description")
    if not days:
        return bad_request({"year": [_("The office calendar for %(year)s is not loaded.") % q]})
    return Response(s.CalendarDaySerializer(days, many=True).data)


@extend_schema(responses=s.MeSerializer)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request):
    """The signed-in user or the API key's service user, with role and agency."""
    return Response(s.MeSerializer(request.user).data)


class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The audit trail, read-only, for RDEC officers and administrators."""

    serializer_class = s.AuditEntrySerializer
    queryset = AuditEntry.objects.none()  # for the schema; get_queryset scopes to the user

    @extend_schema(
        parameters=[
            OpenApiParameter("target_type", str, description="e.g. core.agency"),
            OpenApiParameter("target_id", str),
            OpenApiParameter("actor", str, description="username"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.audit_entries_visible_to(self.request.user)
        params = self.request.query_params
        for field in ("target_type", "target_id"):
            if params.get(field):
                qs = qs.filter(**{field: params[field]})
        if params.get("actor"):
            qs = qs.filter(actor_label=params["actor"])
        return qs
