"""The petitions' work items on the home page (rdec.core.worklist), registered by PetitionsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rdec.core import permissions, worklist
from rdec.core.models import Role


def register() -> None:
    from rdec.petitions import selectors

    def inbox(user) -> bool:
        return permissions.check(user, "petitions.view_inbox")

    def supervisor(user) -> bool:
        return permissions.has_role(user, Role.SUPERVISOR)

    worklist.register_work(
        "petitions.overdue",
        # Translators: 逾期
        _("Overdue cases"),
        group=worklist.DUE,
        visible=inbox,
        count=selectors.overdue_count,
        url_name="petitions:inbox",
        query={"due": "overdue"},
        severity=worklist.DANGER,
        order=10,
    )
    worklist.register_work(
        "petitions.due_soon",
        _("Cases due soon"),
        group=worklist.DUE,
        visible=inbox,
        count=selectors.due_soon_count,
        url_name="petitions:inbox",
        query={"due": "soon"},
        severity=worklist.WARNING,
        order=11,
        hint=_("Due today or within the reminder window."),
    )
    worklist.register_work(
        "petitions.unassigned",
        _("Cases not yet given to a handler"),
        group=worklist.REVIEW,
        visible=supervisor,
        count=selectors.unassigned_count,
        url_name="petitions:inbox",
        query={"handler": "none"},
        severity=worklist.WARNING,
        order=10,
    )
    worklist.register_work(
        "petitions.replies_awaiting",
        _("Replies awaiting your approval"),
        group=worklist.REVIEW,
        visible=supervisor,
        count=selectors.replies_awaiting_approval_count,
        url_name="petitions:inbox",
        query={"awaiting": "reply"},
        severity=worklist.WARNING,
        order=11,
    )
    worklist.register_work(
        "petitions.extensions_awaiting",
        # Translators: 展期申請
        _("Extension requests awaiting your decision"),
        group=worklist.REVIEW,
        visible=supervisor,
        count=selectors.extensions_awaiting_decision_count,
        url_name="petitions:inbox",
        query={"awaiting": "extension"},
        severity=worklist.WARNING,
        order=12,
    )
    worklist.register_work(
        "petitions.kb_review",
        _("Knowledge-base answers past their review date"),
        group=worklist.REVIEW,
        visible=lambda user: permissions.check(user, "petitions.use_console"),
        count=selectors.articles_due_for_review_count,
        url_name="petitions:kb",
        severity=worklist.INFO,
        order=50,
    )
