"""Who may do what with opinion polls (rdec.core.permissions): the RDEC designs, imports, weights and
publishes; a published poll (its results, rates and disclosure) is public."""

from __future__ import annotations

from rdec.core.models import Role
from rdec.core.permissions import _user_ok, is_oversight


def can_manage_polls(user, obj=None) -> bool:
    return is_oversight(user)


def can_view_survey(user, survey=None) -> bool:
    if is_oversight(user):
        return True
    return survey is not None and survey.is_published


def can_upload_responses(user, survey=None) -> bool:
    """The fieldwork file by API: the RDEC (session), or the poll's contractor through the key the
    RDEC issued for this poll (a key of another poll or of an agency may not)."""
    if is_oversight(user):
        return not getattr(user, "api_read_only", False)
    if survey is None or not _user_ok(user) or user.role != Role.SYSTEM or not survey.contractor_key_id:
        return False
    key = getattr(user, "api_key", None)
    return key is not None and key.pk == survey.contractor_key_id
