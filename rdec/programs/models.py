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


# --- 場域驗證: smart-city field validation (issue 18, item 2) ---------------------------------------
#
# Agencies post needs (出題) and fields (場域) in the needs survey; a Proposal is the body of an
# engine Submission to a field_validation call (the organisation, 統一編號 and the decision stay on
# the Submission); a selected proposal is matched to a field (Match), validated on it for a period
# whose end date is inclusive (Validation, with milestones, KPI measurements and incidents) and
# closed by a Result recommending scale / procure / stop, with its FollowOn (a tender or a
# commercial deployment). The date arithmetic is in rdec.programs.periods.


class Need(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("problem statement"))
    survey_year = models.PositiveSmallIntegerField(
        _("survey year"), validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-survey_year", "agency", "title"]
        verbose_name = _("field-validation need")
        verbose_name_plural = _("field-validation needs")

    def __str__(self) -> str:
        return self.title


class Field(models.Model):
    """A site (場域) an agency offers for validations: a point on the map and its address."""

    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("owner agency"), on_delete=models.PROTECT, related_name="+"
    )
    need = models.ForeignKey(
        Need, verbose_name=_("need"), null=True, blank=True, on_delete=models.SET_NULL, related_name="fields"
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    address = models.CharField(_("address"), max_length=300)
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"))
    data_offered = models.TextField(_("data offered"), blank=True)
    infrastructure_offered = models.TextField(_("infrastructure offered"), blank=True)
    constraints = models.TextField(_("constraints"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["agency", "name", "id"]
        verbose_name = _("validation field")
        verbose_name_plural = _("validation fields")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available_until__gte=models.F("available_from")),
                name="programs_field_period",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="programs_field_point",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Proposal(models.Model):
    """The field-validation body of a proposal. A draft has no submission; submitting it makes the
    engine's Submission (organisation, 統一編號, screening, review, decision)."""

    class Funding(models.TextChoices):
        SELF_FUNDED = "self_funded", _("Self-funded")
        SUBSIDISED = "subsidised", _("Subsidised")

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="proposals")
    submission = models.OneToOneField(
        Submission,
        verbose_name=_("submission"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposal",
    )
    need = models.ForeignKey(
        Need,
        verbose_name=_("need"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    theme = models.CharField(_("open theme"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    solution = models.TextField(_("solution"))
    technology = models.TextField(_("technology"))
    kpis = models.JSONField(_("KPIs"), default=list, blank=True)
    budget = models.DecimalField(
        _("budget (NT$)"), max_digits=12, decimal_places=0, validators=[MinValueValidator(0)]
    )
    funding = models.CharField(_("funding"), max_length=12, choices=Funding.choices)
    privacy_security_plan = models.TextField(_("privacy and security plan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["call", "id"]
        verbose_name = _("field-validation proposal")
        verbose_name_plural = _("field-validation proposals")
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(need__isnull=True) & models.Q(theme="")),
                name="programs_proposal_need_or_theme",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.submission_id is None


class Match(models.Model):
    """A selected proposal matched to a field; the agreement (an MOU of the transparency register
    when one is linked)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="matches"
    )
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="matches"
    )
    agreed_on = models.DateField(_("agreement date"), null=True, blank=True)
    mou = models.ForeignKey(
        "transparency.Mou",
        verbose_name=_("MOU"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("field match")
        verbose_name_plural = _("field matches")
        constraints = [models.UniqueConstraint(fields=["proposal", "field"], name="programs_match_unique")]

    def __str__(self) -> str:
        return f"{self.proposal} @ {self.field}"


class Validation(models.Model):
    """A validation on a matched field, `starts_on` to `ends_on`, both days included; its report is
    due on `ends_on` and overdue from the day after."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Validating")
        REPORTED = "reported", _("Report received")
        CLOSED = "closed", _("Closed with a result")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    match = models.OneToOneField(
        Match, verbose_name=_("match"), on_delete=models.PROTECT, related_name="validation"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on (inclusive)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    report_received_on = models.DateField(_("report received on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("field validation")
        verbose_name_plural = _("field validations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="programs_validation_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.match} {self.starts_on}–{self.ends_on}"

    @property
    def report_due_on(self) -> datetime.date:
        return self.ends_on

    def report_overdue_on(self, day: datetime.date) -> bool:
        """Overdue from the day after the due date while no report has come in."""
        return self.report_received_on is None and self.status == self.Status.RUNNING and day > self.ends_on


class Milestone(models.Model):
    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["validation", "due_on", "id"]
        verbose_name = _("validation milestone")
        verbose_name_plural = _("validation milestones")

    def __str__(self) -> str:
        return self.title


class Measurement(models.Model):
    """One KPI measurement during a validation."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="measurements")
    kpi = models.CharField(_("KPI"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    measured_on = models.DateField(_("measured on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["validation", "measured_on", "id"]
        verbose_name = _("KPI measurement")
        verbose_name_plural = _("KPI measurements")

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value}{self.unit}"


class Incident(models.Model):
    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="incidents")
    occurred_on = models.DateField(_("occurred on"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MINOR)
    description = models.TextField(_("description"))
    action_taken = models.TextField(_("action taken"), blank=True)

    class Meta:
        ordering = ["validation", "occurred_on", "id"]
        verbose_name = _("validation incident")
        verbose_name_plural = _("validation incidents")

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_severity_display()}"


class Result(models.Model):
    class Recommendation(models.TextChoices):
        SCALE = "scale", _("Scale up")
        PROCURE = "procure", _("Procure")
        STOP = "stop", _("Stop")

    validation = models.OneToOneField(
        Validation, verbose_name=_("validation"), on_delete=models.CASCADE, related_name="result"
    )
    recommendation = models.CharField(_("recommendation"), max_length=8, choices=Recommendation.choices)
    reasons = models.TextField(_("reasons"))
    kpis_achieved = models.TextField(_("KPIs achieved"), blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "id"]
        verbose_name = _("validation result")
        verbose_name_plural = _("validation results")

    def __str__(self) -> str:
        return f"{self.validation_id}: {self.recommendation}"


class FollowOn(models.Model):
    """What came after a result: a tender of the tenders module, or a commercial deployment."""

    class Kind(models.TextChoices):
        TENDER = "tender", _("Tender")
        COMMERCIAL = "commercial", _("Commercial deployment")

    result = models.ForeignKey(
        Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="follow_ons"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    tender = models.ForeignKey(
        "tenders.Tender",
        verbose_name=_("tender"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    recorded_on = models.DateField(_("recorded on"))

    class Meta:
        ordering = ["result", "recorded_on", "id"]
        verbose_name = _("follow-on")
        verbose_name_plural = _("follow-ons")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="tender", tender__isnull=False))
                | (models.Q(kind="commercial") & ~models.Q(description="")),
                name="programs_follow_on_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.result_id})"


from .models_innovation import *  # noqa: E402,F401,F403
from .models_research import *  # noqa: E402,F401,F403
from .models_revitalisation import *  # noqa: E402,F401,F403
