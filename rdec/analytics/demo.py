"""Demo: train the case router on the demo petitions, so the 1999 console shows route hints; build
last month's 質量分析報告 for the whole city and for 建設局, so the report pages have content."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _


def seed(stdout, size=None) -> None:
    from django.conf import settings

    from rdec.analytics import services
    from rdec.analytics.models import RouterModel
    from rdec.core.context import acting_as

    if not RouterModel.objects.filter(active=True).exists():
        with acting_as(None):
            # the demo's cases only (a few seconds at start-up); RDEC_DEMO_ROUTER_BROAD adds the broad
            # corpus (about a minute more): `rdec train_router` trains on it
            broad = bool(getattr(settings, "RDEC_DEMO_ROUTER_BROAD", False))
            model = services.train_router(actor=None, broad=broad)
        stdout.write(
            _("Case router: trained on %(n)s demo cases in %(s)s s (held-out agency top-1 %(a).1f%%).")
            % {"n": model.trained_on, "s": model.seconds, "a": model.agency_top1 * 100}
        )
    seed_reports(stdout)


def seed_reports(stdout) -> None:
    """Last month's reports (city, 建設局), built at once; nothing when they exist already."""
    from rdec.analytics import report as figures
    from rdec.analytics import tasks
    from rdec.analytics.models import Report
    from rdec.core.models import Agency

    last_month = figures.period_of("month", timezone.localdate().replace(day=1) - datetime.timedelta(days=1))
    for agency in (None, Agency.objects.filter(code="construction").first()):
        if Report.objects.filter(
            start=last_month.start, period="month", agency=agency, district=None
        ).exists():
            continue
        report = Report.objects.create(
            period="month", start=last_month.start, end=last_month.end, agency=agency
        )
        tasks.run_report(report.pk)
        report.refresh_from_db()
        stdout.write(
            _("Analysis report %(period)s (%(scope)s): %(status)s in %(s)s s.")
            % {"period": last_month.label, "scope": report.scope_label, "status": report.get_status_display(),
               "s": report.seconds}
        )  # fmt: skip
