"""Tenders API: input validation and output shapes only (the rules live in rules, services and
permissions)."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rdec.tenders.models import ChangeOrder, Extension, Tender

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _number(**kwargs):
    return serializers.DecimalField(max_digits=15, decimal_places=2, coerce_to_string=False, **kwargs)


class TenderAgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class TenderSerializer(serializers.ModelSerializer):
    agency = TenderAgencySerializer()
    # plain strings (values listed) rather than enums: an enum named "status" would collide with
    # the petitions' case status in the OpenAPI components
    type = serializers.CharField(help_text="works (工程) | goods (財物) | services (勞務)")
    status = serializers.CharField(
        help_text="planning | tendering | failed | cancelled | awarded | in_progress | suspended | "
        "acceptance | closed"
    )
    budget_amount = serializers.DecimalField(max_digits=15, decimal_places=0, coerce_to_string=False)
    contract_amount = serializers.DecimalField(max_digits=15, decimal_places=0, coerce_to_string=False)
    # explicit: a model's integer range depends on the database, the OpenAPI description must not
    failed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Tender
        fields = [
            "number",
            "name",
            "agency",
            "plan",
            "type",
            "status",
            "budget_amount",
            "contract_amount",
            "contractor",
            "announced_on",
            "awarded_on",
            "started_on",
            "planned_completion_on",
            "actual_completion_on",
            "failed_count",
        ]


class TenderProgressSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    planned_pct = _number()
    actual_pct = _number()
    lag = _number(help_text="planned − actual, percentage points")
    lag_class = serializers.CharField(help_text="normal (正常) | behind (落後) | serious (嚴重落後)")
    days_behind = serializers.IntegerField(allow_null=True)
    budget_executed = serializers.DecimalField(
        max_digits=15, decimal_places=0, coerce_to_string=False, allow_null=True
    )
    reason = serializers.CharField()
    is_late = serializers.BooleanField()
    entered_at = serializers.DateTimeField()


class TenderChangeOrderSerializer(serializers.ModelSerializer):
    amount_change = serializers.DecimalField(max_digits=15, decimal_places=0, coerce_to_string=False)

    class Meta:
        model = ChangeOrder
        fields = ["approved_on", "description", "amount_change"]


class TenderExtensionSerializer(serializers.ModelSerializer):
    days = serializers.IntegerField(read_only=True)

    class Meta:
        model = Extension
        fields = ["approved_on", "days", "reason"]


class TenderDetailSerializer(TenderSerializer):
    progress = serializers.SerializerMethodField()
    change_orders = TenderChangeOrderSerializer(many=True)
    extensions = TenderExtensionSerializer(many=True)

    class Meta(TenderSerializer.Meta):
        fields = [*TenderSerializer.Meta.fields, "progress", "change_orders", "extensions"]

    def get_progress(self, tender) -> list[dict]:  # filled by the view (selectors.tender_progress)
        return TenderProgressSerializer(self.context.get("progress", []), many=True).data


class TenderCreateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    name = serializers.CharField(max_length=300)
    agency = serializers.CharField(help_text="agency code")
    type = serializers.ChoiceField(choices=Tender.Type.choices)
    plan = serializers.CharField(max_length=200, required=False, default="")
    # a plain string, not an enum: an enum named "status" collides with the petitions' in OpenAPI
    status = serializers.CharField(
        required=False,
        default="planning",
        help_text="planning | tendering | failed | cancelled | awarded | in_progress | suspended | "
        "acceptance | closed",
    )
    budget_amount = serializers.DecimalField(
        max_digits=15, decimal_places=0, min_value=0, required=False, allow_null=True, default=None
    )
    contract_amount = serializers.DecimalField(
        max_digits=15, decimal_places=0, min_value=0, required=False, allow_null=True, default=None
    )
    contractor = serializers.CharField(max_length=200, required=False, default="")
    announced_on = serializers.DateField(required=False, allow_null=True, default=None)
    awarded_on = serializers.DateField(required=False, allow_null=True, default=None)
    started_on = serializers.DateField(required=False, allow_null=True, default=None)
    planned_completion_on = serializers.DateField(required=False, allow_null=True, default=None)
    actual_completion_on = serializers.DateField(required=False, allow_null=True, default=None)
    failed_count = serializers.IntegerField(min_value=0, required=False, default=0)

    def validate_status(self, value: str) -> str:
        if value not in Tender.Status.values:
            raise serializers.ValidationError(_("Choose a status from the list."))
        return value


class TenderFilterSerializer(serializers.Serializer):
    agency = serializers.CharField(required=False, help_text="agency code or short name")
    type = serializers.ChoiceField(choices=Tender.Type.choices, required=False)
    status = serializers.ChoiceField(choices=Tender.Status.choices, required=False)
    q = serializers.CharField(required=False, help_text="number, name or contractor contains")


def parse_month(value: str) -> datetime.date:
    match = MONTH.match(value or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise serializers.ValidationError(_("Give the month as YYYY-MM, for example 2025-03."))
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class TenderMonthQuerySerializer(serializers.Serializer):
    month = serializers.CharField(required=False, help_text="YYYY-MM; default: last month")

    def validate_month(self, value: str) -> datetime.date:
        return parse_month(value)


class TenderProgressInputSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    planned_pct = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    actual_pct = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    budget_executed = serializers.DecimalField(
        max_digits=15, decimal_places=0, min_value=0, required=False, allow_null=True
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_month(self, value: str) -> datetime.date:
        return parse_month(value)


class TenderAgencyPerformanceSerializer(serializers.Serializer):
    agency = TenderAgencySerializer()
    performance = _number(allow_null=True, help_text="% (null: nothing planned yet)")
    below_threshold = serializers.BooleanField()


class SeriouslyLaggingTenderSerializer(serializers.Serializer):
    tender_no = serializers.CharField()
    name = serializers.CharField()
    agency = TenderAgencySerializer()
    planned_pct = _number()
    actual_pct = _number()
    lag = _number()


class TenderControlReportSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    agencies = TenderAgencyPerformanceSerializer(many=True)
    seriously_lagging = SeriouslyLaggingTenderSerializer(many=True)


# --- construction quality inspections (工程施工查核) ------------------------------------------------


class InspectionFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    agency = serializers.CharField(required=False, help_text="agency code or short name")
    grade = serializers.ChoiceField(
        choices=["A", "B", "C"], required=False, help_text="A (甲) | B (乙) | C (丙)"
    )
    q = serializers.CharField(required=False, help_text="tender number, name or contractor contains")


class InspectionTenderSerializer(serializers.Serializer):
    number = serializers.CharField()
    name = serializers.CharField()
    agency = TenderAgencySerializer()
    contractor = serializers.CharField()


class InspectionFindingSerializer(serializers.Serializer):
    code = serializers.CharField(source="deficiency.code")
    description = serializers.CharField(source="deficiency.description")
    category = serializers.CharField(source="deficiency.category")
    party = serializers.CharField(help_text="agency | supervisor | contractor")
    points = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    note = serializers.CharField()


class InspectionImprovementSerializer(serializers.Serializer):
    party = serializers.CharField(help_text="agency | supervisor | contractor")
    due_on = serializers.DateField()
    submitted_on = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text="pending (待改善) | done (已改善) | overdue (逾期未改善)")


class InspectionConsequenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    decided_on = serializers.DateField()
    description = serializers.CharField()


class InspectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tender = InspectionTenderSerializer()
    inspected_on = serializers.DateField()
    work_type = serializers.CharField()
    members = serializers.ListField(child=serializers.CharField(), source="member_list")
    score = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    grade = serializers.CharField(
        help_text="A (甲等) | B (乙等) | C (丙等), by the bands in force on the date"
    )
    follow_up = serializers.CharField(help_text="pending | done | overdue | empty: nothing to improve")
    findings = InspectionFindingSerializer(many=True)
    improvements = serializers.SerializerMethodField()
    consequences = InspectionConsequenceSerializer(many=True)

    def get_improvements(self, inspection) -> list[dict]:
        today = self.context["today"]
        return InspectionImprovementSerializer(
            [
                {
                    "party": r.party,
                    "due_on": r.due_on,
                    "submitted_on": r.submitted_on,
                    "status": r.status_on(today),
                }
                for r in inspection.improvements.all()
            ],
            many=True,
        ).data
