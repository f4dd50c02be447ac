"""地方創生: regional revitalisation (issue 18, item 4; research §2.3).

A `Scheme` is a central ministry's scheme (補助 subsidy or 投資 investment) in the catalogue. A
`RevitalisationProposal` is the body of an engine Submission to a revitalisation call: a 公所提案
(the district office proposes; the office is required) or a 多元徵案 (firms, associations, teams
propose directly; no office, but the district — its MOI TOWNCODE — of the place is still recorded).
It lists its proposers (事業體), vision, 創生事業, partners (CSR firms, USR university teams) and the
resources it asks of ministries (`ResourceRequest`: ministry, scheme, amount, 補助/投資). The city
screens and decides through the engine; the 國發會 working meeting (行政院地方創生會報 工作會議)
decides; the ministries' `ApprovalLine`s keep 補助 and 投資 apart; execution has milestones and
KPIs (population, jobs, visitors, revenue), rolled up by district; a closeout ends it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ApprovalLine",
    "FundingKind",
    "RevitalisationKpi",
    "RevitalisationMeasurement",
    "RevitalisationMilestone",
    "RevitalisationPartner",
    "RevitalisationProposal",
    "ResourceRequest",
    "Scheme",
]


class FundingKind(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy (補助)")
    INVESTMENT = "investment", _("Investment (投資)")


class Scheme(models.Model):
    """A central ministry's scheme that revitalisation proposals may ask resources of."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    ministry = models.CharField(_("ministry"), max_length=100)
    name = models.CharField(_("scheme"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=FundingKind.choices)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    confirmed = models.BooleanField(_("confirmed from a source"), default=False)

    class Meta:
        ordering = ["ministry", "name", "id"]
        verbose_name = _("central scheme")
        verbose_name_plural = _("central schemes")

    def __str__(self) -> str:
        return f"{self.ministry} {self.name}"


class RevitalisationProposal(models.Model):
    class Type(models.TextChoices):
        DISTRICT_OFFICE = "district_office", _("District office proposal (公所提案)")
        OPEN_CALL = "open_call", _("Open-call proposal (多元徵案)")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted to the city")
        SCREENED_OUT = "screened_out", _("Screened out by the city")
        REFUSED = "refused", _("Not forwarded by the city")
        FORWARDED = "forwarded", _("Forwarded to the working meeting")
        APPROVED = "approved", _("Approved")
        CONDITIONAL = "conditional", _("Approved with conditions")
        NOT_APPROVED = "not_approved", _("Not approved")
        DEFERRED = "deferred", _("Deferred")
        CLOSED = "closed", _("Closed out")

    class MeetingDecision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        CONDITIONAL = "conditional", _("Approved with conditions")
        NOT_APPROVED = "not_approved", _("Not approved")
        DEFERRED = "deferred", _("Deferred")

    call = models.ForeignKey(
        "programs.Call",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="revitalisation_proposals",
    )
    submission = models.OneToOneField(
        "programs.Submission",
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="revitalisation_proposal",
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    district = models.ForeignKey(
        "core.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    district_office = models.ForeignKey(
        "core.Agency",
        verbose_name=_("district office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    proposers = models.JSONField(_("proposers (事業體)"), default=list)
    vision = models.TextField(_("vision"))
    businesses = models.JSONField(_("revitalisation businesses (創生事業)"), default=list)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    meeting_date = models.DateField(_("working meeting date"), null=True, blank=True)
    meeting_decision = models.CharField(
        _("working meeting decision"), max_length=14, choices=MeetingDecision.choices, blank=True
    )
    meeting_reason = models.TextField(_("reason or conditions"), blank=True)
    closed_on = models.DateField(_("closed out on"), null=True, blank=True)
    closeout_summary = models.TextField(_("closeout summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("revitalisation proposal")
        verbose_name_plural = _("revitalisation proposals")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(type="district_office", district_office__isnull=True),
                name="programs_revitalisation_office",
            )
        ]

    def __str__(self) -> str:
        return self.title


class RevitalisationPartner(models.Model):
    class Kind(models.TextChoices):
        CSR = "csr", _("CSR firm")
        USR = "usr", _("USR university team")
        OTHER = "other", _("Other partner")

    proposal = models.ForeignKey(RevitalisationProposal, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["proposal", "kind", "id"]
        verbose_name = _("revitalisation partner")
        verbose_name_plural = _("revitalisation partners")

    def __str__(self) -> str:
        return self.name


class _AmountLine(models.Model):
    ministry = models.CharField(_("ministry"), max_length=100)
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(
        _("amount (NT$)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(1)]
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FundingKind.choices)

    class Meta:
        abstract = True


class ResourceRequest(_AmountLine):
    """A resource the proposal asks of a ministry."""

    proposal = models.ForeignKey(
        RevitalisationProposal, on_delete=models.CASCADE, related_name="requested_resources"
    )

    class Meta:
        ordering = ["proposal", "id"]
        verbose_name = _("requested resource")
        verbose_name_plural = _("requested resources")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="programs_resource_request_amount")
        ]

    def __str__(self) -> str:
        return f"{self.ministry} {self.amount} {self.get_kind_display()}"


class ApprovalLine(_AmountLine):
    """What one ministry approved after the working meeting: an amount of one kind (補助 or 投資
    stay separate lines, never merged)."""

    proposal = models.ForeignKey(RevitalisationProposal, on_delete=models.CASCADE, related_name="approvals")
    approved_on = models.DateField(_("approved on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["proposal", "id"]
        verbose_name = _("approval line")
        verbose_name_plural = _("approval lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="programs_approval_line_amount")
        ]

    def __str__(self) -> str:
        return f"{self.ministry} {self.amount} {self.get_kind_display()}"


class RevitalisationMilestone(models.Model):
    proposal = models.ForeignKey(RevitalisationProposal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "due_on", "id"]
        verbose_name = _("revitalisation milestone")
        verbose_name_plural = _("revitalisation milestones")

    def __str__(self) -> str:
        return self.title


class RevitalisationKpi(models.Model):
    """One of the four indicators of a proposal, with its baseline and target."""

    class Indicator(models.TextChoices):
        POPULATION = "population", _("Population (人口)")
        JOBS = "jobs", _("Jobs (就業)")
        VISITORS = "visitors", _("Visitors (觀光人次)")
        REVENUE = "revenue", _("Revenue (營收, NT$)")

    proposal = models.ForeignKey(RevitalisationProposal, on_delete=models.CASCADE, related_name="kpis")
    indicator = models.CharField(_("indicator"), max_length=12, choices=Indicator.choices)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=0)
    target = models.DecimalField(_("target value"), max_digits=14, decimal_places=0)

    class Meta:
        ordering = ["proposal", "indicator"]
        verbose_name = _("revitalisation KPI")
        verbose_name_plural = _("revitalisation KPIs")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "indicator"], name="programs_revitalisation_kpi")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.baseline} → {self.target}"


class RevitalisationMeasurement(models.Model):
    kpi = models.ForeignKey(RevitalisationKpi, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(_("measured"), max_digits=14, decimal_places=0)
    measured_on = models.DateField(_("measured on"))

    class Meta:
        ordering = ["kpi", "measured_on", "id"]
        verbose_name = _("revitalisation KPI measurement")
        verbose_name_plural = _("revitalisation KPI measurements")

    def __str__(self) -> str:
        return f"{self.kpi_id}: {self.value} ({self.measured_on})"
