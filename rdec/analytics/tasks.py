"""Background jobs of the analytics (Celery; in-process when no broker is set).

`build_report(report_id)` builds one 質量分析報告: the figures (database aggregates), the written
summary, the charts and the three files, recording its progress on the Report as it goes (the page
polls it). A failure is recorded on the report (status "failed", the error), never lost.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

log = logging.getLogger(__name__)


def _set(report_id: int, **fields) -> None:
    from rdec.analytics.models import Report

    Report.objects.filter(pk=report_id).update(**fields)


def run_report(report_id: int) -> None:
    from rdec.analytics import charts, report_files, summary
    from rdec.analytics import report as compute
    from rdec.analytics.models import Report

    report = Report.objects.select_related("agency", "district").filter(pk=report_id).first()
    if report is None or report.status == Report.Status.DONE:
        return
    started = time.monotonic()
    with override("zh-hant"):
        try:
            _set(report_id, status=Report.Status.RUNNING, progress=5, stage=_("Starting"))
            figures = compute.compute(
                report.period,
                report.start,
                agency=report.agency,
                district=report.district,
                progress=lambda pct, stage: _set(report_id, progress=pct, stage=stage),
            )
            _set(report_id, progress=85, stage=_("Writing the summary"))
            sentences = summary.sentences(figures)
            tables = report_files.tables(figures, sentences)
            _set(report_id, progress=88, stage=_("Drawing the PDF"))
            pdf = report_files.to_pdf(figures, sentences, tables, charts.report_charts(figures))
            _set(report_id, progress=96, stage=_("Writing the spreadsheets"))
            stem = f"report-{report.pk}-{report.start:%Y%m%d}-{report.period}"
            report.figures, report.summary = figures, sentences
            report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
            report.xlsx.save(f"{stem}.xlsx", ContentFile(report_files.to_xlsx(tables)), save=False)
            report.ods.save(f"{stem}.ods", ContentFile(report_files.to_ods(tables)), save=False)
            report.status, report.progress, report.stage = Report.Status.DONE, 100, _("Ready")
            report.seconds = round(time.monotonic() - started, 2)
            report.finished_at = timezone.now()
            report.save()
        except Exception as exc:  # noqa: BLE001 - any failure is recorded on the report
            log.exception("analytics report %s failed", report_id)
            _set(
                report_id,
                status=Report.Status.FAILED,
                stage=_("Failed"),
                error=f"{type(exc).__name__}: {exc}"[:2000],
                finished_at=timezone.now(),
            )


@shared_task
def build_report(report_id: int) -> None:
    run_report(report_id)


@shared_task
def retrain_router() -> int | None:
    """The scheduled retraining of the case router (settings.CELERY_BEAT_SCHEDULE, weekly): a new
    candidate from the latest transfers, re-assignments and closed cases, put in use only if it
    passes the gate (rdec.analytics.router_versions). Returns the new version's id."""
    from django.core.exceptions import ValidationError

    from rdec.analytics import router_versions
    from rdec.core.context import acting_as

    with acting_as(None):
        try:
            return router_versions.retrain(actor=None).pk
        except ValidationError as exc:  # too few labels yet: nothing to learn, not a failure
            log.info("router retraining skipped: %s", " ".join(exc.messages))
            return None
