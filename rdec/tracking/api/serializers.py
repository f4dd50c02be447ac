"""Tracking API: input validation and output shapes only (the rules live in services and
permissions)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rdec.tracking.models import Item, Meeting, ProgressReport


class ProgressReportSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    submitted_by = serializers.SerializerMethodField()
    has_attachment = serializers.SerializerMethodField()
    decision = serializers.CharField(
        read_only=True, help_text="release, continue, or empty while not reviewed"
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "agency",
            "reported_on",
            "text",
            "percent",
            "propose_release",
            "has_attachment",
            "submitted_by",
            "submitted_at",
            "decision",
            "review_comment",
            "new_deadline",
            "reviewed_at",
        ]

    def get_submitted_by(self, report) -> str:
        return str(report.submitted_by) if report.submitted_by_id else ""

    def get_has_attachment(self, report) -> bool:
        return bool(report.attachment)


class TrackedItemSerializer(serializers.ModelSerializer):
    """An item under control with its progress reports (the timeline)."""

    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    co_agencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    source_label = serializers.CharField(read_only=True)
    meeting = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    council_session = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    reports = ProgressReportSerializer(many=True, read_only=True)
    # plain strings in the schema: an enum named "status" / "source" / "level" clashes with other modules'
    status = serializers.CharField(read_only=True, help_text="open, release_proposed, released, continued")
    source = serializers.CharField(
        read_only=True,
        help_text="resolution, mayor, council_resolution, interpellation, councillor_concern, petition, custom",
    )
    level = serializers.CharField(read_only=True, help_text="city, rdec or self")
    # explicit: a model's integer range depends on the database, the OpenAPI description must not
    council_number = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Item
        fields = [
            "number",
            "title",
            "description",
            "source",
            "source_label",
            "meeting",
            "council_session",
            "council_number",
            "councillor",
            "asked_on",
            "petition_number",
            "owner",
            "owner_name",
            "co_agencies",
            "level",
            "deadline",
            "original_deadline",
            "expected_outcome",
            "status",
            "percent",
            "overdue",
            "last_report_at",
            "released_at",
            "created_at",
            "reports",
        ]

    def get_council_session(self, item) -> dict | None:
        s = item.council_session
        return {"id": s.pk, "term": s.term, "number": s.number} if s else None

    def get_overdue(self, item) -> bool:
        today = self.context.setdefault("today", timezone.localdate())
        return item.is_overdue(today)


class ItemFilterSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Item.Source.choices, required=False)
    agency = serializers.SlugField(
        max_length=40, required=False, help_text=_("agency code (owner or co-agency)")
    )
    status = serializers.ChoiceField(
        choices=[("open", _("Under control (all)")), *Item.Status.choices], required=False
    )
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)


class TrackedItemCreateSerializer(serializers.Serializer):
    source = serializers.ChoiceField(
        choices=[c for c in Item.Source.choices if c[0] != Item.Source.RESOLUTION]
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    owner = serializers.SlugField(max_length=40, help_text=_("code of the responsible agency"))
    co_agencies = serializers.ListField(
        child=serializers.SlugField(max_length=40), required=False, default=list, help_text=_("agency codes")
    )
    level = serializers.CharField(
        max_length=10,
        required=False,
        default=Item.Level.RDEC,
        help_text=_("control level: city, rdec or self"),
    )
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    expected_outcome = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    custom_source_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    council_session = serializers.IntegerField(required=False, allow_null=True, default=None)
    council_number = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    councillor = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    asked_on = serializers.DateField(required=False, allow_null=True, default=None)
    petition_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")

    def validate_level(self, value):
        if value not in Item.Level.values:
            raise serializers.ValidationError(_("Choose a control level from the list."))
        return value


class ProgressReportInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)
    percent = serializers.IntegerField(min_value=0, max_value=100)
    reported_on = serializers.DateField(required=False, allow_null=True, default=None)
    propose_release = serializers.BooleanField(required=False, default=False)


class ItemReviewInputSerializer(serializers.Serializer):
    report = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("report id; default: the latest unreviewed"),
    )
    decision = serializers.ChoiceField(choices=ProgressReport.Decision.choices)
    comment = serializers.CharField(max_length=5000)
    new_deadline = serializers.DateField(required=False, allow_null=True, default=None)


class TrackingMeetingSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    agencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    type_label = serializers.CharField(read_only=True)
    representatives = serializers.SerializerMethodField()
    resolutions = serializers.SerializerMethodField()
    minutes_state = serializers.SerializerMethodField()
    type = serializers.CharField(
        read_only=True,
        help_text="city, mobile, youth, regional_heads, regional_deputies, universities, tenders, custom",
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "type",
            "type_label",
            "title",
            "held_at",
            "place",
            "district",
            "chair_name",
            "chair_is_mayoral",
            "agencies",
            "representatives",
            "agenda",
            "minutes",
            "minutes_due_on",
            "minutes_published_at",
            "minutes_state",
            "livestream_url",
            "is_public",
            "resolutions",
        ]

    def get_representatives(self, meeting) -> list[dict]:
        return [{"name": r.name, "role": r.role, "note": r.note} for r in meeting.representatives.all()]

    def get_resolutions(self, meeting) -> list[dict]:
        out = []
        for r in meeting.resolutions.all():
            item = getattr(r, "item", None)
            out.append(
                {
                    "number": r.number,
                    "kind": r.kind,
                    "text": r.text,
                    "proposer": r.proposer,
                    "settled_on_site": r.settled_on_site,
                    "item": item.number if item else None,
                }
            )
        return out

    def get_minutes_state(self, meeting) -> str:
        return meeting.minutes_state()
