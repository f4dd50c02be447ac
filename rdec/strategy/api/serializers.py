"""Strategy API: input validation and output shapes only (rules live in services and permissions).
Numbers are JSON numbers; rates are percentages rounded to one decimal (the raw rate, not capped)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rdec.strategy.models import QuarterlyReport, ReportingWindow, Target


def _number(**kwargs):
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, coerce_to_string=False, read_only=True, **kwargs
    )


class TargetProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target.pk", read_only=True)
    key = serializers.CharField(source="target.key", read_only=True)
    name = serializers.CharField(source="target.name", read_only=True)
    unit = serializers.CharField(source="target.unit", read_only=True)
    year = serializers.IntegerField(read_only=True)
    direction = serializers.ChoiceField(
        source="target.direction", choices=Target.Direction.choices, read_only=True
    )
    value_type = serializers.ChoiceField(
        source="target.value_type", choices=Target.ValueType.choices, read_only=True
    )
    baseline = _number(source="target.baseline", allow_null=True)
    annual_target = _number(source="target.annual_target")
    period_target = _number(help_text="the target the actual is compared with in this period")
    actual = _number(allow_null=True, help_text="the actual value as of the period; null before any report")
    achievement_rate = serializers.DecimalField(
        source="rate",
        max_digits=10,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text="percent, not capped (the pages show it capped at 100)",
    )
    light = serializers.ChoiceField(choices=["green", "yellow", "red", "grey"], read_only=True)
    period = serializers.CharField(read_only=True, help_text='e.g. "2026-Q3"')
    live_source = serializers.CharField(source="target.live_source", read_only=True)


class ActionPlanSerializer(serializers.Serializer):
    code = serializers.CharField(source="plan.code", read_only=True, help_text='e.g. "10-1-3"')
    name = serializers.CharField(source="plan.name", read_only=True)
    strategy = serializers.IntegerField(
        source="plan.strategy.number", read_only=True, help_text="strategy number 1–12"
    )
    strategy_name = serializers.CharField(source="plan.strategy.name", read_only=True)
    agency = serializers.CharField(source="plan.agency.code", read_only=True, help_text="owner agency code")
    agency_name = serializers.CharField(source="plan.agency.name", read_only=True)
    co_agencies = serializers.SerializerMethodField()
    achievement_rate = serializers.DecimalField(
        source="rollup.rate",
        max_digits=10,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
    )
    light = serializers.CharField(source="rollup.light", read_only=True)
    targets = TargetProgressSerializer(many=True, read_only=True)

    def get_co_agencies(self, row) -> list[str]:
        return [a.code for a in row.plan.co_agencies.all()]


class PlanFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    strategy = serializers.IntegerField(
        required=False, min_value=1, max_value=999, help_text="strategy number"
    )
    agency = serializers.SlugField(required=False, max_length=40, help_text="owner agency code")


class WindowSerializer(serializers.ModelSerializer):
    # explicit: a model's integer range depends on the database, the OpenAPI description must not
    year = serializers.IntegerField(read_only=True)
    quarter = serializers.IntegerField(read_only=True)
    period = serializers.CharField(read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = ReportingWindow
        fields = ["id", "year", "quarter", "period", "opens_on", "closes_on", "state", "closed_at"]

    def get_state(self, window) -> str:
        return window.state()


class ReportInputSerializer(serializers.Serializer):
    target = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("the target's id (from the action plans list)")
    )
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0, coerce_to_string=False
    )
    narrative = serializers.CharField(max_length=4000)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)


class ReportSerializer(serializers.ModelSerializer):
    target = serializers.IntegerField(source="target_id", read_only=True)
    quarter = serializers.IntegerField(read_only=True)
    period = serializers.CharField(source="window.period", read_only=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False, read_only=True)

    class Meta:
        model = QuarterlyReport
        fields = ["id", "target", "period", "quarter", "value", "narrative", "origin", "reported_at"]
