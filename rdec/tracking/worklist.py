"""Tracking's work items on the home page (rdec.core.worklist), registered by TrackingConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rdec.core import permissions, worklist


def register() -> None:
    from rdec.tracking import selectors

    def items(user) -> bool:
        return permissions.check(user, "tracking.view_items")

    worklist.register_work(
        "tracking.overdue",
        # Translators: 列管事項 past their deadline (逾期)
        _("Overdue tracked items"),
        group=worklist.DUE,
        visible=items,
        count=selectors.overdue_count,
        url_name="tracking:item-list",
        query={"overdue": "true"},
        severity=worklist.DANGER,
        order=20,
    )
    worklist.register_work(
        "tracking.due_soon",
        _("Tracked items due soon"),
        group=worklist.DUE,
        visible=items,
        count=selectors.due_soon_count,
        url_name="tracking:item-list",
        query={"due": "soon"},
        severity=worklist.WARNING,
        order=21,
    )
    worklist.register_work(
        "tracking.report_missing",
        _("Tracked items without a progress report this cycle"),
        group=worklist.REPORT,
        visible=lambda user: items(user) and not permissions.is_oversight(user),
        count=selectors.report_missing_count,
        url_name="tracking:item-list",
        query={"report": "missing"},
        severity=worklist.WARNING,
        order=20,
    )
    worklist.register_work(
        "tracking.report_missing_city",
        _("Tracked items still missing this cycle's report"),
        group=worklist.REPORT,
        visible=permissions.is_oversight,
        count=selectors.report_missing_count,
        url_name="tracking:item-list",
        query={"report": "missing"},
        severity=worklist.INFO,
        order=21,
    )
    worklist.register_work(
        "tracking.review_waiting",
        _("Progress reports waiting for review"),
        group=worklist.REVIEW,
        visible=lambda user: permissions.check(user, "tracking.view_board"),
        count=selectors.review_waiting_count,
        url_name="tracking:item-list",
        query={"review": "waiting"},
        severity=worklist.WARNING,
        order=20,
    )
    worklist.register_work(
        "tracking.release_proposed",
        # Translators: 解除列管 proposed by the agency, waiting for the RDEC's decision
        _("Proposals to release from control"),
        group=worklist.REVIEW,
        visible=lambda user: permissions.check(user, "tracking.view_board"),
        count=selectors.release_proposed_count,
        url_name="tracking:item-list",
        query={"status": "release_proposed"},
        severity=worklist.WARNING,
        order=21,
    )
