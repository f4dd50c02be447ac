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
        # 場域驗證's writes are audited as named events (programs.field_posted, .matched, ...); its
        # models join audit.track once the catalogue names them (core's audit-label test wants every
        # tracked model's name translated): Need, Field, Proposal, Match, Validation, Result, FollowOn.

        # 場域驗證's pages get their menu entries once the catalogue has their strings (the crawl
        # browser test refuses English on a zh-Hant page): /work/notes/doc-programs.md has the lines.
        from rdec.core import registry

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
