"""Petition analytics: the trained case router (auto-routing) and its measured accuracy; the
質量分析報告 (quality/quantity analysis report) jobs and the dated rules of their summary."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core.rules import DatedRuleSet


class RouterModel(models.Model):
    """One training of the case router: where the fitted model is kept and how well it did on
    cases held out of training. The newest active one answers route suggestions."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        ACTIVE = "active", _("In use")
        RETIRED = "retired", _("Retired")

    trained_at = models.DateTimeField(_("trained"), default=timezone.now)
    path = models.CharField(_("model file"), max_length=300)
    trained_on = models.PositiveIntegerField(_("cases trained on"))
    tested_on = models.PositiveIntegerField(_("cases held out"))
    category_top1 = models.FloatField(_("category top-1 accuracy"))
    category_top3 = models.FloatField(_("category top-3 accuracy"))
    agency_top1 = models.FloatField(_("agency top-1 accuracy"))
    agency_top3 = models.FloatField(_("agency top-3 accuracy"))
    seconds = models.FloatField(_("training time (s)"))
    confusion = models.JSONField(_("agency confusion"), default=dict, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    # versions and the promotion gate (rdec.analytics.router_versions): a retraining makes a
    # candidate; it is put in use only if not worse than the active model on the same held-out texts
    version = models.PositiveIntegerField(_("version"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    data_summary = models.JSONField(_("training data"), default=dict, blank=True)
    precision_at_coverage = models.FloatField(_("precision at coverage"), null=True, blank=True)
    coverage = models.FloatField(_("coverage"), null=True, blank=True)
    compared_with = models.ForeignKey(
        "self",
        verbose_name=_("compared with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    compared_top1 = models.FloatField(_("active model's agency top-1"), null=True, blank=True)
    compared_top3 = models.FloatField(_("active model's agency top-3"), null=True, blank=True)
    compared_precision = models.FloatField(_("active model's precision at coverage"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("promoted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    promoted_at = models.DateTimeField(_("promoted"), null=True, blank=True)

    class Meta:
        ordering = ["-trained_at"]
        verbose_name = _("case router")
        verbose_name_plural = _("case routers")

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} ({self.agency_top1:.1%})"

    def save(self, *args, **kwargs):
        if not self.version:
            self.version = (RouterModel.objects.aggregate(v=models.Max("version"))["v"] or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
        if self.active:
            # a model put in use another way (rdec train_router) retires those no longer in use
            RouterModel.objects.filter(active=False, status=self.Status.ACTIVE).update(
                status=self.Status.RETIRED
            )


class ReportRule(DatedRuleSet):
    """The thresholds the written summary of the 質量分析報告 applies, dated: a report uses the
    version in force on its period's last day. Chosen by the developers, not confirmed by the RDEC."""

    rise_pct = models.PositiveSmallIntegerField(_("rise worth mentioning, in percent"), default=20)
    min_count = models.PositiveIntegerField(_("fewest cases for a comparison"), default=20)
    drop_points = models.PositiveSmallIntegerField(
        _("drop in the on-time rate worth mentioning (points)"), default=10
    )
    fdr_pct = models.PositiveSmallIntegerField(_("false discovery rate, in percent"), default=1)
    repeat_min = models.PositiveSmallIntegerField(
        _("cases that make a repeat petitioner or place"), default=3
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("analysis report rule")
        verbose_name_plural = _("analysis report rules")

    def __str__(self) -> str:
        return f"{self.effective_from}: +{self.rise_pct} / −{self.drop_points}"


class Report(models.Model):
    """One 質量分析報告: the period and scope asked for, built by a background job whose progress
    the page polls; the figures (JSON) and the files (PDF, .xlsx, .ods) are kept."""

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    agency = models.ForeignKey(
        "core.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        "core.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress, in percent"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=list, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="analytics/reports/", blank=True)
    xlsx = models.FileField(_("Excel"), upload_to="analytics/reports/", blank=True)
    ods = models.FileField(_("ODF spreadsheet"), upload_to="analytics/reports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    seconds = models.FloatField(_("build time (s)"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("analysis report")
        verbose_name_plural = _("analysis reports")

    def __str__(self) -> str:
        return f"{self.start}–{self.end} {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.agency_id:
            return self.agency.name
        if self.district_id:
            return self.district.name
        return str(_("Whole city"))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class RoutingRule(DatedRuleSet):
    """When the case router may route alone, dated: a suggestion whose calibrated confidence is below
    `auto_route_min_pct` shows 「建議人工分案」 and the case goes to the RDEC's 分案 queue. Before any
    version is entered, the default of the model (chosen by the developers on held-out texts: about
    99 % precision at about 70 % coverage; see docs/analytics.md), not confirmed by the RDEC."""

    auto_route_min_pct = models.PositiveSmallIntegerField(
        _("least calibrated confidence to route alone, in percent"), default=90
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.effective_from}: ≥ {self.auto_route_min_pct}%"
