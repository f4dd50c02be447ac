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
        audit.track(m.Proposal, exclude=["search_text", "endorsement_count"])
        audit.track(m.Consultation, exclude=["search_text"])
        audit.track(m.ResponseTheme)
        audit.track(m.ModerationEntry)

        # the 公民參與 menu; each part registers its entries below (group="participation")
        registry.register_nav_group("participation", pgettext_lazy("navigation", "Participation"), order=25)
        # --- proposals (提點子): nav, worklist ---
        # --- consultations (眾開講): nav, worklist ---
        # --- conversations (Pol.is): nav ---
        # --- following, notices, statistics (live sources) ---
