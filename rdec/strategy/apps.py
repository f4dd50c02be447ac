from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "rdec.strategy"
    label = "strategy"
    verbose_name = _("Strategy KPIs")

    def ready(self) -> None:
        from rdec.strategy import worklist

        worklist.register()  # the home page's work queue (rdec.core.worklist)
        from rdec.core import audit, permissions, registry
        from rdec.core.rules import register_rule_set
        from rdec.strategy import live
        from rdec.strategy import models as m

        for model in (m.CoreValue, m.Strategy, m.ActionPlan, m.Target, m.ReportingWindow, m.QuarterlyReport):
            audit.track(model)
        audit.track(m.TargetChangeRequest)
        audit.track(m.LightRule)
        register_rule_set(m.LightRule, url_name="strategy:windows")

        registry.register_nav(
            _("Strategy KPIs"),
            "strategy:tree",
            order=40,
            group="strategy",
            visible=lambda user: permissions.check(user, "strategy.view_strategy"),
        )
        registry.register_nav(
            _("Quarterly KPI report"),
            "strategy:report",
            order=41,
            group="strategy",
            visible=lambda user: permissions.check(user, "strategy.report"),
        )
        registry.register_nav(
            _("Reporting windows"),
            "strategy:windows",
            order=42,
            group="strategy",
            visible=lambda user: permissions.check(user, "strategy.manage_windows"),
        )
        registry.register_nav(
            _("Mayor's summary"),
            "strategy:summary",
            order=43,
            group="strategy",
            visible=lambda user: permissions.check(user, "strategy.view_summary"),
        )

        registry.register_nav(
            _("Subsidy projects"),
            "strategy:subsidies",
            order=44,
            group="strategy",
            visible=lambda user: permissions.check(user, "strategy.view_subsidies"),
        )
        for model in (
            m.SubsidyCycle,
            m.SubsidyProject,
            m.SubsidyCheckpoint,
            m.SubsidyMonth,
            m.SubsidyPublication,
        ):
            audit.track(model)

        # Live KPI sources read from other modules' selectors (see live.py); petitions is optional.
        if registry.optional_module("rdec.petitions.selectors") is not None:
            live.register_live_source(
                "petitions.cases_received",
                _("Petition cases received (year to date)"),
                live.petitions_cases_received,
                value_type="cumulative",
                unit="件",
            )
            live.register_live_source(
                "petitions.replied_on_time_rate",
                _("Petitions replied on time (percent of replied cases, year to date)"),
                live.petitions_replied_on_time_rate,
                value_type="level",
                unit="%",
            )
