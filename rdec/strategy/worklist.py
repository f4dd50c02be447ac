"""Strategy's work items on the home page (rdec.core.worklist), registered by StrategyConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rdec.core import permissions, worklist


def register() -> None:
    from rdec.strategy import selectors

    worklist.register_work(
        "strategy.to_report",
        _("KPI targets to report this quarter"),
        group=worklist.FILE,
        # only while a reporting window is open: the report page takes values then
        visible=lambda user: permissions.check(user, "strategy.report") and bool(selectors.open_windows()),
        count=selectors.targets_to_report_count,
        url_name="strategy:report",
        severity=worklist.WARNING,
        order=20,
    )
