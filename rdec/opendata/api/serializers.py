"""Users' voice API (/api/v1/opendata/feedback/): input validation and output shapes only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rdec.opendata.models import Feedback


class FeedbackSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="comment (意見) | request (資料需求)")
    topic = serializers.CharField()
    moderation = serializers.CharField(help_text="pending | approved | hidden")
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    dataset = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField()
    response_days = serializers.IntegerField(allow_null=True, help_text="days from submission to answer")

    class Meta:
        model = Feedback
        fields = [
            "id",
            "kind",
            "topic",
            "title",
            "body",
            "dataset",
            "agency",
            "agency_name",
            "created_at",
            "due_on",
            "moderation",
            "answer",
            "answered_at",
            "is_overdue",
            "response_days",
        ]

    id = serializers.IntegerField(read_only=True)

    def get_dataset(self, obj) -> str | None:
        return obj.dataset.identifier if obj.dataset_id else None


class FeedbackCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Feedback.Kind.choices)
    topic = serializers.ChoiceField(choices=Feedback.Topic.choices, default=Feedback.Topic.OTHER)
    title = serializers.CharField(max_length=255)
    body = serializers.CharField(max_length=5000)
    dataset = serializers.CharField(
        required=False, max_length=100, help_text=_("A comment's dataset: identifier or URL name.")
    )
    agency = serializers.CharField(
        required=False, max_length=40, help_text=_("A data request's agency (its code).")
    )


class FeedbackFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Feedback.Kind.choices, required=False)
    dataset = serializers.CharField(required=False, max_length=100)
    answered = serializers.BooleanField(required=False, allow_null=True, default=None)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)


class ModerationSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[(Feedback.Moderation.APPROVED, _("Approve")), (Feedback.Moderation.HIDDEN, _("Hide"))]
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ResponseStatsSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    open_overdue = serializers.IntegerField()
    mean_days = serializers.FloatField(allow_null=True)
    median_days = serializers.FloatField(allow_null=True)
    on_time_pct = serializers.FloatField(allow_null=True)


class AgencyResponseStatsSerializer(ResponseStatsSerializer):
    agency = serializers.CharField()


class FeedbackStatsSerializer(serializers.Serializer):
    response_days_rule = serializers.IntegerField()
    total = ResponseStatsSerializer()
    agencies = AgencyResponseStatsSerializer(many=True)
