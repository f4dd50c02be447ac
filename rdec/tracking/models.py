"""Tracking (管考): meetings and their resolutions, every item under control (列管案件) with its
progress reports and the RDEC's reviews, council sessions (定期會) and the agencies' texts for the
written report on the execution of council resolutions, and on-platform notifications."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core.dates import roc_date
from rdec.core.models import Agency, District


class Meeting(models.Model):
    """A meeting the RDEC keeps: 市政會議, 行動市政會議 (in a district), the youth advisory
    committee's plenary, the regional governance platform, the universities' platform, the tender
    control meeting, or a custom one."""

    class Type(models.TextChoices):
        CITY_COUNCIL = "city", _("City government meeting")
        MOBILE = "mobile", _("Mobile city government meeting")
        YOUTH = "youth", _("Youth Affairs Advisory Committee plenary")
        REGIONAL_HEADS = "regional_heads", _("Regional governance heads' meeting")
        REGIONAL_DEPUTIES = "regional_deputies", _("Regional governance deputy heads' meeting")
        UNIVERSITIES = "universities", _("Universities' city development meeting")
        TENDERS = "tenders", _("Tender progress control meeting")
        CUSTOM = "custom", _("Other")

    type = models.CharField(_("meeting type"), max_length=20, choices=Type.choices)
    custom_type_name = models.CharField(_("meeting name (other)"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chair_name = models.CharField(_("chair"), max_length=60)
    chair_is_mayoral = models.BooleanField(
        _("chaired at mayoral level"),
        default=False,
        help_text=_("The mayor or a deputy mayor chairs: the minutes are due within 3 working days."),
    )
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("attending agencies"), blank=True, related_name="tracking_meetings"
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_due_on = models.DateField(_("minutes due"), null=True, blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    livestream_url = models.URLField(_("livestream link"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    @property
    def type_label(self) -> str:
        if self.type == self.Type.CUSTOM and self.custom_type_name:
            return self.custom_type_name
        return str(self.get_type_display())

    def minutes_state(self, today: datetime.date | None = None) -> str:
        """published | due | overdue | "" (no deadline: not chaired at mayoral level)."""
        if self.minutes_published_at is not None:
            return "published"
        if self.minutes_due_on is None:
            return ""
        today = today or timezone.localdate()
        return "overdue" if today > self.minutes_due_on else "due"


class LocalRepresentative(models.Model):
    """A local representative who attended: 區長, 里長 or 議員, by name."""

    class Role(models.TextChoices):
        DISTRICT_CHIEF = "district_chief", _("District chief")
        VILLAGE_CHIEF = "village_chief", _("Village chief")
        COUNCILLOR = "councillor", _("City councillor")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("local representative")
        verbose_name_plural = _("local representatives")

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class Resolution(models.Model):
    """A resolution (決議) or suggestion (建議) of a meeting. Unless settled on the spot, it is put
    under control as a tracked item (Item.resolution)."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("Resolution")
        SUGGESTION = "suggestion", _("Suggestion")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RESOLUTION)
    text = models.TextField(_("text"))
    proposer = models.CharField(_("proposed by"), max_length=100, blank=True)
    settled_on_site = models.BooleanField(_("settled at the meeting"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="tracking_resolution_number")
        ]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")

    def __str__(self) -> str:
        return f"{self.meeting}・{self.number}"


class CouncilSession(models.Model):
    """A regular session of the city council (定期會), e.g. 第4屆第3次定期會."""

    term = models.PositiveSmallIntegerField(_("term"))
    number = models.PositiveSmallIntegerField(_("session number"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        ordering = ["-opens_on"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="tracking_council_session")]
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")

    def __str__(self) -> str:
        return _("Term %(term)s, regular session %(number)s") % {"term": self.term, "number": self.number}

    @property
    def report_due_on(self) -> datetime.date:
        """The written report on the previous session's resolutions reaches the council 7 days
        before the session opens (臺中市議會議事規則)."""
        from rdec.tracking import rules

        return self.opens_on - datetime.timedelta(days=rules.council_report_days_before())


class CouncilReportIssue(models.Model):
    """The written report to a council session as generated on its due date (and any later
    regeneration), kept with the files as they were sent."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="report_issues")
    generated_at = models.DateTimeField(_("generated"), default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolutions = models.PositiveIntegerField(_("council resolutions in it"))
    missing_texts = models.PositiveIntegerField(_("without an execution text"))
    pdf = models.FileField(upload_to="tracking/council/", blank=True)
    odt = models.FileField(upload_to="tracking/council/", blank=True)
    docx = models.FileField(upload_to="tracking/council/", blank=True)

    class Meta:
        ordering = ["-generated_at"]
        verbose_name = _("generated council report")
        verbose_name_plural = _("generated council reports")

    def __str__(self) -> str:
        return f"{self.session} {self.generated_at:%Y-%m-%d %H:%M}"


class ItemNumber(models.Model):
    """The last item number given in an ROC year."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Item(models.Model):
    """An item under control (列管案件): what must be done, by which agency, by when; its progress
    is reported by the agencies and reviewed by the RDEC until it is released (解除列管)."""

    class Source(models.TextChoices):
        RESOLUTION = "resolution", _("Meeting resolution")
        MAYOR = "mayor", _("Mayor's instruction")
        COUNCIL_RESOLUTION = "council_resolution", _("Council resolution")
        INTERPELLATION = "interpellation", _("Councillor's interpellation")
        COUNCILLOR_CONCERN = "councillor_concern", _("Councillor's concern")
        PETITION = "petition", _("Petition case")
        PROPOSAL = "proposal", _("Citizen proposal")
        INNOVATION = "innovation", _("Innovation digest item adopted")
        RESEARCH = "research", _("Research recommendation adopted")
        CUSTOM = "custom", _("Other")

    class Level(models.TextChoices):
        CITY = "city", _("City-level control")
        RDEC = "rdec", _("RDEC-level control")
        SELF = "self", _("Self-control by the agency")

    class Status(models.TextChoices):
        OPEN = "open", _("Under control")
        RELEASE_PROPOSED = "release_proposed", _("Release proposed")
        RELEASED = "released", _("Released from control")
        CONTINUED = "continued", _("Control continued")

    OPEN_STATUSES = (Status.OPEN, Status.RELEASE_PROPOSED, Status.CONTINUED)

    number = models.CharField(_("item number"), max_length=20, unique=True)
    title = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("details of the item"), blank=True)
    source = models.CharField(_("item source"), max_length=20, choices=Source.choices)
    custom_source_name = models.CharField(_("source (other)"), max_length=100, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    resolution = models.OneToOneField(
        Resolution,
        verbose_name=_("resolution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="item",
    )
    council_session = models.ForeignKey(
        CouncilSession,
        verbose_name=_("council session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    council_number = models.PositiveIntegerField(_("council resolution number"), null=True, blank=True)
    councillor = models.CharField(_("councillor"), max_length=60, blank=True)
    asked_on = models.DateField(_("asked on"), null=True, blank=True)
    petition_number = models.CharField(_("petition case number"), max_length=20, blank=True)
    petition_case_id = models.PositiveBigIntegerField(null=True, blank=True)
    owner = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="tracked_items"
    )
    co_agencies = models.ManyToManyField(
        Agency, verbose_name=_("co-agencies"), blank=True, related_name="co_tracked_items"
    )
    level = models.CharField(_("control level"), max_length=10, choices=Level.choices, default=Level.RDEC)
    deadline = models.DateField(_("deadline"))
    original_deadline = models.DateField(_("original deadline"))
    expected_outcome = models.TextField(_("expected outcome"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    last_report_at = models.DateTimeField(_("last report"), null=True, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["owner", "status"])]
        verbose_name = _("tracked item")
        verbose_name_plural = _("tracked items")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def source_label(self) -> str:
        if self.source == self.Source.CUSTOM and self.custom_source_name:
            return self.custom_source_name
        return str(self.get_source_display())

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.deadline < (today or timezone.localdate())


def _report_upload(instance, filename: str) -> str:
    return f"tracking/{timezone.localdate():%Y/%m}/{filename}"


class ProgressReport(models.Model):
    """One dated progress report (辦理情形) by the responsible agency or a co-agency, and the RDEC's
    review of it: release (解除列管) or continue control (繼續列管), with a comment."""

    class Decision(models.TextChoices):
        RELEASE = "release", _("Release from control")
        CONTINUE = "continue", _("Continue control")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField(_("report date"))
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])
    propose_release = models.BooleanField(_("propose release from control"), default=False)
    attachment = models.FileField(_("attachment"), upload_to=_report_upload, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["item", "submitted_at", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.item.number} {roc_date(self.reported_on)} {self.percent}%"


class CouncilText(models.Model):
    """An agency's text on the execution of one council resolution, for the written report to a
    council session."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="texts")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="council_texts")
    text = models.TextField(_("execution"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "item"], name="tracking_council_text")]
        verbose_name = _("council execution text")
        verbose_name_plural = _("council execution texts")

    def __str__(self) -> str:
        return f"{self.session} {self.item.number}"


class Notification(models.Model):
    """A reminder or escalation shown on the platform (and sent by e-mail). `key` makes the same
    reminder to the same person at most once a day."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Deadline reminder")
        ESCALATION = "escalation", _("Overdue escalation")
        NO_REPORT = "no_report", _("Progress report missing")
        COUNCIL = "council", _("Council report reminder")
        MINUTES = "minutes", _("Minutes due")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracking_notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        CouncilSession, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject
