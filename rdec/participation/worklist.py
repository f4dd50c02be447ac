"""Participation's work items on the home page (rdec.core.worklist), registered by
ParticipationConfig.ready(): 提點子 (proposals) — the RDEC's checks due and overdue, established
proposals to assign, flagged supports, the agencies' responses due and overdue; for citizens and
visitors, 提點子 and the proposals open for support. Each count is the very filter of the list it
opens (rdec.participation.views.proposals)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rdec.core import worklist


def register() -> None:
    register_proposals()


def register_proposals() -> None:
    from rdec.participation.views import proposals as p

    worklist.register_work(
        "participation.checks_overdue",
        _("Proposals past their check date"),
        group=worklist.DUE,
        visible=p.may_view_checking,
        count=p.checks_overdue_count,
        url_name="participation:proposal-checking",
        query={"due": "overdue"},
        severity=worklist.DANGER,
        order=60,
    )
    worklist.register_work(
        "participation.checks_due_soon",
        _("Proposals to check today or the next working day"),
        group=worklist.DUE,
        visible=p.may_view_checking,
        count=p.checks_due_soon_count,
        url_name="participation:proposal-checking",
        query={"due": "soon"},
        severity=worklist.WARNING,
        order=61,
    )
    worklist.register_work(
        "participation.responses_overdue",
        _("Proposal responses overdue"),
        group=worklist.DUE,
        visible=p.may_view_responses,
        count=p.responses_overdue_count,
        url_name="participation:proposal-responses",
        query={"due": "overdue"},
        severity=worklist.DANGER,
        order=62,
    )
    worklist.register_work(
        "participation.responses_due_soon",
        _("Proposal responses due soon"),
        group=worklist.DUE,
        visible=p.may_view_responses,
        count=p.responses_due_soon_count,
        url_name="participation:proposal-responses",
        query={"due": "soon"},
        severity=worklist.WARNING,
        order=63,
    )
    worklist.register_work(
        "participation.to_check",
        _("Proposals to check"),
        group=worklist.REVIEW,
        visible=p.may_view_checking,
        count=p.to_check_count,
        url_name="participation:proposal-checking",
        severity=worklist.INFO,
        order=60,
    )
    worklist.register_work(
        "participation.to_assign",
        _("Established proposals to assign"),
        group=worklist.REVIEW,
        visible=p.may_view_checking,
        count=p.to_assign_count,
        url_name="participation:proposal-responses",
        query={"assign": "waiting"},
        severity=worklist.WARNING,
        order=61,
    )
    worklist.register_work(
        "participation.flagged_supports",
        _("Supports under review"),
        group=worklist.REVIEW,
        visible=p.may_view_checking,
        count=p.flagged_count,
        url_name="participation:proposal-flagged",
        severity=worklist.INFO,
        order=62,
    )
    # open to citizens and visitors: what they can take part in
    worklist.register_work(
        "participation.propose",
        _("Make a proposal"),
        group=worklist.PARTICIPATE,
        visible=p.is_citizen_or_visitor,
        count=None,
        url_name="participation:proposal-create",
        order=20,
        hint=_("Propose how the city could do better; with enough supports the agency must answer."),
    )
    worklist.register_work(
        "participation.support",
        _("Proposals open for support"),
        group=worklist.PARTICIPATE,
        visible=p.is_citizen_or_visitor,
        count=None,
        url_name="participation:proposal-list",
        query={"status": "endorsing"},
        order=21,
        hint=_("Read the citizens' proposals and support the ones you agree with."),
    )
