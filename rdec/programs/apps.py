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
