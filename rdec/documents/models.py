"""Document timeliness (公文時效管考): the dated rule settings (processing limits per speed class,
the 限期 cap in averages, the overdue-ratio threshold, the ranking day, the site-check count),
the document records imported from the document system, the import batches, the improvement
reports asked of agencies over the threshold and the agencies chosen for on-site checks.

Each document carries its counted figures (working days used, the days that go into averages,
the due date, overdue or not), computed when it is imported — or recounted after a rule or
calendar change — so that the monthly KPIs are plain SQL aggregates over millions of rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core.dates import roc_date
from rdec.core.models import Agency
from rdec.core.rules import DatedRuleSet


class RuleVersion(DatedRuleSet):
    """One dated version of the document-timeliness rules. A document's limits are those of the
    version in force on the day it was received; a month's threshold and ranking day those of the
    version in force on the month's last day."""

    most_urgent_days = models.PositiveSmallIntegerField(
        _("most urgent (最速件): working days"), default=1, validators=[MinValueValidator(1)]
    )
    urgent_days = models.PositiveSmallIntegerField(
        _("urgent (速件): working days"), default=3, validators=[MinValueValidator(1)]
    )
    ordinary_days = models.PositiveSmallIntegerField(
        _("ordinary (普通件): working days"), default=6, validators=[MinValueValidator(1)]
    )
    time_limited_cap_days = models.PositiveSmallIntegerField(
        _("time-limited (限期) documents closed in time count at most this many days in averages"),
        default=6,
        validators=[MinValueValidator(1)],
    )
    extensions_extend_limit = models.BooleanField(
        _("an approved extension moves the limit"),
        default=False,
        help_text=_("Off: a document not closed within its original limit is overdue even when extended."),
    )
    overdue_threshold_pct = models.DecimalField(
        _("overdue ratio above which an improvement report is due, in percent"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(3),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    ranking_due_day = models.PositiveSmallIntegerField(
        _("ranking published by this day of the next month"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    site_check_count = models.PositiveSmallIntegerField(
        _("agencies per group chosen for on-site checks (the year's bottom)"), default=5
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("document rule version")
        verbose_name_plural = _("document rule versions")

    def __str__(self) -> str:
        return _("Rules from %(date)s") % {"date": roc_date(self.effective_from)}

    def limit_days(self, speed: str) -> int:
        return {
            Document.Speed.MOST_URGENT: self.most_urgent_days,
            Document.Speed.URGENT: self.urgent_days,
        }.get(speed, self.ordinary_days)


class ImportBatch(models.Model):
    """One import of an export of the document system (a file, or the command)."""

    filename = models.CharField(_("file"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("documents added"), default=0)
    updated = models.PositiveIntegerField(_("documents updated"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("document import")
        verbose_name_plural = _("document imports")

    def __str__(self) -> str:
        return f"{self.filename} {self.imported_at:%Y-%m-%d %H:%M}"


class Document(models.Model):
    """One document record of the document system: received, due, closed (發文/存查) or pending."""

    class DocClass(models.TextChoices):
        GENERAL = "general", _("General documents")  # 一般公文
        COUNTERSIGN = "countersign", _("Documents received for countersignature")  # 受會公文
        APPLICATION = "application", _("Applications")  # 申請案件
        APPEAL = "appeal", _("Administrative appeal replies")  # 訴願答辯

    class Speed(models.TextChoices):
        MOST_URGENT = "most_urgent", _("Most urgent document")  # 最速件
        URGENT = "urgent", _("Urgent document")  # 速件
        ORDINARY = "ordinary", _("Ordinary document")  # 普通件
        TIME_LIMITED = "time_limited", _("Time-limited document")  # 限期

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="documents"
    )
    doc_no = models.CharField(_("document number"), max_length=40)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    doc_class = models.CharField(_("document class"), max_length=12, choices=DocClass.choices)
    speed = models.CharField(_("speed class"), max_length=12, choices=Speed.choices)
    received_on = models.DateField(_("received on"))
    deadline_on = models.DateField(
        _("deadline set by the sender"), null=True, blank=True, help_text=_("限期 documents only.")
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("days of approved extensions"), default=0)
    related_no = models.CharField(
        _("merged or related document"),
        max_length=40,
        blank=True,
        help_text=_("併辦/彙辦: the main document."),
    )
    # counted figures (rules.count_document): kept in step by the importer and by recounts
    due_on = models.DateField(_("due on"), null=True, blank=True)
    days_used = models.DecimalField(
        _("working days used"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    counted_days = models.DecimalField(
        _("days counted in averages"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    is_overdue = models.BooleanField(_("closed late"), default=False)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["agency", "doc_no"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["agency", "doc_no"], name="documents_doc_no_per_agency")
        ]
        indexes = [
            models.Index(fields=["closed_on", "agency"], name="documents_closed_agency"),
            models.Index(fields=["received_on"], name="documents_received"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_no}"

    @property
    def is_extended(self) -> bool:
        return self.extension_days > 0


class ImprovementReport(models.Model):
    """An agency over the threshold in a month submits 檢討改進措施 (and 究責); the RDEC records
    when it arrived."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    overdue_ratio = models.DecimalField(_("overdue ratio, in percent"), max_digits=6, decimal_places=2)
    requested_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    received_on = models.DateField(_("report received on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-month", "agency__sort_order"]
        verbose_name = _("improvement report")
        verbose_name_plural = _("improvement reports")
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="documents_report_once")]

    def __str__(self) -> str:
        return f"{self.agency} {self.month:%Y-%m}"


class SiteCheck(models.Model):
    """An agency chosen for an on-site document check (實地公文檢核): the bottom of the year's
    ordinary performance in its group."""

    year = models.PositiveSmallIntegerField(_("year"))
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("group"), max_length=20)
    rank = models.PositiveSmallIntegerField(_("rank in the group"))
    overdue_ratio = models.DecimalField(_("overdue ratio, in percent"), max_digits=6, decimal_places=2)
    selected_at = models.DateTimeField(_("selected at"), default=timezone.now)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "group", "-rank"]
        verbose_name = _("on-site document check")
        verbose_name_plural = _("on-site document checks")
        constraints = [models.UniqueConstraint(fields=["year", "agency"], name="documents_site_check_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.agency}"
