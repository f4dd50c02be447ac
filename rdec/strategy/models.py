"""The strategy cycle (12大施政發展策略管考): core values → strategies → action plans → targets
(KPIs, one row per plan, indicator and year) → quarterly reports in reporting windows the RDEC
opens and closes; target change requests; the editable traffic-light thresholds."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core.models import Agency
from rdec.core.rules import DatedRuleSet


class CoreValue(models.Model):
    """核心價值 (the seed: 8大核心價值). Names are editable; the bundled file leaves them to be filled."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("core value")
        verbose_name_plural = _("core values")

    def __str__(self) -> str:
        return self.name


class Strategy(models.Model):
    """施政發展策略, numbered 1–12: the first number of an action plan's code (10-1-3 → 10)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    core_value = models.ForeignKey(
        CoreValue,
        verbose_name=_("core value"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="strategies",
    )
    name_confirmed = models.BooleanField(
        _("name confirmed"),
        default=False,
        help_text=_("Unticked while the name is a placeholder waiting for the RDEC's confirmation."),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("development strategy")
        verbose_name_plural = _("development strategies")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class ActionPlan(models.Model):
    """行動方案 (行動計畫), e.g. 10-1-3 政府開放資料, with its owner (主辦) and co-agencies (協辦)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.PROTECT, related_name="plans"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("owner agency"), on_delete=models.PROTECT, related_name="strategy_plans"
    )
    co_agencies = models.ManyToManyField(
        Agency, verbose_name=_("co-agencies"), blank=True, related_name="strategy_co_plans"
    )
    description = models.TextField(_("plan description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_key = models.CharField(max_length=40, editable=False, db_index=True, default="")

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.sort_key = self.sort_key_for(self.code)
        if kwargs.get("update_fields") is not None and "code" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key"}
        super().save(*args, **kwargs)

    @staticmethod
    def sort_key_for(code: str) -> str:
        """10-1-3 → 010.001.003 so that 2-1-1 sorts before 10-1-1."""
        return ".".join(part.zfill(3) if part.isdigit() else part for part in code.split("-"))


class Target(models.Model):
    """A KPI (衡量指標) of an action plan for one year, with its annual target value (年度目標值).
    The same indicator in other years shares `key`: that is the KPI's history."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class ValueType(models.TextChoices):
        # Translators: 累計值 — the agency reports the running total since 1 January
        CUMULATIVE = "cumulative", _("Year-to-date total (cumulative)")
        # Translators: 當季值 — the agency reports the quarter's own figure; the year sums them
        PERIOD = "period", _("Quarter's own value (summed over the year)")
        # Translators: 時點值 — e.g. a total stock or a rate at the end of the quarter
        LEVEL = "level", _("Value at the end of the quarter (a stock or a rate)")

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    key = models.SlugField(_("indicator key"), max_length=60)
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    annual_target = models.DecimalField(_("annual target"), max_digits=14, decimal_places=2)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    value_type = models.CharField(
        _("reported value"), max_length=12, choices=ValueType.choices, default=ValueType.CUMULATIVE
    )
    milestone_q1 = models.DecimalField(
        _("Q1 milestone"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    milestone_q2 = models.DecimalField(
        _("Q2 milestone"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    milestone_q3 = models.DecimalField(
        _("Q3 milestone"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    formula = models.TextField(_("formula"), blank=True)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    live_source = models.CharField(_("live source"), max_length=80, blank=True)
    source = models.CharField(_("stated in"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan__sort_key", "year", "sort_order", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "key"], name="strategy_target_unique_key_year"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.name} ({self.year})"

    def milestone(self, quarter: int):
        return {1: self.milestone_q1, 2: self.milestone_q2, 3: self.milestone_q3}.get(quarter)


class ReportingWindow(models.Model):
    """The period in which agencies report one quarter's values (填報期間). The RDEC opens it with
    dates and closes it; a report after the closing date or after closing is refused."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("reporting window")
        verbose_name_plural = _("reporting windows")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="strategy_window_unique_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="strategy_window_quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def period(self) -> str:
        """2026-Q2: the machine form (API, file names, data attributes)."""
        return f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        """115 年第 2 季: the quarter as people read it (Q2 2026 in English)."""
        from rdec.core.dates import quarter_label

        return quarter_label(self.year, self.quarter)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def state(self, today: datetime.date | None = None) -> str:
        """scheduled (not yet open), open, late (past its closing date, not closed yet), closed."""
        today = today or timezone.localdate()
        if self.closed_at is not None:
            return "closed"
        if today < self.opens_on:
            return "scheduled"
        if today > self.closes_on:
            return "late"
        return "open"

    def is_open(self, today: datetime.date | None = None) -> bool:
        return self.state(today) == "open"


class QuarterlyReport(models.Model):
    """One target's value for one quarter, with the agency's narrative (辦理情形). What the value
    means (year-to-date, the quarter's own, or the value at the quarter's end) is the target's
    `value_type`."""

    class Origin(models.TextChoices):
        TYPED = "typed", _("Reported by the agency")
        LIVE = "live", _("Live count")

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="reports"
    )
    window = models.ForeignKey(
        ReportingWindow, verbose_name=_("reporting window"), on_delete=models.PROTECT, related_name="reports"
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    narrative = models.TextField(_("progress narrative"), blank=True)
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, default=Origin.TYPED)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ["target", "quarter"]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        constraints = [
            models.UniqueConstraint(fields=["target", "quarter"], name="strategy_report_unique_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.target} Q{self.quarter}: {self.value}"


class TargetChangeRequest(models.Model):
    """A request to change an annual target. Loosening it (lower for higher-is-better, higher for
    lower-is-better) needs an analysis of why it was missed and a response strategy, and the RDEC's
    approval (施政績效管理要點); tightening it is applied at once. Every request is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the RDEC")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="change_requests"
    )
    old_value = models.DecimalField(_("current target"), max_digits=14, decimal_places=2)
    new_value = models.DecimalField(_("proposed target"), max_digits=14, decimal_places=2)
    justification = models.TextField(_("why the target cannot be met"), blank=True)
    response_strategy = models.TextField(_("response strategy"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("RDEC's comment"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("target change request")
        verbose_name_plural = _("target change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["target"], condition=models.Q(status="pending"), name="strategy_one_pending_change"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.old_value} → {self.new_value}"

    @property
    def is_loosening(self) -> bool:
        if self.target.direction == Target.Direction.LOWER:
            return self.new_value > self.old_value
        return self.new_value < self.old_value


class LightRule(DatedRuleSet):
    """Traffic-light thresholds (燈號門檻) in force from a date. The default 100 % / 80 % is NOT
    confirmed by the RDEC: edit it here (a new row from a new date keeps the old quarters' lights)."""

    green_from = models.DecimalField(_("green from (%)"), max_digits=6, decimal_places=2, default=100)
    yellow_from = models.DecimalField(_("yellow from (%)"), max_digits=6, decimal_places=2, default=80)

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("traffic-light rule")
        verbose_name_plural = _("traffic-light rules")

    def __str__(self) -> str:
        return f"{self.effective_from}: ≥{self.green_from} / ≥{self.yellow_from}"


# --- 一般性補助款基本設施補助計畫 (subsidy projects) ------------------------------------------------------


class SubsidyCycle(models.Model):
    """One year of 一般性補助款基本設施補助計畫 control, with the seed's dates: proposals collected from
    late November of the year before, the selection meeting by the end of January, checkpoints and
    the budget schedule set by the end of March, monthly reports by the 7th. Every date is editable."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    proposals_open_on = models.DateField(_("proposals open on"))
    proposals_due_on = models.DateField(_("proposals due on"))
    review_meeting_by = models.DateField(_("selection meeting by"))
    review_meeting_on = models.DateField(_("selection meeting held on"), null=True, blank=True)
    schedule_due_by = models.DateField(_("checkpoints and budget schedule due by"))
    report_day = models.PositiveSmallIntegerField(_("monthly report due on day"), default=7)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("subsidy cycle")
        verbose_name_plural = _("subsidy cycles")

    def __str__(self) -> str:
        return str(self.year)

    @staticmethod
    def default_dates(year: int) -> dict:
        """The seed's calendar: 11月底 proposals (opening 20 November), 1月底 selection, 3月底 schedule."""
        return {
            "proposals_open_on": datetime.date(year - 1, 11, 20),
            "proposals_due_on": datetime.date(year - 1, 11, 30),
            "review_meeting_by": datetime.date(year, 1, 31),
            "schedule_due_by": datetime.date(year, 3, 31),
        }

    def report_due_on(self, month: int) -> datetime.date:
        """The monthly report on `month` is due on the report day of the month after."""
        year, nxt = (self.year + 1, 1) if month == 12 else (self.year, month + 1)
        return datetime.date(year, nxt, min(self.report_day, 28))


class SubsidyProject(models.Model):
    """An agency's project proposed for the year's 基本設施 subsidy; selected or not at the RDEC's
    selection meeting; then scheduled (checkpoints, monthly plan) and reported monthly."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    cycle = models.ForeignKey(
        SubsidyCycle, verbose_name=_("subsidy cycle"), on_delete=models.PROTECT, related_name="projects"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="subsidy_projects"
    )
    title = models.CharField(_("project"), max_length=200)
    description = models.TextField(_("what the project does"), blank=True)
    central_subsidy = models.DecimalField(
        _("central subsidy (NT$ thousand)"), max_digits=14, decimal_places=0
    )
    city_match = models.DecimalField(
        _("city's matching funds (NT$ thousand)"), max_digits=14, decimal_places=0, default=0
    )
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    review_comment = models.TextField(_("selection comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    schedule_set_at = models.DateTimeField(_("schedule set at"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "agency__sort_order", "id"]
        verbose_name = _("subsidy project")
        verbose_name_plural = _("subsidy projects")

    def __str__(self) -> str:
        return f"{self.cycle.year} {self.title}"

    @property
    def budget(self):
        return self.central_subsidy + self.city_match


class SubsidyCheckpoint(models.Model):
    """查核點: a milestone with its planned and actual completion date."""

    project = models.ForeignKey(
        SubsidyProject,
        verbose_name=_("subsidy project"),
        on_delete=models.CASCADE,
        related_name="checkpoints",
    )
    name = models.CharField(_("checkpoint"), max_length=200)
    planned_on = models.DateField(_("planned completion"))
    done_on = models.DateField(_("actual completion"), null=True, blank=True)

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return self.name


class SubsidyMonth(models.Model):
    """One month of a project: the plan (cumulative progress % and spending, set with the schedule)
    and the agency's report (cumulative actual progress and spending, reasons when behind)."""

    project = models.ForeignKey(
        SubsidyProject, verbose_name=_("subsidy project"), on_delete=models.CASCADE, related_name="months"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    planned_progress = models.DecimalField(_("planned progress (%)"), max_digits=5, decimal_places=2)
    planned_spend = models.DecimalField(_("planned spending (NT$ thousand)"), max_digits=14, decimal_places=0)
    actual_progress = models.DecimalField(
        _("actual progress (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    actual_spend = models.DecimalField(
        _("actual spending (NT$ thousand)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    delay_reason = models.TextField(_("reason for delay"), blank=True)
    countermeasure = models.TextField(_("countermeasure"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    class Meta:
        ordering = ["project", "month"]
        verbose_name = _("subsidy month")
        verbose_name_plural = _("subsidy months")
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="strategy_subsidy_month_unique"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="strategy_subsidy_month_1_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month}"

    @property
    def is_reported(self) -> bool:
        return self.reported_at is not None

    @property
    def is_late(self) -> bool:
        due = self.project.cycle.report_due_on(self.month)
        if self.reported_at is None:
            return timezone.localdate() > due
        return timezone.localtime(self.reported_at).date() > due


class SubsidyPublication(models.Model):
    """A quarter's performance published on the public page (after NDC publishes its quarterly
    figures, the seed says the RDEC publishes them on its web page)."""

    cycle = models.ForeignKey(
        SubsidyCycle, verbose_name=_("subsidy cycle"), on_delete=models.CASCADE, related_name="publications"
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["cycle", "quarter"]
        verbose_name = _("subsidy publication")
        verbose_name_plural = _("subsidy publications")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "quarter"], name="strategy_subsidy_publication_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cycle.year} Q{self.quarter}"


class Reminder(models.Model):
    """A reminder to an agency shown on the platform (and e-mailed to its staff): a KPI window about
    to close or a monthly subsidy report due. `key` makes sending idempotent."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="strategy_reminders"
    )
    key = models.CharField(max_length=120, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    emailed_to = models.PositiveSmallIntegerField(_("e-mailed to"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return self.subject
