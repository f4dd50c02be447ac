"""The open data catalog: datasets described with the national metadata standard (資料集詮釋資料標準規範),
owned by an agency, with their resources (a URL or an uploaded file) and each resource's versions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rdec.core.dates import roc_date
from rdec.core.rules import DatedRuleSet
from rdec.opendata import vocab


class Badge(models.TextChoices):
    """Quality badge (品質標章) of a resource or a dataset."""

    GOLD = "gold", _("Gold")
    SILVER = "silver", _("Silver")
    BRONZE = "bronze", _("Bronze")
    NONE = "none", _("No badge")


BADGE_ORDER = [Badge.NONE, Badge.BRONZE, Badge.SILVER, Badge.GOLD]


class Tag(models.Model):
    """標籤/關鍵字 (keyword)."""

    name = models.CharField(_("tag"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("dataset state", "Published")
        DELETED = "deleted", pgettext_lazy("dataset state", "Withdrawn")

    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("providing agency"), on_delete=models.PROTECT, related_name="datasets"
    )
    identifier = models.CharField(
        _("dataset identifier"), max_length=17, unique=True, validators=[vocab.validate_identifier]
    )
    name = models.SlugField(_("URL name"), max_length=100, unique=True, allow_unicode=False)
    title = models.CharField(_("dataset title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    description = models.TextField(_("dataset description"))
    category = models.CharField(_("service category"), max_length=3, choices=vocab.Category.choices)
    field_description = models.TextField(
        _("field description"), validators=[vocab.validate_field_description]
    )
    dataset_type = models.CharField(
        _("dataset type"),
        max_length=10,
        choices=vocab.DatasetType.choices,
        default=vocab.DatasetType.RAW_DATA,
    )
    license = models.CharField(
        _("licence"), max_length=20, choices=vocab.License.choices, default=vocab.License.OGDL_TW
    )
    cost = models.CharField(_("charging"), max_length=5, choices=vocab.Cost.choices, default=vocab.Cost.FREE)
    cost_url = models.URLField(_("charging details URL"), blank=True)
    cost_law = models.CharField(_("legal basis for charging"), max_length=200, blank=True)
    update_frequency = models.CharField(
        _("update frequency"), max_length=20, validators=[vocab.validate_frequency]
    )
    temporal_from = models.DateField(_("coverage starts"), null=True, blank=True)
    temporal_to = models.DateField(_("coverage ends"), null=True, blank=True)
    spatial = models.CharField(_("spatial coverage"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-TW")
    landing_page = models.URLField(_("related URL"), max_length=500, blank=True)
    number_of_data = models.PositiveIntegerField(_("number of records"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    contact_email = models.EmailField(_("contact e-mail"))
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="datasets")
    published_on = models.DateField(_("publication date"), default=timezone.localdate)
    metadata_modified = models.DateTimeField(_("metadata updated"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    quality_badge = models.CharField(
        _("quality badge"), max_length=10, choices=Badge.choices, default=Badge.NONE, editable=False
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["-metadata_modified", "-id"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        indexes = [
            models.Index(fields=["state", "agency"]),
            models.Index(fields=["state", "category"]),
            models.Index(fields=["published_on"]),
            models.Index(fields=["-metadata_modified", "id"], name="opendata_dataset_modified_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def license_url(self) -> str:
        return vocab.LICENSE_URLS.get(self.license, "")

    @property
    def declared_fields(self) -> list[dict]:
        return vocab.parse_field_description(self.field_description)


def resource_upload_to(instance, filename: str) -> str:
    return f"opendata/{timezone.now():%Y/%m}/{filename}"


class Resource(models.Model):
    """資料資源 (distribution): a link or an uploaded file."""

    class State(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("dataset state", "Published")
        DELETED = "deleted", pgettext_lazy("dataset state", "Withdrawn")

    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="resources"
    )
    number = models.PositiveSmallIntegerField(_("resource number"), validators=[MinValueValidator(1)])
    description = models.CharField(_("resource description"), max_length=300)
    url = models.URLField(_("download URL"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=resource_upload_to, max_length=300, blank=True)
    format = models.CharField(_("file format"), max_length=20)
    encoding = models.CharField(_("character encoding"), max_length=20, default="UTF-8")
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    field_description = models.TextField(_("resource fields"), blank=True)
    schema = models.JSONField(_("Table Schema"), null=True, blank=True)
    modified_at = models.DateTimeField(_("resource updated"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    class Meta:
        ordering = ["dataset", "number"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="opendata_resource_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.description}"

    @property
    def resource_id(self) -> str:
        """資料資源編號 (resourceID): the dataset identifier and a 3-digit number."""
        return f"{self.dataset.identifier}-{self.number:03d}"

    @property
    def is_upload(self) -> bool:
        return bool(self.file)

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()


class ResourceVersion(models.Model):
    """One version of a resource's content, kept with its date when the link or the file changes."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    url = models.URLField(_("download URL"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=resource_upload_to, max_length=300, blank=True)
    format = models.CharField(_("file format"), max_length=20)
    encoding = models.CharField(_("character encoding"), max_length=20)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    schema = models.JSONField(_("Table Schema"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["resource", "-number"]
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="opendata_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"


class QualityCheck(models.Model):
    """One machine check of a resource: the six indicators (1 pass, 0 fail, 2 not evaluated), the
    badge they give, what was found (encoding, header, rows) and the messages."""

    Badge = Badge

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="quality_checks"
    )
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)
    indicators = models.JSONField(_("indicators"), default=dict)
    badge = models.CharField(_("badge"), max_length=10, choices=Badge.choices, default=Badge.NONE)
    encoding = models.CharField(_("detected encoding"), max_length=30, blank=True)
    fields = models.JSONField(_("header"), default=list)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    messages = models.JSONField(_("messages"), default=list)

    class Meta:
        ordering = ["resource", "-checked_at", "-id"]
        verbose_name = _("quality check")
        verbose_name_plural = _("quality checks")

    def __str__(self) -> str:
        return f"{self.resource} {self.badge}"


class PortalSync(models.Model):
    """The dataset's copy on the national portal (data.gov.tw, v2 API): its datasetId there and how
    the last push went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SYNCED = "synced", _("Synchronised")
        FAILED = "failed", _("Failed")
        REMOVED = "removed", _("Removed from the portal")

    dataset = models.OneToOneField(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="portal_sync"
    )
    portal_id = models.CharField(_("portal dataset ID"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    last_action = models.CharField(_("last action"), max_length=10, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    synced_at = models.DateTimeField(_("last synchronised"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal synchronisation")
        verbose_name_plural = _("portal synchronisations")

    def __str__(self) -> str:
        return f"{self.dataset} {self.status}"


class ResponseRule(DatedRuleSet):
    """How long an agency has to answer a comment or a data request (回復期限), and when it is
    reminded: a dated version, applied by the version in force on the day of the submission."""

    response_days = models.PositiveSmallIntegerField(
        _("days to answer"), validators=[MinValueValidator(1)], default=7
    )
    remind_days_before = models.PositiveSmallIntegerField(_("reminder days before the deadline"), default=2)

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("response deadline rule")
        verbose_name_plural = _("response deadline rules")

    def __str__(self) -> str:
        return _("Response rule from %(date)s") % {"date": roc_date(self.effective_from)}


class Feedback(models.Model):
    """Users' voice (我有話要說 / 我想要更多): a comment on a dataset or a data request (資料需求)
    to an agency, its moderation by RDEC and the agency's answer, with a response deadline."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        REQUEST = "request", _("Data request")

    class Topic(models.TextChoices):
        CONTENT = "content", _("Wrong or missing data")
        DOWNLOAD = "download", _("Cannot download")
        ENCODING = "encoding", _("Wrong encoding")
        CONTACT = "contact", _("Contact details wrong")
        UPDATE = "update", _("Not updated")
        NEW_DATA = "new_data", _("New data wanted")
        OTHER = "other", _("Other")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        HIDDEN = "hidden", _("Hidden")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    dataset = models.ForeignKey(
        Dataset,
        verbose_name=_("dataset"),
        on_delete=models.CASCADE,
        related_name="feedback",
        null=True,
        blank=True,
    )
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("agency to answer"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=10, choices=Topic.choices, default=Topic.OTHER)
    title = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    due_on = models.DateField(_("answer due by"))
    moderation = models.CharField(
        _("review"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    moderation_note = models.CharField(_("review note"), max_length=300, blank=True)
    answer = models.TextField(_("agency's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    overdue_notice_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("comment or data request")
        verbose_name_plural = _("comments and data requests")
        indexes = [
            models.Index(fields=["agency", "answered_at"]),
            models.Index(fields=["kind", "moderation"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_overdue(self) -> bool:
        """Unanswered past its deadline, or answered after it (逾期)."""
        if self.answered_at is not None:
            return timezone.localdate(self.answered_at) > self.due_on
        return timezone.localdate() > self.due_on

    @property
    def response_days(self) -> int | None:
        if self.answered_at is None:
            return None
        return (timezone.localdate(self.answered_at) - timezone.localdate(self.created_at)).days


class QualitySnapshot(models.Model):
    """An agency's published datasets by badge on a day (taken by the nightly run), for the quality
    dashboard's trends."""

    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("providing agency"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("date"))
    gold = models.PositiveIntegerField(_("Gold"), default=0)
    silver = models.PositiveIntegerField(_("Silver"), default=0)
    bronze = models.PositiveIntegerField(_("Bronze"), default=0)
    none = models.PositiveIntegerField(_("No badge"), default=0)
    overdue = models.PositiveIntegerField(_("update overdue"), default=0)

    class Meta:
        ordering = ["agency", "-day"]
        verbose_name = _("quality snapshot")
        verbose_name_plural = _("quality snapshots")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="opendata_snapshot_unique")]

    def __str__(self) -> str:
        return f"{self.agency} {self.day}"

    @property
    def total(self) -> int:
        return self.gold + self.silver + self.bronze + self.none

    @property
    def gold_pct(self) -> float | None:
        return round(100 * self.gold / self.total, 1) if self.total else None
