"""Document timeliness API: input validation and output shapes only."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _pct(**kwargs):
    return serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False, allow_null=True, **kwargs
    )


def parse_month(value: str) -> datetime.date:
    match = MONTH.match(value or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2200:
        raise serializers.ValidationError(_("Give the month as YYYY-MM, for example 2026-03."))
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class DocumentAgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class DocumentMonthQuerySerializer(serializers.Serializer):
    month = serializers.CharField(required=False, help_text="YYYY-MM; default: last month")

    def validate_month(self, value: str) -> datetime.date:
        return parse_month(value)


class DocumentKpiSerializer(serializers.Serializer):
    agency = DocumentAgencySerializer()
    group = serializers.CharField(help_text="agency (機關組) | district (公所組)")
    closed = serializers.IntegerField(help_text="documents closed (發文) in the month")
    overdue = serializers.IntegerField(help_text="of those, closed late")
    overdue_ratio = _pct(help_text="overdue ÷ closed, % (null: nothing closed)")
    avg_days = _pct(help_text="average working days used (限期 closed in time capped at 6)")
    on_time_rate = _pct(help_text="(closed − overdue) ÷ closed, %")
    pending = serializers.IntegerField(help_text="received by the month's end, not closed by then")
    extended = serializers.IntegerField(help_text="closed in the month with an approved extension")
    rank = serializers.IntegerField(allow_null=True, help_text="rank in the group (1: lowest overdue ratio)")
    flagged = serializers.BooleanField(
        help_text="overdue ratio over the threshold (3 %): improvement report due"
    )


class DocumentKpiListSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    threshold_pct = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    results = DocumentKpiSerializer(many=True)
