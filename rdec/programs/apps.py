from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "rdec.programs"
    label = "programs"
    verbose_name = _("RDEC programmes")

    def ready(self) -> None:
        from rdec.core import audit
        from rdec.programs import models as m

        audit.track(m.Call)
        audit.track(m.Rubric)
        audit.track(m.Submission, mask=["tax_id"])
        audit.track(m.Assignment)
        for model in (m.Need, m.Field, m.Proposal, m.Match, m.Validation, m.Result, m.FollowOn):
            audit.track(model)
        for model in (
            m.Digest,
            m.DigestItem,
            m.Referral,
            m.Assessment,
            m.ProcessReform,
            m.InnovationEntry,
            m.Award,
        ):
            audit.track(model)
        for model in (m.Scheme, m.RevitalisationProposal, m.ResourceRequest, m.ApprovalLine):
            audit.track(model)
        audit.track(m.RevitalisationMilestone)
        audit.track(m.RevitalisationKpi)
        for model in (m.TopicProposal, m.Project, m.Deliverable, m.Report, m.Recommendation, m.Adoption):
            audit.track(model)
        audit.track(m.ResearchRule)
        from rdec.core.rules import register_rule_set

        register_rule_set(m.ResearchRule)
        from rdec.programs.services_research import RULES as research_rules

        research_rules.connect()

        from rdec.core import registry
        from rdec.core.permissions import check

        registry.register_nav(
            _("Smart-city field validation"), "programs:field-list", order=56, group="opendata"
        )
        registry.register_nav(
            _("Post a validation field"),
            "programs:field-create",
            order=57,
            group="opendata",
            visible=lambda user: check(user, "programs.post_needs"),
        )
        registry.register_nav(
            _("Field validations"),
            "programs:validation-list",
            order=58,
            group="opendata",
            visible=lambda user: check(user, "programs.post_needs"),
        )
        registry.register_nav(
            _("Innovation digests"),
            "programs:digest-list",
            order=63,
            group="opendata",
            visible=lambda user: check(user, "programs.manage_innovation"),
        )
        registry.register_nav(
            _("Innovation referrals"),
            "programs:referral-list",
            order=64,
            group="opendata",
            visible=lambda user: check(user, "programs.view_referrals"),
        )
        registry.register_nav(
            _("Process reforms"),
            "programs:reform-list",
            order=65,
            group="opendata",
            visible=lambda user: check(user, "programs.post_needs"),
        )
        registry.register_nav(
            _("Innovation review and awards"),
            "programs:innovation-list",
            order=66,
            group="opendata",
            visible=lambda user: check(user, "programs.post_needs"),
        )
        registry.register_nav(
            _("Regional revitalisation"),
            "programs:revitalisation-list",
            order=45,
            group="strategy",
            visible=lambda user: check(user, "programs.view_revitalisation"),
        )
        registry.register_nav(
            _("Revitalisation by district"),
            "programs:revitalisation-districts",
            order=46,
            group="strategy",
            visible=lambda user: check(user, "programs.view_revitalisation"),
        )
        registry.register_nav(
            _("Central schemes"),
            "programs:revitalisation-schemes",
            order=47,
            group="strategy",
            visible=lambda user: check(user, "programs.view_revitalisation_schemes"),
        )
        registry.register_nav(
            _("Research report library"), "programs:research-report-list", order=59, group="opendata"
        )
        registry.register_nav(
            _("Research topic proposals"),
            "programs:research-topic-list",
            order=60,
            group="opendata",
            visible=lambda user: check(user, "programs.propose_research_topic"),
        )
        registry.register_nav(
            _("Research projects"),
            "programs:research-project-list",
            order=61,
            group="opendata",
            visible=lambda user: check(user, "programs.manage_research"),
        )
        registry.register_nav(
            _("Research recommendations"),
            "programs:research-recommendation-list",
            order=62,
            group="opendata",
            visible=lambda user: check(user, "programs.answer_recommendation"),
        )
        registry.register_nav(
            _("Programme calls"),
            "programs:call-list",
            order=67,
            group="opendata",
            visible=lambda user: check(user, "programs.manage_call"),
        )
        registry.register_nav(
            _("My reviews"),
            "programs:review-list",
            order=68,
            group="opendata",
            visible=lambda user: check(user, "programs.view_reviews"),
        )

        # Live figures of strategy KPI 1-4-4 (場域驗證), if the strategy module is installed
        if registry.optional_module("rdec.strategy.live") is not None:
            from rdec.programs import selectors_fields
            from rdec.strategy.live import register_live_source

            register_live_source(
                "programs.field_proposals_submitted",
                _("Field-validation proposals submitted this year"),
                selectors_fields.live_proposals_submitted,
                value_type="cumulative",
                unit="件",
            )
            register_live_source(
                "programs.field_landing_rate",
                _("Field validations landed (scaled or procured) among those closed this year"),
                selectors_fields.live_landing_rate,
                value_type="level",
                unit="%",
            )
            from rdec.programs import selectors_innovation

            register_live_source(
                "programs.innovation_digests_sent",
                _("Months with an innovation digest sent this year"),
                selectors_innovation.live_digests_sent,
                value_type="cumulative",
                unit="次",
            )
            # 7-1-1 (地方創生) states no target: its figures are offered as sources only
            from rdec.programs import selectors_revitalisation

            register_live_source(
                "programs.revitalisation_proposals",
                _("Regional revitalisation proposals submitted this year"),
                selectors_revitalisation.live_proposals,
                value_type="cumulative",
                unit="件",
            )
            register_live_source(
                "programs.revitalisation_dockings",
                _("Regional revitalisation resource dockings (ministries approving) this year"),
                selectors_revitalisation.live_dockings,
                value_type="cumulative",
                unit="件",
            )
            from rdec.programs import selectors_research

            register_live_source(
                "programs.research_adoption_rate",
                _("Research recommendations adopted or partially adopted among those decided this year"),
                selectors_research.live_adoption_rate,
                value_type="level",
                unit="%",
            )
