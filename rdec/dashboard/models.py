from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Layout(models.Model):
    """A user's own dashboard: the names of the components pinned, in the order shown. A user
    without a layout sees the default for their role (every component they may see)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dashboard_layout",
        verbose_name=_("user"),
    )
    components = models.JSONField(_("components"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dashboard layout")
        verbose_name_plural = _("dashboard layouts")

    def __str__(self) -> str:
        return str(self.user)
