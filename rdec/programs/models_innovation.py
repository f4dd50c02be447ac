"""簡政創新 (administrative simplification and innovation, issue 18 item 3).

臺中市政府簡政創新實施計畫 (GL003794): the RDEC sends a `Digest` of innovation news, councillors'
questions and citizens' feedback at least once a month; each `DigestItem` goes by 函 to agencies as
`Referral`s with a due date (a cross-agency item has exactly one lead agency, the rest co-agencies);
each agency answers with an `Assessment` (adopt with measures and a schedule / partially / not adopt
with reasons); adopted and partially adopted items become tracked items (列管) of rdec.tracking.
Agencies' yearly `ProcessReform`s (行政流程改造) carry before/after measures. The year-end review of
`InnovationEntry`s runs through the engine (a Call with programme "innovation", each entry a
Submission); the RDEC gives `Award`s after the ranking.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Assessment",
    "Award",
    "Digest",
    "DigestItem",
    "InnovationEntry",
    "ProcessReform",
    "Referral",
]


class Digest(models.Model):
    """One month's digest (at least one a month); sent to the agencies on `sent_on`."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("innovation digest")
        verbose_name_plural = _("innovation digests")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="programs_digest_month"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="programs_digest_month_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def is_sent(self) -> bool:
        return self.sent_on is not None


class DigestItem(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("Innovation news")
        COUNCILLOR = "councillor_question", _("Councillor's question (議員質詢)")
        CITIZEN = "citizen_feedback", _("Citizen feedback (民眾反映)")

    digest = models.ForeignKey(
        Digest, verbose_name=_("digest"), on_delete=models.CASCADE, related_name="items"
    )
    headline = models.CharField(_("headline"), max_length=200)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    summary = models.TextField(_("summary"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["digest", "position", "id"]
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")

    def __str__(self) -> str:
        return self.headline


class Referral(models.Model):
    """A digest item sent by 函 to one agency, the lead or a co-agency, answered by `due_on`."""

    item = models.ForeignKey(
        DigestItem, verbose_name=_("digest item"), on_delete=models.CASCADE, related_name="referrals"
    )
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    lead = models.BooleanField(_("lead agency"), default=True)
    letter_number = models.CharField(_("函 number"), max_length=60, blank=True)
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("digest referral")
        verbose_name_plural = _("digest referrals")
        constraints = [
            models.UniqueConstraint(fields=["item", "agency"], name="programs_referral_agency"),
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(lead=True), name="programs_referral_one_lead"
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("sent_on")), name="programs_referral_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.agency_id}"

    def is_overdue_on(self, day: datetime.date) -> bool:
        """Overdue from the day after the due date while unanswered."""
        return day > self.due_on and not hasattr(self, "assessment")


class Assessment(models.Model):
    class Decision(models.TextChoices):
        ADOPT = "adopt", _("Adopt (採行)")
        PARTIAL = "partial", _("Partially adopt (部分採行)")
        NOT_ADOPT = "not_adopt", _("Not adopt (不採行)")

    referral = models.OneToOneField(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="assessment"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    measures = models.TextField(_("measures"), blank=True)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    tracking_item = models.ForeignKey(
        "tracking.Item",
        verbose_name=_("tracked item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"))

    class Meta:
        ordering = ["referral", "id"]
        verbose_name = _("digest assessment")
        verbose_name_plural = _("digest assessments")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(decision="not_adopt") & ~models.Q(reason=""))
                | (
                    models.Q(decision__in=["adopt", "partial"], target_on__isnull=False)
                    & ~models.Q(measures="")
                ),
                name="programs_assessment_complete",
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.decision}"

    @property
    def adopted(self) -> bool:
        return self.decision in (self.Decision.ADOPT, self.Decision.PARTIAL)


def improvement(before: int | None, after: int | None) -> Decimal | None:
    """The reduction from before to after as a percentage of before (1 decimal); None without a
    positive before."""
    if before is None or after is None or before <= 0:
        return None
    return (Decimal(before - after) * 100 / Decimal(before)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class ProcessReform(models.Model):
    """An agency's key item of the year's 行政流程改造, with its measures before and after."""

    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )
    item = models.CharField(_("reform item"), max_length=200)
    strategy = models.CharField(_("strategy"), max_length=200)
    days_before = models.PositiveIntegerField(_("working days before"))
    days_after = models.PositiveIntegerField(_("working days after"))
    documents_before = models.PositiveIntegerField(_("documents before"))
    documents_after = models.PositiveIntegerField(_("documents after"))
    visits_before = models.PositiveIntegerField(_("counter visits before"))
    visits_after = models.PositiveIntegerField(_("counter visits after"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "agency", "id"]
        verbose_name = _("process reform")
        verbose_name_plural = _("process reforms")

    def __str__(self) -> str:
        return self.item

    @property
    def days_improvement(self) -> Decimal | None:
        return improvement(self.days_before, self.days_after)

    @property
    def documents_improvement(self) -> Decimal | None:
        return improvement(self.documents_before, self.documents_after)

    @property
    def visits_improvement(self) -> Decimal | None:
        return improvement(self.visits_before, self.visits_after)


class InnovationEntry(models.Model):
    """An agency's entry to the year-end review: the body of an engine Submission to an innovation
    call (scores, ranking and decision stay in the engine)."""

    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    submission = models.OneToOneField(
        "programs.Submission",
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="innovation_entry",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "agency", "id"]
        verbose_name = _("innovation entry")
        verbose_name_plural = _("innovation entries")

    def __str__(self) -> str:
        return self.title


class Award(models.Model):
    class Level(models.TextChoices):
        DISTINCTION = "distinction", _("Distinction (特優)")
        EXCELLENT = "excellent", _("Excellent (優等)")
        MERIT = "merit", _("Merit (甲等)")

    entry = models.OneToOneField(
        InnovationEntry, verbose_name=_("innovation entry"), on_delete=models.CASCADE, related_name="award"
    )
    level = models.CharField(_("award"), max_length=12, choices=Level.choices)
    rank = models.PositiveSmallIntegerField(_("rank"))
    awarded_on = models.DateField(_("awarded on"))
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["rank", "id"]
        verbose_name = _("innovation award")
        verbose_name_plural = _("innovation awards")

    def __str__(self) -> str:
        return f"{self.entry} {self.get_level_display()}"
