from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ParticipationConfig(AppConfig):
    name = "rdec.participation"
    label = "participation"
    verbose_name = _("Public participation")

    def ready(self) -> None:
        from rdec.core import audit, registry
        from rdec.core.rules import register_rule_set
        from rdec.participation import models as m

        register_rule_set(m.ProposalRule)
        register_rule_set(m.ConsultationRule)
        audit.track(m.ProposalRule)
        audit.track(m.ConsultationRule)
        from rdec.participation.services import proposals as proposal_services

        proposal_services.RULES.connect()  # a saved version drops the per-process table
        audit.track(m.Proposal, exclude=["search_text", "endorsement_count"])
        audit.track(m.Consultation, exclude=["search_text"])
        audit.track(m.ResponseTheme)
        audit.track(m.ModerationEntry)

        # the 公民參與 menu; each part registers its entries below (group="participation")
        registry.register_nav_group("participation", pgettext_lazy("navigation", "Participation"), order=25)
        # --- proposals (提點子): nav, worklist ---
        from rdec.core import permissions as proposal_permissions
        from rdec.participation import forms as proposal_forms
        from rdec.participation import worklist as proposal_worklist
        from rdec.participation.views import proposals as proposal_views

        registry.register_nav(_("Proposals"), "participation:proposal-list", order=10, group="participation")
        registry.register_nav(
            _("My proposals and supports"),
            "participation:proposal-mine",
            order=11,
            group="participation",
            visible=proposal_views.is_citizen,
        )
        registry.register_nav(
            _("Proposals to check"),
            "participation:proposal-checking",
            order=12,
            group="participation",
            visible=lambda user: proposal_permissions.check(user, "participation.check_proposal"),
        )
        registry.register_nav(
            _("Proposal deadlines"),
            "participation:proposal-board",
            order=13,
            group="participation",
            visible=lambda user: proposal_permissions.check(user, "participation.check_proposal"),
        )
        registry.register_nav(
            _("Proposals awaiting a response"),
            "participation:proposal-responses",
            order=14,
            group="participation",
            visible=proposal_views.may_view_responses,
        )
        registry.register_nav(
            _("Supports under review"),
            "participation:proposal-flagged",
            order=15,
            group="participation",
            visible=lambda user: proposal_permissions.check(user, "participation.check_proposal"),
        )
        proposal_worklist.register()
        proposal_forms.register_proposal_privacy_notice()
        # --- consultations (眾開講): nav, worklist ---
        from rdec.core import permissions as core_permissions
        from rdec.participation import worklist_consultations

        registry.register_nav(
            _("Consultations"), "participation:consultation-list", order=30, group="participation"
        )
        registry.register_nav(
            _("Manage consultations"),
            "participation:consultation-manage",
            order=31,
            group="participation",
            visible=lambda user: core_permissions.check(user, "participation.manage_consultation"),
        )
        worklist_consultations.register()
        _consultation_privacy_notice()
        # --- conversations (Pol.is): nav ---
        from rdec.participation import tasks_conversations  # noqa: F401 - registers the Celery task

        registry.register_nav(
            _("Conversations"), "participation:conversation-list", order=40, group="participation"
        )
        # --- following, notices, statistics (live sources) ---
        from rdec.participation.services import following as following_services

        following_services.connect_signals()  # LINE announcements and followers' e-mails on each step
        registry.register_nav(
            _("What I follow"),
            "participation:following-list",
            order=90,
            group="participation",
            visible=lambda user: user.is_authenticated,
        )
        if registry.optional_module("rdec.strategy.live") is not None:
            from rdec.participation import selectors as stats
            from rdec.strategy.live import register_live_source

            for key, label, func, value_type, unit in (
                (
                    "consultations_held",
                    _("Consultations held (眾開講)"),
                    stats.consultations_held,
                    "cumulative",
                    "場",
                ),
                ("comments", _("Consultation comments"), stats.comments_made, "cumulative", "則"),
                (
                    "participants",
                    _("Participants (distinct accounts)"),
                    stats.participants,
                    "cumulative",
                    "人",
                ),
                (
                    "proposals",
                    _("Proposals submitted (提點子)"),
                    stats.proposals_submitted,
                    "cumulative",
                    "件",
                ),
                (
                    "proposals_established",
                    _("Proposals established (成案)"),
                    stats.proposals_established,
                    "cumulative",
                    "件",
                ),
                (
                    "proposal_responses_on_time_rate",
                    _("Proposal responses on time (%)"),
                    stats.proposal_responses_on_time_rate,
                    "level",
                    "%",
                ),
                (
                    "consultation_reports_on_time_rate",
                    _("Consultation response reports on time (%)"),
                    stats.consultation_reports_on_time_rate,
                    "level",
                    "%",
                ),
            ):
                register_live_source(f"participation.{key}", label, func, value_type=value_type, unit=unit)


def _consultation_privacy_notice() -> None:
    """The 個資告知 of the consultation comment form (眾開講), added to core's notices (the full
    notice at /privacy/ lists it too)."""
    from rdec.core import privacy

    if "consultation" in privacy.NOTICES:
        return
    privacy.NOTICES["consultation"] = privacy.Notice(
        key="consultation",
        title=_("Comments on consultations (眾開講)"),
        purposes=[("〇一三", _("public relations"))],
        purpose_text=_(
            "to publish your comment under the name you choose, to moderate it by the published rules, "
            "and to answer it in the agency's response report"
        ),
        categories=[
            ("C001", _("identifying the person: your account (its phone and e-mail are never shown)")),
            ("", _("the name you choose to show and what you write")),
        ],
        recipients=_(
            "the RDEC and the responsible agency; your comment and the name shown are public, your "
            "account's phone and e-mail are not"
        ),
        period=_("as long as the consultation and its response report are kept on the platform"),
        if_not_given=_(
            "Without a verified citizen account a comment cannot be sent; reading stays open to everyone."
        ),
    )
    if "consultation" not in privacy.FULL_NOTICE:
        privacy.FULL_NOTICE.append("consultation")
