"""Document timeliness's work items on the home page (rdec.core.worklist), registered by
DocumentsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rdec.core import permissions, worklist


def register() -> None:
    from rdec.documents import selectors

    def last_month(user) -> dict:
        return {"month": f"{selectors.previous_month():%Y-%m}"}

    worklist.register_work(
        "documents.improvement_to_file",
        # Translators: 檢討改進報告 an agency over the overdue threshold owes the RDEC
        _("Improvement reports on overdue documents to file"),
        group=worklist.FILE,
        visible=lambda user: (
            permissions.check(user, "documents.view_kpis") and not permissions.is_oversight(user)
        ),
        count=selectors.improvement_reports_pending_count,
        url_name="documents:kpi-list",
        query=last_month,
        severity=worklist.WARNING,
        order=40,
    )
    worklist.register_work(
        "documents.improvement_pending",
        _("Improvement reports on overdue documents not yet received"),
        group=worklist.REVIEW,
        visible=lambda user: permissions.check(user, "documents.manage_follow_up"),
        count=selectors.improvement_reports_pending_count,
        url_name="documents:kpi-list",
        query=last_month,
        severity=worklist.INFO,
        order=40,
    )
