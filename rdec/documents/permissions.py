"""Who may do what with document timeliness. Services enforce these with core.permissions.require().

- RDEC officers and administrators (oversight) import the document system's exports, see every
  agency's KPIs and ranking, record improvement reports, choose the on-site checks, edit the rule
  versions and read the half-year report to the mayor.
- An agency's staff and supervisors (and its API keys) see the KPIs and documents of their agency
  and the agencies under it (the ranking shows them their own rows).
"""

from __future__ import annotations

from rdec.core.permissions import _user_ok, is_oversight, visible_agency_ids


def can_view_kpis(user, obj=None) -> bool:
    return is_oversight(user) or (_user_ok(user) and user.is_agency_member)


def can_view_agency(user, agency=None) -> bool:
    """obj: an Agency (or its id)."""
    if is_oversight(user):
        return True
    ids = visible_agency_ids(user)
    agency_id = agency if isinstance(agency, int) else getattr(agency, "pk", None)
    return bool(ids) and agency_id in ids


def can_import_documents(user, obj=None) -> bool:
    return is_oversight(user)


def can_manage_follow_up(user, obj=None) -> bool:
    """Publish the monthly ranking, record improvement reports, choose and record site checks."""
    return is_oversight(user)


def can_view_half_year_report(user, obj=None) -> bool:
    return is_oversight(user)


def can_edit_rules(user, obj=None) -> bool:
    return is_oversight(user)
