"""Open data's work items and participation links on the home page (rdec.core.worklist),
registered by OpendataConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rdec.core import permissions, worklist


def register() -> None:
    from rdec.opendata import selectors

    def handles(user) -> bool:  # the same check as the feedback inbox
        return permissions.check(user, "opendata.moderate_feedback") or (
            user.is_authenticated and user.is_agency_member
        )

    worklist.register_work(
        "opendata.feedback_overdue",
        _("Open-data comments and requests past their answer date"),
        group=worklist.DUE,
        visible=handles,
        count=selectors.feedback_overdue_count,
        url_name="opendata:feedback-inbox",
        query={"due": "overdue"},
        severity=worklist.DANGER,
        order=40,
    )
    worklist.register_work(
        "opendata.feedback",
        _("Open-data comments and data requests to handle"),
        group=worklist.REVIEW,
        visible=handles,
        count=selectors.feedback_to_handle_count,
        url_name="opendata:feedback-inbox",
        severity=worklist.INFO,
        order=40,
    )
    # open to everyone: what a citizen can take part in
    worklist.register_work(
        "opendata.request",
        _("Ask for a dataset"),
        group=worklist.PARTICIPATE,
        visible=lambda user: True,
        count=None,
        url_name="opendata:request-list",
        order=40,
        hint=_("Tell the city which data you need; the agency answers by a set date."),
    )
    worklist.register_work(
        "opendata.comment",
        _("Comment on open data"),
        group=worklist.PARTICIPATE,
        visible=lambda user: True,
        count=None,
        url_name="opendata:dataset-list",
        order=41,
        hint=_("Find a dataset and tell the agency what is wrong or missing."),
    )
