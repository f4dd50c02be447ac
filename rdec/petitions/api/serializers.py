"""Petitions API: input validation and output shapes only (the rules live in services and
permissions). Personal fields come out through privacy.personal_view: in clear for the case's
handlers, masked for everyone else."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rdec.petitions import deadlines
from rdec.petitions.models import Case, Category, Extension, Reply
from rdec.petitions.privacy import personal_view, text_view

COORDINATE_DECIMALS = 3  # about 100 m: what a non-handler sees of the case's point
MAX_IDEMPOTENCY_KEY = 64


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    default_agency = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    # explicit, so the OpenAPI description is the same on SQLite and PostgreSQL
    working_days = serializers.IntegerField(read_only=True, help_text="deadline in working days")
    ack_hours = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="urgent: acknowledge within hours"
    )

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "name_en",
            "parent",
            "default_agency",
            "working_days",
            "urgent",
            "ack_hours",
            "anonymous_allowed",
        ]


class CaseSerializer(serializers.ModelSerializer):
    """A case; the petitioner's name, phone, e-mail and address are masked (王○明, 0912-***-678)
    and the point rounded to about 100 m unless the user handles the case."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.__str__", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    village = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    handler = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    merged_into = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    petitioner_name = serializers.SerializerMethodField()
    petitioner_phone = serializers.SerializerMethodField()
    petitioner_email = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()
    lon = serializers.SerializerMethodField()
    remaining_working_days = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "number",
            "channel",
            "category",
            "category_name",
            "subject",
            "description",
            "address",
            "lat",
            "lon",
            "district",
            "village",
            "petitioner_name",
            "petitioner_phone",
            "petitioner_email",
            "confidential",
            "agency",
            "agency_name",
            "handler",
            "status",
            "urgent",
            "received_at",
            "due_date",
            "original_due_date",
            "remaining_working_days",
            "replied_at",
            "closed_at",
            "merged_into",
        ]

    def to_representation(self, case):
        data = super().to_representation(case)
        # free text for a non-handler (an officer, a co-agency, an oversight key): typed phones,
        # e-mails, ID numbers and the petitioner's name masked by the core detector
        for name in ("subject", "description"):
            if name in data and data[name]:
                data[name] = text_view(data[name], case, self.context["request"].user)
        return data

    def _personal(self, case) -> dict:
        cache = self.context.setdefault("_personal", {})
        if case.pk not in cache:
            cache[case.pk] = personal_view(case, self.context["request"].user)
        return cache[case.pk]

    def get_petitioner_name(self, case) -> str:
        return self._personal(case)["petitioner_name"]

    def get_petitioner_phone(self, case) -> str:
        return self._personal(case)["petitioner_phone"]

    def get_petitioner_email(self, case) -> str:
        return self._personal(case)["petitioner_email"]

    def get_address(self, case) -> str:
        return self._personal(case)["address"]

    def _coordinate(self, case, value) -> float | None:
        if value is None:
            return None
        from rdec.petitions.permissions import can_see_personal_data

        if can_see_personal_data(self.context["request"].user, case):
            return value
        return round(value, COORDINATE_DECIMALS)

    def get_lat(self, case) -> float | None:
        return self._coordinate(case, case.lat)

    def get_lon(self, case) -> float | None:
        return self._coordinate(case, case.lon)

    def get_remaining_working_days(self, case) -> int | None:
        return deadlines.remaining_working_days(case.due_date) if case.is_open else None


class CaseCreatedSerializer(CaseSerializer):
    tracking_code = serializers.CharField(
        allow_null=True,
        read_only=True,
        help_text=_("The petitioner's tracking code, shown once: null when a retry returns the case."),
    )

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "tracking_code"]


class CaseCreateSerializer(serializers.Serializer):
    category = serializers.SlugField(max_length=40, help_text=_("code of a leaf category"))
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000)
    channel = serializers.ChoiceField(
        choices=Case.Channel.choices,
        required=False,
        help_text=_("Default: 1999 phone for call agents, Open311 API for API keys, web otherwise."),
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True, default=None)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True, default=None)
    district = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    petitioner_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    petitioner_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    petitioner_email = serializers.EmailField(required=False, allow_blank=True, default="")
    confidential = serializers.BooleanField(required=False, default=False)


class TransferSerializer(serializers.Serializer):
    agency = serializers.CharField(max_length=40, help_text=_("code of the receiving agency"))
    reason = serializers.CharField(max_length=2000)


class ReassignSerializer(serializers.Serializer):
    handler = serializers.CharField(max_length=150, help_text=_("username of the new handler"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MergeSerializer(serializers.Serializer):
    into = serializers.CharField(max_length=20, help_text=_("number of the main case"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ExtensionRequestSerializer(serializers.Serializer):
    working_days = serializers.IntegerField(min_value=1, max_value=30)
    reason = serializers.CharField(max_length=2000)


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ExtensionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="pending, approved, rejected")

    class Meta:
        model = Extension
        fields = ["id", "status", "reason", "previous_due_date", "requested_due_date", "requested_at"]


class ReplyInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000)
    internal_note = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(required=False, default=True, help_text=_("false keeps it as a draft"))


class ReplySerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft, submitted, approved, returned")

    class Meta:
        model = Reply
        fields = ["id", "status", "body", "internal_note", "author", "created_at", "approved_at"]


class ApproveSerializer(serializers.Serializer):
    approve = serializers.BooleanField(
        required=False, default=True, help_text=_("false returns the reply for revision")
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class WithdrawSerializer(ReasonSerializer):
    caller_phone = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        default="",
        help_text="1999 call agents: the caller's phone, which must be the case's petitioner phone.",
    )


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    working_days = serializers.IntegerField(min_value=1, max_value=30, required=False, allow_null=True)


class CaseFilterSerializer(serializers.Serializer):
    status = serializers.CharField(
        required=False,
        help_text=_(
            "open, closed, or one status: received, assigned, in_progress, replied, closed, withdrawn, merged"
        ),
    )
    category = serializers.SlugField(
        max_length=40, required=False, help_text=_("category code (a group includes its leaves)")
    )
    district = serializers.RegexField(r"^\d{8}$", required=False, help_text=_("MOI district code"))
    agency = serializers.SlugField(max_length=40, required=False, help_text=_("agency code"))
    due_before = serializers.DateField(
        input_formats=["%Y-%m-%d"], required=False, help_text=_("due on or before, YYYY-MM-DD")
    )

    def validate_status(self, value):
        if value not in {"open", "closed", *Case.Status.values}:
            raise serializers.ValidationError(_("Choose open, closed or one of the statuses."))
        return value


class SubmissionSerializer(serializers.Serializer):
    """A queued submission: waiting, filed (with its case number) or failed (with the reasons)."""

    token = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text=_("pending, filed or failed"))
    case = serializers.CharField(
        source="case.number", read_only=True, allow_null=True, help_text=_("the case number, once filed")
    )
    received_at = serializers.DateTimeField(read_only=True)
    filed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    errors = serializers.DictField(
        source="error", child=serializers.ListField(child=serializers.CharField()), read_only=True
    )


class SubmissionCreatedSerializer(SubmissionSerializer):
    tracking_code = serializers.CharField(
        allow_null=True,
        read_only=True,
        help_text=_("The petitioner's tracking code, shown once: null when a retry returns the submission."),
    )
