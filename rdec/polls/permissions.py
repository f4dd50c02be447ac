"""Who may do what with opinion polls (rdec.core.permissions): the RDEC designs, imports, weights and
publishes; a published poll (its results, rates and disclosure) is public."""

from __future__ import annotations

from rdec.core.permissions import is_oversight


def can_manage_polls(user, obj=None) -> bool:
    return is_oversight(user)


def can_view_survey(user, survey=None) -> bool:
    if is_oversight(user):
        return True
    return survey is not None and survey.is_published
