"""Petitions (陳情案件): categories, cases and their history, replies, extensions, ratings,
attachments, agency duty contacts (公務訊息對口), the knowledge base, and the deadline rules."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core.models import Agency, District, Village
from rdec.core.rules import DatedRuleSet


class Category(models.Model):
    """A two-level tree. Leaves (with a parent) are what a case is filed under, and the Open311
    services; each leaf names its default agency and its deadline in working days."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    default_agency = models.ForeignKey(
        Agency,
        verbose_name=_("default agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    working_days = models.PositiveSmallIntegerField(_("deadline (working days)"), default=6)
    urgent = models.BooleanField(_("urgent dispatch"), default=False)
    ack_hours = models.PositiveSmallIntegerField(_("acknowledge within (hours)"), null=True, blank=True)
    anonymous_allowed = models.BooleanField(_("anonymous allowed"), default=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    # From the service catalogue (rdec/petitions/data/service_catalogue.csv, rdec load_catalogue):
    vocabulary = models.JSONField(_("everyday vocabulary"), default=list, blank=True)
    deadline_rule = models.CharField(_("deadline rule"), max_length=40, blank=True)
    source = models.CharField(_("catalogue source"), max_length=40, blank=True)
    district_office = models.BooleanField(
        _("handled by the district office"),
        default=False,
        help_text=_("A case goes to the 區公所 of its district; the default agency when it has no district."),
    )

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    @property
    def is_leaf(self) -> bool:
        return self.parent_id is not None


class DeadlineRule(DatedRuleSet):
    """Dated, editable deadline rules (the central 要點 text was not confirmed: see docs)."""

    ceiling_calendar_days = models.PositiveSmallIntegerField(_("legal ceiling (calendar days)"), default=30)
    reminder_working_days = models.PositiveSmallIntegerField(_("remind before due (working days)"), default=2)

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self) -> str:
        return f"{self.effective_from}: ≤{self.ceiling_calendar_days}"


class CaseNumber(models.Model):
    """The last case number given in a year (one row per ROC year)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        PHONE = "phone", _("1999 phone")
        EMAIL = "email", _("Mayor's mailbox / e-mail")
        COUNTER = "counter", _("Counter")
        COUNCILLOR = "councillor", _("Councillor referral")
        OPEN311 = "open311", _("Open311 API")
        MEETING = "meeting", _("Mobile city council meeting")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        MERGED = "merged", _("Merged")

    OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)

    number = models.CharField(_("case number"), max_length=20, unique=True)
    tracking_code_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases"
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), null=True, blank=True, on_delete=models.PROTECT
    )

    petitioner_name = models.CharField(_("petitioner's name"), max_length=60, blank=True)
    petitioner_phone = models.CharField(_("petitioner's phone"), max_length=30, blank=True)
    petitioner_email = models.EmailField(_("petitioner's e-mail"), blank=True)
    confidential = models.BooleanField(_("keep identity confidential"), default=False)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="cases"
    )
    co_agencies = models.ManyToManyField(
        Agency, verbose_name=_("co-agencies"), blank=True, related_name="co_cases"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_cases",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    urgent = models.BooleanField(_("urgent"), default=False)

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_date = models.DateField(_("due date"))
    original_due_date = models.DateField(_("original due date"))
    ack_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    escalated_on = models.DateField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_text = models.TextField(blank=True, editable=False)  # rdec.petitions.search.search_text()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("petition case")
        verbose_name_plural = _("petition cases")
        indexes = [
            models.Index(fields=["agency", "status", "due_date"]),
            # the agency inbox: open cases of an agency in due-date order
            models.Index(
                fields=["agency", "due_date", "id"],
                condition=models.Q(status__in=["received", "assigned", "in_progress"]),
                name="petitions_case_open_inbox",
            ),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["petitioner_phone"]),
            models.Index(fields=["received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_extended(self) -> bool:
        return self.due_date != self.original_due_date


class AgencyTenure(models.Model):
    """Which agency held the case, from when to when (移文 keeps the record of each holder)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tenures")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.agency_id}"

    @property
    def held(self) -> datetime.timedelta:
        return (self.ended_at or timezone.now()) - self.started_at


class CaseEvent(models.Model):
    """The case history: every step, who did it, when, and a note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=30)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    public = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.verb}"


class Reply(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved and sent")
        RETURNED = "returned", _("Returned for revision")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("public reply"))
    internal_note = models.TextField(_("internal note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} reply {self.pk}"


class ReplyTemplate(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="reply_templates")
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title


class Extension(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField(_("reason"))
    requested_due_date = models.DateField(_("requested due date"))
    previous_due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.case.number} → {self.requested_due_date}"


class Rating(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.score}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="petitions/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """A message sent to a petitioner or an official (e-mail or SMS), kept for the record."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=10)  # email | sms
    recipient = models.CharField(max_length=200)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.channel} {self.subject}"


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key (or a form's submission token): the same submission makes one case."""

    key = models.CharField(max_length=100, unique=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class DutyContact(models.Model):
    """An agency's contact window for urgent dispatch (公務訊息對口)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="duty_contacts"
    )
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    hours = models.CharField(_("hours"), max_length=100, default="24小時")
    primary = models.BooleanField(_("primary contact"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency", "-primary", "name"]
        verbose_name = _("duty contact")
        verbose_name_plural = _("duty contacts")

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.name}"


class Article(models.Model):
    """A knowledge-base article (內部資料知識庫), versioned and reviewed by its agency."""

    question = models.CharField(_("question"), max_length=200)
    answer = models.TextField(_("answer"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="articles"
    )
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    source_document = models.CharField(_("source document"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    review_due = models.DateField(_("review due"))
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question"]
        verbose_name = _("knowledge-base article")
        verbose_name_plural = _("knowledge-base articles")

    def __str__(self) -> str:
        return self.question


class ArticleVersion(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    question = models.CharField(max_length=200)
    answer = models.TextField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        unique_together = [("article", "version")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.version}"


class Submission(models.Model):
    """A case submitted through the queued intake (POST /api/v1/submissions/, Open311 tokens):
    validated and stored at once, filed as a case by a background job moments later.

    The payload holds the petitioner's data only until the case is filed; the tracking code is
    kept (in clear) only until then too, so the case can store its hash with the case number."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be filed")
        FILED = "filed", _("filed as a case")
        FAILED = "failed", _("could not be filed")

    token = models.CharField(_("token"), max_length=40, unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    payload = models.JSONField(_("submission"), default=dict)
    tracking_code = models.CharField(max_length=16, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.JSONField(_("error"), default=dict, blank=True)
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)

    class Meta:
        verbose_name = _("queued submission")
        verbose_name_plural = _("queued submissions")
        indexes = [
            models.Index(
                fields=["id"], name="petitions_submission_pending", condition=models.Q(status="pending")
            )
        ]

    def __str__(self) -> str:
        return self.token
