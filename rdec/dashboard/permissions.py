"""Who may open the city dashboard: the RDEC, administrators and agency members (their agency's
numbers). The public dashboard needs no permission."""

from rdec.core.permissions import _user_ok, is_oversight


def can_view_dashboard(user, obj=None) -> bool:
    return is_oversight(user) or (_user_ok(user) and user.is_agency_member)


def can_edit_dashboard(user, obj=None) -> bool:
    """Pin, remove and reorder the components of one's own dashboard."""
    return can_view_dashboard(user)
