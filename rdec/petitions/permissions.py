"""Who may do what with petitions. Services enforce these with core.permissions.require()."""

from __future__ import annotations

from rdec.core.models import Role
from rdec.core.permissions import _user_ok, has_role, is_oversight, visible_agency_ids


def _member_of(user, agency_id) -> bool:
    ids = visible_agency_ids(user)
    return (
        ids is not None
        and agency_id in ids
        and user.role in (Role.AGENCY_STAFF, Role.SUPERVISOR, Role.SYSTEM)
    )


def _is_supervisor_of(user, agency_id) -> bool:
    return _member_of(user, agency_id) and user.role == Role.SUPERVISOR


def co_agency_ids(case) -> tuple[int, ...]:
    """The case's co-agencies (協辦), read once per case object: the permission checks of one
    request ask several times. Services that change co-agencies reset it (`forget_co_agencies`)."""
    if not hasattr(case, "_rdec_co_agency_ids"):
        case._rdec_co_agency_ids = tuple(case.co_agencies.values_list("id", flat=True)) if case.pk else ()
    return case._rdec_co_agency_ids


def forget_co_agencies(case) -> None:
    case.__dict__.pop("_rdec_co_agency_ids", None)


def _co_member(user, case) -> bool:
    ids = visible_agency_ids(user)
    return bool(ids) and any(a in ids for a in co_agency_ids(case))


def can_view_inbox(user, obj=None) -> bool:
    return is_oversight(user) or (_user_ok(user) and user.is_agency_member)


def can_use_console(user, obj=None) -> bool:
    return has_role(user, Role.CALL_AGENT, Role.RDEC_OFFICER, Role.ADMIN)


def can_view_kb(user, obj=None) -> bool:
    return can_use_console(user) or can_view_inbox(user)


def can_edit_article(user, article=None) -> bool:
    if is_oversight(user):
        return True
    return article is not None and _member_of(user, article.agency_id)


def can_create_article(user, obj=None) -> bool:
    return is_oversight(user) or (_user_ok(user) and user.is_agency_member)


def can_file_case(user, obj=None) -> bool:
    """Anyone may file: citizens without an account, call agents, agencies and connected systems."""
    return True


def can_view_case(user, case) -> bool:
    if is_oversight(user):
        return True
    if not _user_ok(user):
        return False
    if _member_of(user, case.agency_id) or _co_member(user, case):
        return True
    if user.role == Role.CALL_AGENT:
        return True
    return user.role == Role.CITIZEN and case.citizen_id == user.pk


def can_see_personal_data(user, case) -> bool:
    """Only the handlers of the case: the responsible agency's staff (co-agencies too unless the
    petitioner asked for confidentiality), and the call agent who took the call."""
    if not _user_ok(user):
        return False
    if _member_of(user, case.agency_id):
        return True
    if not case.confidential and _co_member(user, case):
        return True
    return user.role == Role.CALL_AGENT and case.created_by_id == user.pk


def can_handle(user, case) -> bool:
    return _member_of(user, case.agency_id)


def can_assign(user, case=None) -> bool:
    """分案: RDEC officers and 1999 agents route a case to an agency."""
    return has_role(user, Role.RDEC_OFFICER, Role.ADMIN, Role.CALL_AGENT)


def can_transfer(user, case) -> bool:
    return is_oversight(user) or _member_of(user, case.agency_id)


def can_add_co_agency(user, case) -> bool:
    return is_oversight(user) or _member_of(user, case.agency_id)


def can_reassign(user, case) -> bool:
    return is_oversight(user) or _is_supervisor_of(user, case.agency_id)


def can_merge(user, case) -> bool:
    return is_oversight(user) or _member_of(user, case.agency_id)


def can_request_extension(user, case) -> bool:
    return _member_of(user, case.agency_id)


def can_decide_extension(user, case) -> bool:
    return _is_supervisor_of(user, case.agency_id)


def can_draft_reply(user, case) -> bool:
    return _member_of(user, case.agency_id)


def can_approve_reply(user, case) -> bool:
    return _is_supervisor_of(user, case.agency_id)


def can_close(user, case) -> bool:
    return is_oversight(user) or _is_supervisor_of(user, case.agency_id)


def can_reopen(user, case) -> bool:
    return is_oversight(user) or _is_supervisor_of(user, case.agency_id)


def can_withdraw(user, case) -> bool:
    """Staff record a withdrawal the petitioner asked for; a citizen withdraws their own case; a
    1999 call agent only for a caller who is the petitioner (see withdraws_for_a_caller)."""
    if _member_of(user, case.agency_id) or is_oversight(user) or has_role(user, Role.CALL_AGENT):
        return True
    return _user_ok(user) and case.citizen_id == user.pk


def withdraws_for_a_caller(user, case) -> bool:
    """A call agent withdrawing a case they do not handle: allowed only at the petitioner's request,
    for a caller whose phone is the case's petitioner phone, with the reason recorded — checked by
    services.withdraw_case, which has the caller's phone."""
    return has_role(user, Role.CALL_AGENT) and not (_member_of(user, case.agency_id) or is_oversight(user))


def can_manage_duty_contacts(user, agency=None) -> bool:
    """An agency keeps its own duty contacts (公務訊息對口); RDEC officers and administrators any."""
    if is_oversight(user):
        return True
    if agency is None:
        return _user_ok(user) and user.is_agency_member and user.role != Role.SYSTEM
    return _member_of(user, getattr(agency, "pk", agency)) and user.role != Role.SYSTEM


def can_add_attachment(user, case) -> bool:
    """The case's handlers; or whoever filed it, within the hour of filing (the filing form passes
    the case it has just created — an anonymous filer has no account to match)."""
    import datetime

    from django.utils import timezone

    if can_handle(user, case):
        return True
    if case.received_at < timezone.now() - datetime.timedelta(hours=1):
        return False
    filer = case.created_by_id
    return filer is None or (_user_ok(user) and filer == user.pk)


def can_acknowledge(user, case) -> bool:
    return _member_of(user, case.agency_id)


def can_manage_petitioner_data(user, case=None) -> bool:
    """Export or erase a petitioner's data on request (個資法 rights): administrators only."""
    return has_role(user, Role.ADMIN)


def can_rate(user, case) -> bool:
    """Rating goes through a signed link given only to the petitioner; the service checks the link."""
    return True


def can_submit_queued(user, obj=None) -> bool:
    """The queued intake is for signed-in callers and connected systems (API keys)."""
    return _user_ok(user)


def can_view_submission(user, submission) -> bool:
    return is_oversight(user) or (_user_ok(user) and submission.actor_id == user.pk)


def can_file_submissions(user, obj=None) -> bool:
    """The background job (no signed-in user) files queued submissions; RDEC and administrators
    may run it by hand."""
    return user is None or is_oversight(user)
