"""The registers' dated rules (TransparencyRule), read from a per-process table."""

from __future__ import annotations

import datetime

from rdec.core.rules import ProcessRuleBook

RULES: ProcessRuleBook = ProcessRuleBook("transparency.TransparencyRule", before_first="earliest", ttl=60.0)


def rule_for(day: datetime.date):
    """The version in force on `day` (before the first: the first; none at all: the defaults)."""
    from rdec.transparency.models import TransparencyRule

    return RULES.on(day) or TransparencyRule()
