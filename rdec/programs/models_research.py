"""跨域委託研究 (commissioned cross-domain research, issue 18 item 5; research §2.4).

A `TopicProposal` (from an agency, a youth committee member or a university) is checked against the
city's own report archive of the last 4 years; a `Project` (the commissioned study) carries its GRB
registration deadlines; `Deliverable`s are its 期初/期中/期末 reports; a `Report` is the library's
entry (public, or restricted under 政府資訊公開法 Art. 18 with its reason); each `Recommendation` has a
responsible agency and one `Adoption` record (採行/部分採行/不採行), and an adopted one is followed
up as a tracked item (列管) of the tracking module. The deadlines are in `ResearchRule`, a dated rule
set (unconfirmed defaults)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rdec.core.rules import DatedRuleSet
from rdec.core.textsearch import pairs_text

__all__ = [
    "Adoption",
    "Deliverable",
    "Project",
    "Recommendation",
    "Report",
    "ResearchRule",
    "TopicProposal",
]


class ResearchRule(DatedRuleSet):
    """The research programme's deadlines (calendar days; research §2.4 [I]: unconfirmed)."""

    grb_registration_days = models.PositiveSmallIntegerField(
        _("days after signing to register the project in GRB"), default=3
    )
    agency_confirmation_days = models.PositiveSmallIntegerField(
        _("days after the GRB registration for the agency to confirm it"), default=7
    )
    duplicate_window_years = models.PositiveSmallIntegerField(
        _("years of the archive a topic is checked against"), default=4
    )
    duplicate_similarity = models.DecimalField(
        _("text similarity from which a report is a possible duplicate"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        help_text=_("Dice coefficient of the character pairs, from 0 to 1."),
    )
    follow_up_months = models.PositiveSmallIntegerField(
        _("months after a report's acceptance to decide on its recommendations"), default=3
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("research rule")
        verbose_name_plural = _("research rules")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.grb_registration_days} / {self.agency_confirmation_days}"

    def grb_due(self, signed_on: datetime.date) -> datetime.date:
        return signed_on + datetime.timedelta(days=self.grb_registration_days)

    def confirmation_due(self, registered_on: datetime.date) -> datetime.date:
        return registered_on + datetime.timedelta(days=self.agency_confirmation_days)

    def follow_up_due(self, accepted_on: datetime.date) -> datetime.date:
        return accepted_on + relativedelta(months=self.follow_up_months)


class TopicProposal(models.Model):
    class ProposerKind(models.TextChoices):
        AGENCY = "agency", _("City agency")
        YOUTH = "youth", _("Youth committee member")
        UNIVERSITY = "university", _("University")

    class Kind(models.TextChoices):
        """What the study is. Only policy research may be commissioned; the rest are excluded by the
        city's 委託研究計畫作業要點 (they are bought or run otherwise)."""

        RESEARCH = "research", _("Research for service improvement or policy making")
        SOFTWARE = "software", _("Software development")
        FILM = "film", _("Films and videos")
        PUBLICATION = "publication", _("Publications")
        ENGINEERING = "engineering", _("Engineering design or feasibility study")
        SEMINAR = "seminar", _("Seminars and conferences")
        EQUIPMENT = "equipment", _("Equipment purchase")
        TESTING = "testing", _("Testing and inspection")
        TRAINING = "training", _("Training")
        PROMOTION = "promotion", _("Promotion and publicity")
        STATISTICAL_SURVEY = "statistical_survey", _("Statistical survey")
        OPINION_POLL = "opinion_poll", _("Opinion poll")
        MONITORING = "monitoring", _("Monitoring")
        LAND_SURVEY = "land_survey", _("Land survey")

    proposer_kind = models.CharField(_("proposed by"), max_length=12, choices=ProposerKind.choices)
    agency = models.ForeignKey(
        "core.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The proposing agency (for a proposal from an agency)."),
    )
    proposer = models.CharField(
        _("proposer"), max_length=200, blank=True, help_text=_("The university or the committee.")
    )
    title = models.CharField(_("title"), max_length=200)
    background = models.TextField(_("background"))
    aims = models.TextField(_("aims"))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    kind = models.CharField(_("kind of study"), max_length=20, choices=Kind.choices)
    proposed_on = models.DateField(_("proposed on"))
    duplicates = models.JSONField(_("possible duplicates"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        verbose_name = _("research topic proposal")
        verbose_name_plural = _("research topic proposals")

    def __str__(self) -> str:
        return self.title


class Project(models.Model):
    topic = models.ForeignKey(
        TopicProposal,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=200)
    lead_agency = models.ForeignKey(
        "core.Agency", verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="+"
    )
    tender = models.ForeignKey(
        "tenders.Tender",
        verbose_name=_("tender"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contractor = models.CharField(_("contractor"), max_length=200)
    pi_role = models.CharField(
        _("principal investigator (public title)"),
        max_length=200,
        blank=True,
        help_text=_("The office held, e.g. 國立中興大學公共行政學系教授; no personal data."),
    )
    budget = models.DecimalField(_("budget (NT$)"), max_digits=12, decimal_places=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    signed_on = models.DateField(_("signed on"))
    topic_published_on = models.DateField(_("topic published on"), null=True, blank=True)
    grb_id = models.CharField(_("GRB id"), max_length=40, blank=True)
    grb_registered_on = models.DateField(_("registered in GRB on"), null=True, blank=True)
    agency_confirmed_on = models.DateField(_("agency confirmed the GRB entry on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("commissioned research project")
        verbose_name_plural = _("commissioned research projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="programs_research_period"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Deliverable(models.Model):
    class Stage(models.TextChoices):
        INITIAL = "initial", _("Inception report (期初)")
        MIDTERM = "midterm", _("Mid-term report (期中)")
        FINAL = "final", _("Final report (期末)")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deliverables")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    due_on = models.DateField(_("due on"))
    review_meeting_on = models.DateField(_("review meeting on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "due_on"]
        verbose_name = _("research deliverable")
        verbose_name_plural = _("research deliverables")
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="programs_deliverable_stage")
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_stage_display()}"

    def overdue_on(self, day: datetime.date) -> bool:
        return self.accepted_on is None and day > self.due_on


class Report(models.Model):
    """A research report of the city's library (政府資訊公開法 Art. 7(1)(5): proactively disclosed,
    unless restricted under Art. 18 with its reason)."""

    class Access(models.TextChoices):
        PUBLIC = "public", _("Public")
        RESTRICTED = "restricted", _("Restricted (Art. 18)")

    PAIRS_FROM = ("title", "abstract_zh", "abstract_en", "keywords", "full_text")

    project = models.OneToOneField(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report",
    )
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    abstract_zh = models.TextField(_("abstract (Chinese)"), blank=True)
    abstract_en = models.TextField(_("abstract (English)"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    full_text = models.TextField(_("full text"), blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    access = models.CharField(_("access"), max_length=12, choices=Access.choices, default=Access.PUBLIC)
    restriction_item = models.PositiveSmallIntegerField(
        _("Art. 18 para 1 item"),
        null=True,
        blank=True,
        choices=[(i, str(i)) for i in range(1, 10)],
    )
    restriction_reason = models.TextField(_("reason for the restriction"), blank=True)
    search_pairs = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_pairs = pairs_text(*(getattr(self, f) for f in self.PAIRS_FROM))
        fields = kwargs.get("update_fields")
        if fields is not None and "search_pairs" not in fields and set(fields) & set(self.PAIRS_FROM):
            kwargs["update_fields"] = [*fields, "search_pairs"]
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.access == self.Access.PUBLIC


class Recommendation(models.Model):
    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately feasible")
        MID_LONG = "mid_long", _("Medium to long term")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("research recommendation")
        verbose_name_plural = _("research recommendations")

    def __str__(self) -> str:
        return self.text[:60]


class Adoption(models.Model):
    class Decision(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        PARTIAL = "partial", _("Partially adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    recommendation = models.OneToOneField(Recommendation, on_delete=models.CASCADE, related_name="adoption")
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    action = models.TextField(_("action"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tracked_item = models.ForeignKey(
        "tracking.Item",
        verbose_name=_("tracked item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("adoption of a recommendation")
        verbose_name_plural = _("adoptions of recommendations")

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.get_decision_display()}"
