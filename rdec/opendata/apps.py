from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "rdec.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from rdec.opendata import worklist

        worklist.register()  # the home page's work queue (rdec.core.worklist)
        from rdec.core import audit, permissions, registry
        from rdec.core.rules import register_rule_set
        from rdec.opendata import models as m

        audit.track(m.Dataset, exclude=["search_text", "view_count"])
        audit.track(m.Resource, exclude=["download_count"])
        audit.track(m.ResourceVersion)
        audit.track(m.Feedback)
        audit.track(m.ResponseRule)
        register_rule_set(m.ResponseRule)

        registry.register_nav(_("Open data"), "opendata:dataset-list", order=40, group="opendata")
        registry.register_nav(
            _("Publish a dataset"),
            "opendata:dataset-create",
            order=41,
            group="opendata",
            visible=lambda user: permissions.check(user, "opendata.publish"),
        )
        registry.register_nav(_("Data requests"), "opendata:request-list", order=42, group="opendata")
        registry.register_nav(
            _("Data quality by agency"), "opendata:quality-dashboard", order=45, group="opendata"
        )
        registry.register_nav(
            _("Comments and requests to handle"),
            "opendata:feedback-inbox",
            order=43,
            group="opendata",
            visible=lambda user: (
                permissions.check(user, "opendata.moderate_feedback")
                or getattr(user, "is_agency_member", False)
            ),
        )
        registry.register_nav(
            _("National portal synchronisation"),
            "opendata:portal-status",
            order=44,
            group="opendata",
            visible=lambda user: permissions.check(user, "opendata.view_portal_overview"),
        )

        # Live KPI numbers for the strategy module's 10-1-3 targets (if the module is installed).
        if registry.optional_module("rdec.strategy.live") is not None:
            from rdec.opendata import selectors
            from rdec.strategy.live import register_live_source

            register_live_source(
                "opendata.datasets_total",
                _("Open datasets published (total)"),
                selectors.datasets_total_at_quarter_end,
                value_type="level",
                unit="筆",
            )
            register_live_source(
                "opendata.datasets_added_this_year",
                _("Open datasets added this year"),
                selectors.datasets_added_in_year_to_quarter,
                value_type="cumulative",
                unit="筆",
            )
