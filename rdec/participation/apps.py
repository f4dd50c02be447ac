from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "rdec.participation"
    label = "participation"
    verbose_name = _("Public participation")

    def ready(self) -> None:
        from rdec.core import audit
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
