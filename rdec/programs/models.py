"""The calls-and-review engine the RDEC's four programmes share (issue 18, item 1).

A `Call` (a window, themes, eligibility, required documents) has a versioned `Rubric` of `Criterion`
rows whose weights sum to 100; `Submission`s (an organisation with its 統一編號) are screened for
eligibility, then reviewed in `ReviewRound`s (written, then panel) by assigned reviewers
(`Assignment`, with a conflict-of-interest declaration); each `Score` row belongs to one criterion of
one rubric version, so changing the rubric after scoring never rescores an old review. The arithmetic
is in `rdec.programs.scoring`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    FIELD_VALIDATION = "field_validation", _("Smart-city field validation (場域驗證)")
    INNOVATION = "innovation", _("Administrative simplification and innovation (簡政創新)")
    REVITALISATION = "revitalisation", _("Regional revitalisation (地方創生)")
    RESEARCH = "research", _("Commissioned cross-domain research (跨域委託研究)")


class Call(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open (by its window)")
        PUBLISHED = "published", _("Results published")

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    opens = models.DateTimeField(_("opens"))
    closes = models.DateTimeField(_("closes"))
    themes = models.JSONField(_("themes"), default=list, blank=True)
    eligibility = models.TextField(_("eligibility"), blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    tie_break = models.CharField(_("tie-break criterion"), max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-opens", "slug"]
        verbose_name = _("programme call")
        verbose_name_plural = _("programme calls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="programs_call_window"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_at(self, moment: datetime.datetime) -> bool:
        """Open from `opens` to `closes`, both included."""
        return self.opens <= moment <= self.closes


class Rubric(models.Model):
    """One version of a call's rubric. The newest version is the one in use; versions with scores
    are never changed (a change makes a new version)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="rubrics")
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["call", "version"]
        verbose_name = _("review rubric")
        verbose_name_plural = _("review rubrics")
        constraints = [models.UniqueConstraint(fields=["call", "version"], name="programs_rubric_version")]

    def __str__(self) -> str:
        return f"{self.call.slug} v{self.version}"


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["rubric", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="programs_criterion_code")]

    def __str__(self) -> str:
        return f"{self.code} ({self.weight})"


tax_id_validator = RegexValidator(r"^[0-9]{8}\Z", _("Enter the 8 digits of the 統一編號."), code="invalid")


class Submission(models.Model):
    class Eligibility(models.TextChoices):
        PENDING = "pending", _("Not screened yet")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Not eligible")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not decided")
        SELECTED = "selected", _("Selected")
        REFUSED = "refused", _("Refused")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="submissions")
    reference = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    tax_id = models.CharField(_("統一編號"), max_length=8, validators=[tax_id_validator])
    team = models.TextField(_("team"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    eligibility = models.CharField(
        _("eligibility"), max_length=12, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    eligibility_reasons = models.TextField(_("eligibility reasons"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["call", "submitted_at", "reference"]
        verbose_name = _("call submission")
        verbose_name_plural = _("call submissions")
        constraints = [
            models.UniqueConstraint(fields=["call", "reference"], name="programs_submission_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class ReviewRound(models.Model):
    class Kind(models.TextChoices):
        WRITTEN = "written", _("Written review")
        PANEL = "panel", _("Panel or field-team review")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["call", "id"]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        constraints = [models.UniqueConstraint(fields=["call", "kind"], name="programs_round_kind")]

    def __str__(self) -> str:
        return f"{self.call.slug} {self.kind}"


class Assignment(models.Model):
    """A reviewer assigned to one submission in one round, with their conflict declaration."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignments")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    conflict = models.BooleanField(_("conflict of interest declared"), default=False)
    conflict_note = models.TextField(_("conflict note"), blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        ordering = ["round", "submission", "id"]
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submission", "reviewer"], name="programs_assignment_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} / {self.reviewer_id} ({self.round_id})"


class Score(models.Model):
    """One reviewer's score on one criterion; the criterion belongs to the rubric version in use when
    the score was given, and keeps it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["assignment", "criterion__position"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="programs_score_criterion"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="programs_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
