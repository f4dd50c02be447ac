"""Demo: train the case router on the demo petitions, so the 1999 console shows route hints."""

from __future__ import annotations

from django.utils.translation import gettext as _


def seed(stdout, size=None) -> None:
    from rdec.analytics import services
    from rdec.analytics.models import RouterModel
    from rdec.core.context import acting_as

    if RouterModel.objects.filter(active=True).exists():
        return
    with acting_as(None):
        model = services.train_router(actor=None)
    stdout.write(
        _("Case router: trained on %(n)s demo cases in %(s)s s (held-out agency top-1 %(a).1f%%).")
        % {"n": model.trained_on, "s": model.seconds, "a": model.agency_top1 * 100}
    )
