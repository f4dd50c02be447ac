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

from rdec.core.dates import roc_date
from rdec.core.models import Agency
from rdec.core.rules import DatedRuleSet

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class RuleVersion(DatedRuleSet):
    """One dated version of the tender control rules. The version in force on an event's date
    (for progress: the last day of the month reported) decides how it is classified."""

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

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("tender rule version")
        verbose_name_plural = _("tender rule versions")

    def __str__(self) -> str:
        return _("Rules from %(date)s") % {"date": roc_date(self.effective_from)}


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


# --- construction quality inspections (工程施工查核) ------------------------------------------------


class InspectionRule(DatedRuleSet):
    """One dated version of the inspection rules: the grade bands (the version in force on the
    inspection's date grades it), the yearly coverage targets (the version in force on the year's
    last day), and the thresholds the planning suggestions use."""

    grade_a_min = models.DecimalField(
        _("grade A (甲等) from score"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(80),
        validators=PERCENT,
    )
    grade_b_min = models.DecimalField(
        _("grade B (乙等) from score"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(70),
        validators=PERCENT,
    )
    coverage_pct = models.DecimalField(
        _("yearly inspections as a share of works under execution (percent)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT,
    )
    yearly_target = models.PositiveIntegerField(_("inspections in the year, at least"), default=200)
    improvement_days = models.PositiveSmallIntegerField(
        _("days given to improve deficiencies"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    planning_amount = models.DecimalField(
        _("planning: large works from (contract amount, NT$)"),
        max_digits=15,
        decimal_places=0,
        default=Decimal(50_000_000),
    )
    planning_lag_pct = models.DecimalField(
        _("planning: lagging from (percentage points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT,
    )
    planning_low_score = models.DecimalField(
        _("planning: re-inspect when the last score was under"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(75),
        validators=PERCENT,
    )
    award_min_score = models.DecimalField(
        _("excellent-quality award candidates from score"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(85),
        validators=PERCENT,
    )
    point_value_giant = models.DecimalField(
        _("NT$ per point, contracts at or above the giant amount"),
        max_digits=9,
        decimal_places=0,
        default=Decimal(8000),
    )
    point_value_audit = models.DecimalField(
        _("NT$ per point, contracts at or above the audit amount"),
        max_digits=9,
        decimal_places=0,
        default=Decimal(4000),
    )
    point_value_mid = models.DecimalField(
        _("NT$ per point, contracts at or above the middle amount"),
        max_digits=9,
        decimal_places=0,
        default=Decimal(2000),
    )
    point_value_small = models.DecimalField(
        _("NT$ per point, smaller contracts"), max_digits=9, decimal_places=0, default=Decimal(1000)
    )
    giant_amount = models.DecimalField(
        _("giant amount (NT$)"), max_digits=15, decimal_places=0, default=Decimal(200_000_000)
    )
    audit_amount = models.DecimalField(
        _("audit amount (NT$)"), max_digits=15, decimal_places=0, default=Decimal(50_000_000)
    )
    mid_amount = models.DecimalField(
        _("middle amount (NT$)"), max_digits=15, decimal_places=0, default=Decimal(10_000_000)
    )
    deduction_cap_pct = models.DecimalField(
        _("deductions at most this share of the contract (percent)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        validators=PERCENT,
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("inspection rule version")
        verbose_name_plural = _("inspection rule versions")

    def __str__(self) -> str:
        return _("Inspection rules from %(date)s") % {"date": roc_date(self.effective_from)}


class Deficiency(models.Model):
    """One entry of the deficiency list (缺失項目), by the code of the PCC inspection record sheet."""

    class Category(models.TextChoices):
        SYSTEM = "system", _("Quality management system")
        WORKMANSHIP = "workmanship", _("Construction quality")
        PROGRESS = "progress", _("Construction progress")
        DESIGN = "design", _("Planning and design")
        OTHER = "other", _("Safety, environment and other")

    class Party(models.TextChoices):
        AGENCY = "agency", _("Agency")
        SUPERVISOR = "supervisor", _("Site supervisor")
        CONTRACTOR = "contractor", _("Contractor")

    code = models.CharField(_("code"), max_length=20, unique=True)
    description = models.CharField(_("description"), max_length=300)
    points = models.DecimalField(_("default points"), max_digits=5, decimal_places=1, default=Decimal(1))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    party = models.CharField(_("responsible party"), max_length=20, choices=Party.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("deficiency")
        verbose_name_plural = _("deficiency list")

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class Inspection(models.Model):
    """A construction quality inspection (工程施工查核) of a works tender by an inspection group."""

    class Grade(models.TextChoices):
        A = "A", _("Grade A (甲等)")
        B = "B", _("Grade B (乙等)")
        C = "C", _("Grade C (丙等)")

    class WorkType(models.TextChoices):
        BUILDING = "building", _("Buildings")
        ROAD = "road", _("Roads")
        BRIDGE = "bridge", _("Bridges")
        WATER = "water", _("Drainage and water works")
        LANDSCAPE = "landscape", _("Parks and landscape")
        ELECTRICAL = "electrical", _("Mechanical and electrical")
        OTHER = "other", _("Other works")

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspected_on = models.DateField(_("inspected on"))
    work_type = models.CharField(
        _("work type"), max_length=20, choices=WorkType.choices, default=WorkType.OTHER
    )
    members = models.TextField(_("inspection group members"), help_text=_("One member per line."))
    progress_pct = models.DecimalField(
        _("actual progress at the inspection (percent)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, validators=PERCENT)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    strengths = models.TextField(_("strengths"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [models.Index(fields=["inspected_on"]), models.Index(fields=["tender", "inspected_on"])]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.inspected_on}"

    @property
    def member_list(self) -> list[str]:
        return [line.strip() for line in self.members.splitlines() if line.strip()]


class Finding(models.Model):
    """A deficiency found in an inspection (缺失), with the points decided at the 缺失扣點會議."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="findings"
    )
    deficiency = models.ForeignKey(
        Deficiency, verbose_name=_("deficiency"), on_delete=models.PROTECT, related_name="findings"
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    party = models.CharField(_("responsible party"), max_length=20, choices=Deficiency.Party.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["inspection", "deficiency__code", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.deficiency_id}"


def _photo_upload(instance, filename: str) -> str:
    return f"tenders/inspections/{filename}"


class InspectionPhoto(models.Model):
    """A photo taken at the inspection (JPEG or PNG, metadata stripped), optionally of one finding."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="photos"
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
    )
    file = models.FileField(_("file"), upload_to=_photo_upload, max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.file.name}"


class ImprovementReport(models.Model):
    """The improvement report (缺失改善報告) a party owes after an inspection: the deadline when the
    inspection is recorded, the report when the agency enters it. Status: 已改善 when submitted,
    逾期未改善 after the deadline, else 待改善."""

    PENDING, DONE, OVERDUE = "pending", "done", "overdue"

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="improvements"
    )
    party = models.CharField(_("responsible party"), max_length=20, choices=Deficiency.Party.choices)
    due_on = models.DateField(_("improve by"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    content = models.TextField(_("improvement"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    overdue_notice_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)

    class Meta:
        ordering = ["inspection", "party"]
        verbose_name = _("improvement report")
        verbose_name_plural = _("improvement reports")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "party"], name="tenders_improvement_party")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.party} {self.due_on}"

    def status_on(self, day: datetime.date) -> str:
        if self.submitted_on:
            return self.DONE
        return self.OVERDUE if day > self.due_on else self.PENDING

    @property
    def is_late(self) -> bool:
        return bool(self.submitted_on and self.submitted_on > self.due_on)


class Consequence(models.Model):
    """What followed a grade C (丙等) inspection: discipline of agency staff, sanction of the
    engineer, deduction of the quality-control fee, replacement of personnel, …"""

    class Kind(models.TextChoices):
        STAFF_DISCIPLINE = "staff_discipline", _("Discipline of the agency's staff")
        ENGINEER_SANCTION = "engineer_sanction", _("Sanction of the responsible engineer")
        QC_FEE_DEDUCTION = "qc_fee_deduction", _("Deduction of the quality-control fee")
        PERSONNEL_REPLACED = "personnel_replaced", _("Replacement of contractor or supervisor personnel")
        REINSPECTION = "reinspection", _("Re-inspection")
        OTHER = "other", _("Other")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="consequences"
    )
    kind = models.CharField(_("consequence"), max_length=30, choices=Kind.choices)
    decided_on = models.DateField(_("decided on"))
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["inspection", "decided_on", "id"]
        verbose_name = _("grade C consequence")
        verbose_name_plural = _("grade C consequences")

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.kind}"
