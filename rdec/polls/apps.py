from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "rdec.polls"
    label = "polls"
    verbose_name = _("Opinion polls")

    def ready(self) -> None:
        from rdec.core import audit
        from rdec.polls import models as m

        # cases are written in bulk and carry no personal data; their import is one audit event
        for model in (m.Survey, m.Question, m.Target, m.WeightingRun):
            audit.track(model)

        from rdec.core import registry

        registry.register_nav(_("Opinion polls"), "polls:survey-list", order=67, group="opendata")
