"""Petition analytics. So far: the trained case router (auto-routing) and its measured accuracy."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RouterModel(models.Model):
    """One training of the case router: where the fitted model is kept and how well it did on
    cases held out of training. The newest active one answers route suggestions."""

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

    class Meta:
        ordering = ["-trained_at"]
        verbose_name = _("case router")
        verbose_name_plural = _("case routers")

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} ({self.agency_top1:.1%})"
