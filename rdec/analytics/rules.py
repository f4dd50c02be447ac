"""The dated rules of the 質量分析報告's written summary (ReportRule): a report uses the version in
force on the last day of its period; before any row is entered, the defaults of the model (chosen by
the developers, not confirmed by the RDEC)."""

from __future__ import annotations

import datetime

from rdec.analytics.models import ReportRule, RoutingRule

DEFAULT_SOURCE = "開發團隊預設值，未經研考會確認"


def report_rule_for(day: datetime.date) -> ReportRule:
    rule = ReportRule.objects.in_force(day)
    return rule or ReportRule(effective_from=datetime.date(2000, 1, 1), source=DEFAULT_SOURCE)


def rule_dict(rule: ReportRule) -> dict:
    return {
        "effective_from": rule.effective_from.isoformat(),
        "rise_pct": rule.rise_pct,
        "min_count": rule.min_count,
        "drop_points": rule.drop_points,
        "fdr_pct": rule.fdr_pct,
        "repeat_min": rule.repeat_min,
        "source": rule.source,
    }


def routing_rule_for(day: datetime.date) -> RoutingRule:
    """The routing rule in force on `day` (the day a petition is received), else the model's default."""
    rule = RoutingRule.objects.in_force(day)
    return rule or RoutingRule(effective_from=datetime.date(2000, 1, 1), source=DEFAULT_SOURCE)


def routes_alone(confidence: float | None, day: datetime.date) -> bool:
    """Whether a suggestion this sure may route alone; otherwise 「建議人工分案」."""
    return confidence is not None and confidence * 100 >= routing_rule_for(day).auto_route_min_pct
