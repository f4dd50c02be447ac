"""民意調查 (issue 19; research §3.6): a Survey with its questionnaire, its fieldwork cases (no phone
numbers), the population targets it is raked to, and the record of each weighting run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The eleven items AAPOR's Code (2021) §III.A and its Transparency Initiative require of every
# published poll (research §3.3): field name → label.
DISCLOSURE_FIELDS = {
    "disclosure_data_collection": _("Data collection strategy"),
    "disclosure_sponsor": _("Sponsor, conductor and funder"),
    "disclosure_wording": _("Exact wording, options and preceding context"),
    "disclosure_population": _("Population studied"),
    "disclosure_sample": _("Sample generation, recruitment and frame coverage"),
    "disclosure_modes": _("Modes of data collection"),
    "disclosure_dates": _("Dates of data collection"),
    "disclosure_sample_sizes": _("Sample sizes per frame and precision"),
    "disclosure_weighting": _("Weighting"),
    "disclosure_processing": _("Data processing and quality checks"),
    "disclosure_limitations": _("Limitations"),
}


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FIELDING = "fielding", _("Fielding")
        WEIGHTING = "weighting", _("Weighting")
        REPORTED = "reported", _("Reported")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    sponsor = models.ForeignKey(
        "core.Agency",
        verbose_name=_("sponsor agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polls",
    )
    contractor = models.CharField(_("contractor"), max_length=200, blank=True)
    procurement = models.CharField(
        _("procurement"),
        max_length=300,
        blank=True,
        help_text=_("The tender's case number or its link on the procurement site."),
    )
    target_population = models.CharField(
        _("target population"), max_length=200, blank=True, help_text=_("e.g. 設籍本市年滿18歲")
    )
    frames = models.CharField(_("sampling frames"), max_length=200, blank=True)
    modes = models.CharField(_("modes"), max_length=200, blank=True)
    field_start = models.DateField(_("fieldwork starts"), null=True, blank=True)
    field_end = models.DateField(_("fieldwork ends"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    series = models.CharField(
        _("series"),
        max_length=200,
        blank=True,
        help_text=_("Polls of the same series are compared wave by wave, e.g. 市政滿意度調查."),
    )
    wave = models.PositiveIntegerField(
        _("wave"),
        null=True,
        blank=True,
        help_text=_(
            "The poll's number in its series (1, 2, …); without it, the fieldwork dates give the order."
        ),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # the open data catalog's dataset of the published poll (microdata and frequency tables): made on
    # the first publication, brought up to date (new resource versions) on each republication
    dataset = models.ForeignKey(
        "opendata.Dataset",
        verbose_name=_("open dataset"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # the contractor's API key: it may upload this poll's fieldwork file (POST …/responses/), nothing else
    contractor_key = models.OneToOneField(
        "core.APIKey",
        verbose_name=_("contractor's API key"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="poll",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    disclosure_data_collection = models.TextField(DISCLOSURE_FIELDS["disclosure_data_collection"], blank=True)
    disclosure_sponsor = models.TextField(DISCLOSURE_FIELDS["disclosure_sponsor"], blank=True)
    disclosure_wording = models.TextField(DISCLOSURE_FIELDS["disclosure_wording"], blank=True)
    disclosure_population = models.TextField(DISCLOSURE_FIELDS["disclosure_population"], blank=True)
    disclosure_sample = models.TextField(DISCLOSURE_FIELDS["disclosure_sample"], blank=True)
    disclosure_modes = models.TextField(DISCLOSURE_FIELDS["disclosure_modes"], blank=True)
    disclosure_dates = models.TextField(DISCLOSURE_FIELDS["disclosure_dates"], blank=True)
    disclosure_sample_sizes = models.TextField(DISCLOSURE_FIELDS["disclosure_sample_sizes"], blank=True)
    disclosure_weighting = models.TextField(DISCLOSURE_FIELDS["disclosure_weighting"], blank=True)
    disclosure_processing = models.TextField(DISCLOSURE_FIELDS["disclosure_processing"], blank=True)
    disclosure_limitations = models.TextField(DISCLOSURE_FIELDS["disclosure_limitations"], blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("opinion poll")
        verbose_name_plural = _("opinion polls")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def missing_disclosure(self) -> list[str]:
        """The disclosure items still empty (field names)."""
        return [name for name in DISCLOSURE_FIELDS if not str(getattr(self, name) or "").strip()]


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=40)
    wording = models.TextField(_("exact wording"), blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True, help_text=_("answer code → label"))
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("questionnaire version"), default=1)
    filter = models.JSONField(
        _("filter"),
        default=dict,
        blank=True,
        help_text=_("Skip logic: asked only if the question `question` was answered with one of `codes`."),
    )

    class Meta:
        ordering = ["survey", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="polls_question_code_unique")]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.code

    @property
    def filter_question(self) -> str:
        return str((self.filter or {}).get("question", ""))

    @property
    def filter_codes(self) -> list[str]:
        return [str(c) for c in (self.filter or {}).get("codes", [])]

    def opens_for(self, answers: dict) -> bool:
        """Whether the filter opens this question for a case with these answers (no filter: always)."""
        if not self.filter_question:
            return True
        return str(answers.get(self.filter_question, "")) in self.filter_codes


class Case(models.Model):
    """One sampled case of the fieldwork file. Never a phone number: the import drops such columns."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="cases")
    case_id = models.CharField(_("case id"), max_length=60)
    frame = models.CharField(_("frame"), max_length=40, blank=True)
    district = models.CharField(_("district"), max_length=20, blank=True)
    disposition = models.CharField(_("AAPOR disposition code"), max_length=10)
    outcome = models.CharField(_("AAPOR outcome group"), max_length=2)
    sex = models.CharField(_("sex"), max_length=20, blank=True)
    age_band = models.CharField(_("age band"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=40, blank=True)
    extra = models.JSONField(_("other weighting variables"), default=dict, blank=True)
    base_weight = models.FloatField(_("base weight"), null=True, blank=True)
    weight = models.FloatField(_("weight"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    class Meta:
        ordering = ["survey", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "case_id"], name="polls_case_id_unique")]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.case_id

    @property
    def is_complete(self) -> bool:
        return self.outcome == "I"

    def value(self, variable: str) -> str:
        """The case's category of a weighting variable (a column of the fieldwork file)."""
        if variable in ("frame", "district", "sex", "age_band", "education"):
            return getattr(self, variable)
        return str(self.extra.get(variable, ""))


class Target(models.Model):
    """A population share a survey is raked to (e.g. sex=女 0.512), with its vintage and source."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="targets")
    variable = models.CharField(_("variable"), max_length=40)
    category = models.CharField(_("category"), max_length=60)
    share = models.FloatField(_("share"))
    vintage = models.CharField(_("vintage"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["survey", "variable", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "variable", "category"], name="polls_target_unique")
        ]
        verbose_name = _("weighting target")
        verbose_name_plural = _("weighting targets")

    def __str__(self) -> str:
        return f"{self.variable}={self.category}"


class WeightingRun(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="weighting_runs")
    parameters = models.JSONField(_("parameters"), default=dict)
    iterations = models.PositiveIntegerField(_("iterations"), default=0)
    converged = models.BooleanField(_("converged"), default=False)
    deff = models.FloatField(_("design effect"))
    n_eff = models.FloatField(_("effective sample size"))
    n = models.PositiveIntegerField(_("completes weighted"), default=0)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)

    class Meta:
        ordering = ["-run_at", "-pk"]
        get_latest_by = "run_at"
        verbose_name = _("weighting run")
        verbose_name_plural = _("weighting runs")

    def __str__(self) -> str:
        return f"{self.survey} {self.run_at:%Y-%m-%d %H:%M}"
