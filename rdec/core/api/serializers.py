from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rdec.core.models import Agency, AuditEntry, District, User, Village

MAX_DAYS = 3650


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["code", "name", "name_en", "city_code", "city_name"]


class VillageSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)

    class Meta:
        model = Village
        fields = ["code", "name", "name_en", "district", "district_name"]


class DistrictDetailSerializer(DistrictSerializer):
    villages = serializers.SerializerMethodField()

    class Meta(DistrictSerializer.Meta):
        fields = [*DistrictSerializer.Meta.fields, "villages"]

    def get_villages(self, obj) -> list[dict]:
        return [{"code": v.code, "name": v.name, "name_en": v.name_en} for v in obj.villages.all()]


class ResolveQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text=_("Latitude, WGS84"))
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text=_("Longitude, WGS84"))


class PlaceSerializer(serializers.Serializer):
    district = DistrictSerializer(allow_null=True)
    village = VillageSerializer(allow_null=True)


class LocateQuerySerializer(serializers.Serializer):
    address = serializers.CharField(max_length=200, help_text=_("An address in the city, e.g. 西屯區惠來里"))


class LocatedSerializer(serializers.Serializer):
    named = DistrictSerializer(many=True, help_text=_("The districts the address names, in order"))
    district = DistrictSerializer(allow_null=True)
    village = VillageSerializer(allow_null=True)
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    precision = serializers.ChoiceField(choices=["village", "district"], allow_null=True)


class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "oid",
            "name",
            "short_name",
            "name_en",
            "level",
            "parent",
            "district",
            "evaluation_group",
            "valid_from",
            "valid_to",
        ]


class AddWorkingDaysQuerySerializer(serializers.Serializer):
    start = serializers.DateField(input_formats=["%Y-%m-%d"], help_text=_("YYYY-MM-DD"))
    days = serializers.IntegerField(min_value=-MAX_DAYS, max_value=MAX_DAYS)


class DateResultSerializer(serializers.Serializer):
    date = serializers.DateField()


class BetweenQuerySerializer(serializers.Serializer):
    start = serializers.DateField(input_formats=["%Y-%m-%d"])
    end = serializers.DateField(input_formats=["%Y-%m-%d"])


class CountResultSerializer(serializers.Serializer):
    working_days = serializers.IntegerField()


class CalendarDaysQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2200)


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_holiday = serializers.BooleanField()
    description = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    agency = AgencySerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["username", "display_name", "role", "agency"]


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor_label",
            "ip_address",
            "action",
            "verb",
            "target_type",
            "target_id",
            "target_repr",
            "changes",
        ]
