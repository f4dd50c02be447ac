"""Tenders (標案管考): the rule settings in force on a date (落後/嚴重落後 thresholds, the agency
performance threshold, the progress entry due day), tenders with their change orders and
extensions, and the monthly planned/actual progress each agency enters."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core.models import Agency

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class RuleVersion(models.Model):
    """One dated version of the tender control rules. The version in force on an event's date
    (for progress: the last day of the month reported) decides how it is classified."""

    effective_from = models.DateField(_("effective from"), unique=True)
    source_citation = models.TextField(_("source"))
    behind_pct = models.DecimalField(
        _("behind schedule from (percentage points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=PERCENT,
        help_text=_("A tender is behind schedule when planned − actual is above zero and at least this."),
    )
    serious_large_works_pct = models.DecimalField(
        _("seriously behind, large works (percentage points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT,
    )
    serious_other_pct = models.DecimalField(
        _("seriously behind, other tenders (percentage points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        validators=PERCENT,
    )
    serious_other_min_days = models.PositiveIntegerField(
        _("seriously behind, other tenders: at least this many days behind"),
        default=10,
        help_text=_("0 turns the days condition off."),
    )
    large_works_amount = models.DecimalField(
        _("large works from (contract amount, NT$)"),
        max_digits=15,
        decimal_places=0,
        default=Decimal(200_000_000),
    )
    performance_threshold_pct = models.DecimalField(
        _("agency performance threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(90),
        validators=PERCENT,
    )
    entry_due_day = models.PositiveSmallIntegerField(
        _("progress due by this day of the next month"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("tender rule version")
        verbose_name_plural = _("tender rule versions")

    def __str__(self) -> str:
        return _("Rules from %(date)s") % {"date": self.effective_from.isoformat()}


class Tender(models.Model):
    """A tender (標案) of an agency, from planning to closing."""

    class Type(models.TextChoices):
        WORKS = "works", _("Works")
        GOODS = "goods", _("Goods")
        SERVICES = "services", _("Services")

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning and design")
        TENDERING = "tendering", _("Tendering")
        FAILED = "failed", _("No valid bids")
        CANCELLED = "cancelled", _("Tender cancelled")
        AWARDED = "awarded", _("Awarded")
        IN_PROGRESS = "in_progress", _("Under contract")
        SUSPENDED = "suspended", _("Work suspended")
        ACCEPTANCE = "acceptance", _("Acceptance")
        CLOSED = "closed", _("Closed")

    number = models.CharField(_("tender number"), max_length=60, unique=True)
    name = models.CharField(_("tender name"), max_length=300)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="tenders"
    )
    plan = models.CharField(_("plan"), max_length=200, blank=True)
    type = models.CharField(_("procurement type"), max_length=10, choices=Type.choices)
    budget_amount = models.DecimalField(
        _("budget amount"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    contract_amount = models.DecimalField(
        _("contract amount"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    contractor = models.CharField(_("contractor"), max_length=200, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    started_on = models.DateField(_("work started on"), null=True, blank=True)
    planned_completion_on = models.DateField(_("planned completion"), null=True, blank=True)
    actual_completion_on = models.DateField(_("actual completion"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    failed_count = models.PositiveSmallIntegerField(_("failed or cancelled tenders"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["number"]
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def weight(self) -> Decimal:
        """The weight of the tender in its agency's performance: the contract amount, else the budget."""
        return self.contract_amount or self.budget_amount or Decimal(0)


class ChangeOrder(models.Model):
    """A change order (變更設計) with its added or deducted amount."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="change_orders"
    )
    approved_on = models.DateField(_("approved on"))
    description = models.TextField(_("description"))
    amount_change = models.DecimalField(
        _("amount added (negative: deducted)"), max_digits=15, decimal_places=0
    )

    class Meta:
        ordering = ["approved_on", "id"]
        verbose_name = _("change order")
        verbose_name_plural = _("change orders")

    def __str__(self) -> str:
        return f"{self.tender.number} {self.approved_on}"


class Extension(models.Model):
    """An extension of the contract period (展延工期) in calendar days."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="extensions"
    )
    approved_on = models.DateField(_("approved on"))
    days = models.PositiveIntegerField(_("days"))
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["approved_on", "id"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"{self.tender.number} +{self.days}"


class MonthlyProgress(models.Model):
    """The cumulative planned and actual progress of a tender at the end of a month, entered by the
    agency by the due day of the next month (PCC: the 10th)."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="progress"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    planned_pct = models.DecimalField(
        _("planned progress (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    actual_pct = models.DecimalField(
        _("actual progress (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    budget_executed = models.DecimalField(
        _("budget executed"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    reason = models.TextField(_("reason for the delay"), blank=True)
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_late = models.BooleanField(_("entered late"), default=False)

    class Meta:
        ordering = ["tender", "month"]
        verbose_name = _("monthly progress")
        verbose_name_plural = _("monthly progress")
        constraints = [models.UniqueConstraint(fields=["tender", "month"], name="tenders_progress_month")]
        indexes = [models.Index(fields=["month", "tender"])]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.month:%Y-%m}"

    @property
    def lag(self) -> Decimal:
        return self.planned_pct - self.actual_pct

    @property
    def month_end(self) -> datetime.date:
        return month_end(self.month)


def month_end(first: datetime.date) -> datetime.date:
    nxt = datetime.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


class Reminder(models.Model):
    """A reminder sent to an agency about a month's progress not yet entered: once per agency,
    month and kind ("due": before the due day; "overdue": after it)."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=10)
    tenders = models.PositiveIntegerField(_("tenders not entered"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("progress reminder")
        verbose_name_plural = _("progress reminders")
        constraints = [
            models.UniqueConstraint(fields=["agency", "month", "kind"], name="tenders_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.month:%Y-%m} {self.kind}"
