"""眾開講 on the home page's work queues (rdec.core.worklist), registered by ParticipationConfig.ready():
consultations open for a citizen's comments, and the response reports an agency (or the RDEC) has
to write for its closed consultations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rdec.core import permissions, worklist


def register() -> None:
    from rdec.participation import selectors

    worklist.register_work(
        "participation.consultations_open",
        _("Consultations open for comments"),
        group=worklist.PARTICIPATE,
        visible=lambda user: not permissions.check(user, "participation.manage_consultation"),
        count=selectors.open_consultation_count,
        url_name="participation:consultation-list",
        query={"status": "open"},
        severity=worklist.INFO,
        order=60,
    )
    worklist.register_work(
        "participation.consultation_reports_due",
        _("Consultation response reports to publish"),
        group=worklist.FILE,
        visible=lambda user: permissions.check(user, "participation.manage_consultation"),
        count=selectors.consultation_reports_due_count,
        url_name="participation:consultation-manage",
        severity=worklist.WARNING,
        order=61,
    )
