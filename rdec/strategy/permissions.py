"""Who may do what in the strategy cycle. Services enforce these with core.permissions.require().

- Agency staff, supervisors and their agency's API keys (RDEC officers for the plans 研考會 owns)
  report; agency members see the action plans their agency owns
  (主辦) or helps with (協辦), report the owned plans' targets, and ask for target changes.
- RDEC officers and administrators see everything, open and close reporting windows, decide
  target change requests and edit the thresholds.
"""

from __future__ import annotations

from rdec.core.models import Role
from rdec.core.permissions import _user_ok, agency_subtree_ids, is_oversight, visible_agency_ids

REPORTING_ROLES = (Role.AGENCY_STAFF, Role.SUPERVISOR, Role.SYSTEM)


def _plan_of(obj):
    """An ActionPlan, or the plan of a Target / QuarterlyReport / TargetChangeRequest."""
    if obj is None:
        return None
    if hasattr(obj, "strategy_id"):
        return obj
    if hasattr(obj, "plan"):
        return obj.plan
    if hasattr(obj, "target"):
        return obj.target.plan
    return None


def reporting_agency_ids(user) -> set[int]:
    """The agencies whose plans the user reports: an agency member's agency and those below it;
    an RDEC officer's own agency (研考會 owns plans too). Administrators report nothing."""
    if not _user_ok(user) or user.agency_id is None:
        return set()
    if user.role in REPORTING_ROLES and user.is_agency_member:
        return visible_agency_ids(user) or set()
    if user.role == Role.RDEC_OFFICER:
        return agency_subtree_ids(user.agency_id)
    return set()


def _member_of(user, agency_id) -> bool:
    return agency_id in reporting_agency_ids(user)


def can_view_strategy(user, obj=None) -> bool:
    """The strategy pages and API: RDEC and every agency member (each sees its own plans)."""
    return is_oversight(user) or (_user_ok(user) and user.is_agency_member)


def can_view_plan(user, obj=None) -> bool:
    if is_oversight(user):
        return True
    plan = _plan_of(obj)
    if plan is None or not (_user_ok(user) and user.is_agency_member):
        return False
    ids = visible_agency_ids(user) or set()
    return plan.agency_id in ids or any(a in ids for a in plan.co_agencies.values_list("id", flat=True))


def can_view_summary(user, obj=None) -> bool:
    """The mayor's summary across every agency: the RDEC (who prints it for the mayor)."""
    return is_oversight(user)


def can_report(user, obj=None) -> bool:
    """Report a target's quarterly value: members of the plan's owner agency (主辦) only."""
    if obj is None:
        return bool(reporting_agency_ids(user))
    plan = _plan_of(obj)
    return plan is not None and _member_of(user, plan.agency_id)


def can_request_target_change(user, obj=None) -> bool:
    plan = _plan_of(obj)
    if plan is None:
        return bool(reporting_agency_ids(user))
    return _member_of(user, plan.agency_id)


def can_decide_target_change(user, obj=None) -> bool:
    return is_oversight(user)


def can_manage_windows(user, obj=None) -> bool:
    return is_oversight(user)


def can_manage_plans(user, obj=None) -> bool:
    """Load plans, edit targets directly, edit the traffic-light thresholds."""
    return is_oversight(user)


# --- subsidy projects (一般性補助款基本設施補助計畫) --------------------------------------------------------


def _agency_of(obj):
    return getattr(obj, "agency_id", None)


def can_view_subsidies(user, obj=None) -> bool:
    if obj is None:
        return is_oversight(user) or (_user_ok(user) and user.is_agency_member)
    return is_oversight(user) or _agency_of(obj) in reporting_agency_ids(user)


def can_manage_subsidies(user, obj=None) -> bool:
    """Open a cycle, select projects at the selection meeting, publish a quarter: the RDEC."""
    return is_oversight(user)


def can_propose_subsidy(user, obj=None) -> bool:
    """obj: the agency proposing (or None: any agency the user reports for)."""
    if obj is None:
        return bool(reporting_agency_ids(user))
    return getattr(obj, "pk", obj) in reporting_agency_ids(user)


def can_edit_subsidy(user, obj=None) -> bool:
    """Set the schedule and report the months of a project: its agency."""
    return obj is not None and _agency_of(obj) in reporting_agency_ids(user)
