"""Tenders' work items on the home page (rdec.core.worklist), registered by TendersConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rdec.core import permissions, worklist


def register() -> None:
    from rdec.tenders import selectors

    worklist.register_work(
        "tenders.progress_missing",
        _("Tenders without last month's progress"),
        group=worklist.FILE,
        visible=lambda user: permissions.check(user, "tenders.enter_progress"),
        count=selectors.progress_missing_count,
        url_name="tenders:tender-list",
        query={"progress": "missing"},
        severity=worklist.WARNING,
        order=30,
    )
