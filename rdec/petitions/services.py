"""Petition use cases: one function each — atomic, permission-checked, recorded in the case
history and the audit trail, follow-ups (notifications) queued after commit."""

from __future__ import annotations

import datetime
import secrets
import time

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import attachments, audit, geo, workdays
from rdec.core.context import acting_as
from rdec.core.models import Agency, District, Role, User, Village
from rdec.core.permissions import require, visible_agency_ids
from rdec.core.tasks import enqueue_on_commit
from rdec.petitions import deadlines, hooks, numbering, submissions
from rdec.petitions.models import (
    AgencyTenure,
    Article,
    ArticleVersion,
    Case,
    CaseEvent,
    Category,
    Extension,
    IdempotencyKey,
    Rating,
    Reply,
    Submission,
)
from rdec.petitions.permissions import forget_co_agencies, withdraws_for_a_caller
from rdec.petitions.privacy import normalize_phone
from rdec.petitions.search import search_text
from rdec.petitions.tracking import CODE_ALPHABET, RATING_LINK_DAYS, RATING_SALT, hash_code


class TransitionError(ValidationError):
    """The case is not in a state that allows this step."""


def _now():
    return timezone.now()


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _event(case, verb, actor, *, note="", public=False, agency=None, to_agency=None, **data):
    data = {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}
    CaseEvent.objects.create(
        case=case,
        verb=verb,
        actor=_actor(actor),
        note=note,
        public=public,
        agency=agency or case.agency,
        to_agency=to_agency,
        data=data,
    )
    audit.record(f"petition.{verb}", case, note=note[:200], **data)


def _require_status(case, *allowed, message=None):
    if case.status not in allowed:
        raise TransitionError(
            message
            or _("This step is not possible while the case is %(status)s.")
            % {"status": case.get_status_display()}
        )


def _next_number(received: datetime.datetime) -> str:
    year = timezone.localtime(received).year - 1911
    return f"{year}-{numbering.next_number(year):07d}"


def _resolve_place(lat, lon, district=None, village=None):
    """District and village from the point when given, else as passed."""
    if lat is not None and lon is not None:
        place = geo.resolve(lat, lon)
        if place is not None:
            district = District(pk=place.district_id, code=place.district_code, name=place.district_name)
            village = (
                Village(pk=place.village_id, code=place.village_code, name=place.village_name)
                if place.village_id
                else None
            )
    return district, village


def _check_case_input(
    *, category, subject, description, petitioner_name, petitioner_phone, petitioner_email, lat, lon
) -> None:
    errors = {}
    if category is None or not category.is_leaf or not category.active:
        errors["category"] = [_("Choose a category from the list.")]
    if not subject.strip():
        errors["subject"] = [_("Give the case a subject.")]
    if not description.strip():
        errors["description"] = [_("Describe what happened and where.")]
    anonymous = not (petitioner_name.strip() and (petitioner_phone.strip() or petitioner_email.strip()))
    if anonymous and category is not None and not category.anonymous_allowed:
        errors["petitioner_name"] = [_("This category needs your name and a phone number or e-mail.")]
    if (lat is None) != (lon is None):
        errors["lat"] = [_("Give both latitude and longitude, or neither.")]
    if errors:
        raise ValidationError(errors)


def _new_case(
    *,
    actor,
    channel,
    category,
    subject,
    description,
    address,
    lat,
    lon,
    district,
    petitioner_name,
    petitioner_phone,
    petitioner_email,
    confidential,
    agency,
    received_at,
    code=None,
) -> tuple[Case, str]:
    """The case as it will be stored (no number yet) and its tracking code."""
    petitioner_phone = normalize_phone(petitioner_phone)
    district, village = _resolve_place(lat, lon, district)
    target = (
        agency
        or (category.district_office and _district_office(district))
        or category.default_agency
        or Agency.objects.get(code="rdec")
    )
    due = deadlines.due_date_for(received_at, category.working_days)
    code = code or _new_tracking_code()
    user = _actor(actor)
    case = Case(
        channel=channel,
        category=category,
        subject=subject.strip(),
        description=description.strip(),
        search_text=search_text(subject, description),
        address=address.strip(),
        lat=lat,
        lon=lon,
        district=district,
        village=village,
        petitioner_name=petitioner_name.strip(),
        petitioner_phone=petitioner_phone.strip(),
        petitioner_email=petitioner_email.strip(),
        confidential=confidential,
        citizen=user if user is not None and user.role == Role.CITIZEN else None,
        agency=target,
        status=Case.Status.ASSIGNED,
        urgent=category.urgent,
        received_at=received_at,
        due_date=due,
        original_due_date=due,
        created_by=user,
        ack_due_at=received_at + datetime.timedelta(hours=category.ack_hours)
        if category.urgent and category.ack_hours
        else None,
    )
    case._rdec_agency_chosen = agency is not None  # routed by hand: the router's doubts do not apply
    return case, code


def _district_office(district) -> Agency | None:
    """The 區公所 of the district (for a category the district offices handle), if known."""
    if district is None:
        return None
    return Agency.objects.filter(level=Agency.Level.DISTRICT_OFFICE, district=district).first()


def _new_tracking_code() -> str:
    # 32 letters: five random bits pick one without bias, from a single call to the OS
    return "".join(CODE_ALPHABET[b & 31] for b in secrets.token_bytes(8))


def _store_new_cases(items: list[tuple[Case, str, object]]) -> None:
    """Store new cases (case, tracking code, actor) with their numbers, agency tenure, history
    (受理, 分案) and audit entries, a few statements for any number of cases; receipts (and the
    urgent dispatch) are queued after commit. The audit entries name the acting user and address
    of the current context (core.context), as every other write does."""
    by_year: dict[int, list[Case]] = {}
    for case, *_rest in items:
        by_year.setdefault(timezone.localtime(case.received_at).year - 1911, []).append(case)
    for year, cases in by_year.items():
        for case, seq in zip(cases, numbering.next_numbers(year, len(cases)), strict=True):
            case.number = f"{year}-{seq:07d}"
    for case, code, *_rest in items:
        case.tracking_code_hash = hash_code(case.number, code)
        case._rdec_co_agency_ids = ()  # a new case has no co-agencies: permission checks need not ask
    Case.objects.bulk_create([case for case, _code, _actor_ in items])
    AgencyTenure.objects.bulk_create(
        [AgencyTenure(case=case, agency=case.agency, started_at=case.received_at) for case, _c, _a in items]
    )
    events, entries = [], []
    for case, _code, actor in items:
        user = _actor(actor)
        entries.append(audit.created_entry(case))
        for verb, data in (
            ("received", {"channel": case.channel}),
            ("assigned", {"agency_code": case.agency.code}),
        ):
            events.append(
                CaseEvent(
                    case=case,
                    at=case.received_at,
                    verb=verb,
                    actor=user,
                    public=True,
                    agency=case.agency,
                    to_agency=case.agency if verb == "assigned" else None,
                    data=data,
                )
            )
            entries.append(audit.event_entry(f"petition.{verb}", case, note="", **data))
    CaseEvent.objects.bulk_create(events)
    audit.write_all(entries)
    # other modules' checks on new cases, every channel (analytics: an unsure router → 分案 queue)
    hooks.filed([case for case, *_rest in items])
    from rdec.petitions import tasks

    # one job for the receipts of the whole batch; urgent cases are dispatched each at once
    if len(items) == 1:
        enqueue_on_commit(tasks.send_receipt, case_id=items[0][0].pk)
    else:
        enqueue_on_commit(tasks.send_receipts, case_ids=[case.pk for case, *_rest in items])
    for case, *_rest in items:
        if case.urgent:
            enqueue_on_commit(tasks.dispatch_urgent, case_id=case.pk)


@transaction.atomic
def file_case(
    *,
    actor,
    channel: str,
    category: Category,
    subject: str,
    description: str,
    address: str = "",
    lat: float | None = None,
    lon: float | None = None,
    district: District | None = None,
    petitioner_name: str = "",
    petitioner_phone: str = "",
    petitioner_email: str = "",
    confidential: bool = False,
    agency: Agency | None = None,
    idempotency_key: str | None = None,
    received_at: datetime.datetime | None = None,
) -> tuple[Case, str | None]:
    """受理: register a case, route it to the category's agency (分案) and set its due date.

    Returns (case, tracking code). With an idempotency key already used, returns the case it made
    and None for the code (the code was shown to the first submission only).
    """
    require(actor, "petitions.file_case")
    if idempotency_key:
        existing = IdempotencyKey.objects.select_related("case").filter(key=idempotency_key).first()
        if existing:
            return existing.case, None
    fields = {
        "category": category,
        "subject": subject,
        "description": description,
        "petitioner_name": petitioner_name,
        "petitioner_phone": petitioner_phone,
        "petitioner_email": petitioner_email,
        "lat": lat,
        "lon": lon,
    }
    _check_case_input(**fields)
    case, code = _new_case(
        actor=actor,
        channel=channel,
        address=address,
        district=district,
        confidential=confidential,
        agency=agency,
        received_at=received_at or _now(),
        **fields,
    )
    _store_new_cases([(case, code, actor)])
    if idempotency_key:
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(key=idempotency_key, case=case)
        except IntegrityError:
            transaction.set_rollback(True)
            return IdempotencyKey.objects.get(key=idempotency_key).case, None
    return case, code


# --- queued intake ---------------------------------------------------------------------------------

SUBMISSION_PERSONAL_FIELDS = (
    "petitioner_name",
    "petitioner_phone",
    "petitioner_email",
    "address",
    "lat",
    "lon",
)


def submit_case(
    *,
    actor,
    category: Category,
    data: dict,
    district: District | None = None,
    idempotency_key: str | None = None,
    ip_address: str | None = None,
) -> tuple[Submission, bool]:
    """Queued 受理: check the submission as file_case would, store it, and leave the filing (case
    number, routing, history) to a background job moments later. Returns (submission, created);
    a retry with a known idempotency key returns the first submission and False.

    `data` holds subject, description, channel, address, lat, lon, petitioner_name/phone/email and
    confidential, as file_case takes them."""
    require(actor, "petitions.submit_queued")
    if idempotency_key:
        existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    _check_case_input(
        category=category,
        subject=data["subject"],
        description=data["description"],
        petitioner_name=data["petitioner_name"],
        petitioner_phone=data["petitioner_phone"],
        petitioner_email=data["petitioner_email"],
        lat=data["lat"],
        lon=data["lon"],
    )
    payload = {**data, "category": category.code, "district": district.code if district else ""}
    submission = Submission(
        token=secrets.token_urlsafe(18),
        actor=_actor(actor),
        ip_address=ip_address,
        idempotency_key=idempotency_key or None,
        payload=payload,
        tracking_code=_new_tracking_code(),
        received_at=_now(),
    )
    from rdec.petitions import tasks

    if connection.in_atomic_block:
        # inside the caller's transaction: stored on its connection, filed once it commits
        stored = submissions.insert([submission])[0]
        if stored:
            transaction.on_commit(tasks.request_filing)
    else:
        # committed with whatever else is arriving (one statement, one commit), answered after
        stored = submissions.committer.submit(submission)
        if stored:
            tasks.request_filing()
    if not stored:  # the same key, submitted at the same moment
        return Submission.objects.get(idempotency_key=idempotency_key), False
    return submission, True


def file_submissions(*, actor=None, batch: int = 200, pause=None) -> int:
    """File the waiting submissions as cases, `batch` at a time, each batch in one transaction
    (a few statements for the whole batch). A submission that can no longer be filed (its category
    was withdrawn meanwhile) is marked failed with the reason. Returns how many cases were made.

    Run by the background job; several workers may run it at once on PostgreSQL (rows are claimed
    with SKIP LOCKED). `actor` is the system; each case records its own submitter. `pause`, if
    given, is called after each batch with the seconds it took (the job paces itself with it)."""
    require(actor, "petitions.file_submissions")
    made = 0
    while True:
        started = time.monotonic()
        with transaction.atomic():
            pending = Submission.objects.filter(status=Submission.Status.PENDING).order_by("id")
            if connection.features.has_select_for_update_skip_locked:
                pending = pending.select_for_update(skip_locked=True, of=("self",))
            rows = list(pending.select_related("actor")[:batch])
            if not rows:
                return made
            made += _file_batch(rows)
        if pause is not None:
            pause(time.monotonic() - started)


def _file_batch(rows: list[Submission]) -> int:
    categories = {c.code: c for c in Category.objects.select_related("parent", "default_agency")}
    districts = {d.code: d for d in District.objects.defer("geometry")}
    groups: dict[tuple, list[tuple[Case, str, object, Submission]]] = {}
    now = _now()
    for row in rows:
        p = row.payload
        category = categories.get(p.get("category"))
        fields = {
            "category": category,
            "subject": p.get("subject", ""),
            "description": p.get("description", ""),
            "petitioner_name": p.get("petitioner_name", ""),
            "petitioner_phone": p.get("petitioner_phone", ""),
            "petitioner_email": p.get("petitioner_email", ""),
            "lat": p.get("lat"),
            "lon": p.get("lon"),
        }
        try:
            _check_case_input(**fields)
        except ValidationError as error:
            row.status, row.error, row.payload, row.tracking_code = (
                Submission.Status.FAILED,
                error.message_dict,
                {},
                "",
            )
            row.filed_at = now
            continue
        case, code = _new_case(
            actor=row.actor,
            channel=p.get("channel") or Case.Channel.OPEN311,
            address=p.get("address", ""),
            district=districts.get(p.get("district") or ""),
            confidential=bool(p.get("confidential")),
            agency=None,
            received_at=row.received_at,
            code=row.tracking_code,
            **fields,
        )
        groups.setdefault((row.actor_id, row.ip_address), []).append((case, code, row.actor, row))
    for (_actor_id, ip), items in groups.items():
        with acting_as(items[0][2], ip_address=ip):
            _store_new_cases([(case, code, actor) for case, code, actor, _row in items])
    failed = [row for row in rows if row.status == Submission.Status.FAILED]
    for row in failed:
        row.save(update_fields=["status", "error", "payload", "tracking_code", "filed_at"])
    filed = [(row.pk, case.pk) for items in groups.values() for case, *_rest, row in items]
    _mark_filed(filed, now)
    return len(filed)


def _mark_filed(pairs: list[tuple[int, int]], now) -> None:
    """Link each submission to its case and clear its copy of the petitioner's data: one UPDATE
    for the batch on PostgreSQL."""
    if not pairs:
        return
    if connection.vendor != "postgresql":
        for submission_id, case_id in pairs:
            Submission.objects.filter(pk=submission_id).update(
                case_id=case_id, status=Submission.Status.FILED, filed_at=now, payload={}, tracking_code=""
            )
        return
    values = ", ".join(["(%s, %s)"] * len(pairs))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE petitions_submission AS s SET case_id = v.case_id, status = %s, filed_at = %s, "  # noqa: S608 - placeholders only
            f"payload = '{{}}'::jsonb, tracking_code = '' FROM (VALUES {values}) AS v(id, case_id) WHERE s.id = v.id",
            [Submission.Status.FILED, now, *[x for pair in pairs for x in pair]],
        )


@transaction.atomic
def assign_case(case: Case, *, actor, agency: Agency, note: str = "") -> Case:
    """分案 by RDEC or a 1999 agent: route a newly received case to an agency."""
    require(actor, "petitions.assign", case)
    _require_status(case, Case.Status.RECEIVED, Case.Status.ASSIGNED)
    return _move(case, actor, agency, verb="assigned", note=note)


def _move(case, actor, agency, *, verb, note):
    now = _now()
    AgencyTenure.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    AgencyTenure.objects.create(case=case, agency=agency, started_at=now)
    previous = case.agency
    case.agency, case.handler, case.status = agency, None, Case.Status.ASSIGNED
    case.save(update_fields=["agency", "handler", "status"])
    _event(
        case,
        verb,
        actor,
        note=note,
        public=True,
        agency=previous,
        to_agency=agency,
        from_agency_code=previous.code,
        agency_code=agency.code,
    )
    return case


@transaction.atomic
def transfer_case(case: Case, *, actor, agency: Agency, reason: str) -> Case:
    """移文: hand the case to another agency; the record keeps who held it for how long."""
    require(actor, "petitions.transfer", case)
    _require_status(case, *Case.OPEN_STATUSES)
    if agency.pk == case.agency_id:
        raise ValidationError({"agency": [_("The case is already with this agency.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the case belongs to the other agency.")]})
    _move(case, actor, agency, verb="transferred", note=reason.strip())
    from rdec.petitions import tasks

    enqueue_on_commit(tasks.notify_transfer, case_id=case.pk)
    return case


@transaction.atomic
def add_co_agency(case: Case, *, actor, agency: Agency, note: str = "") -> Case:
    """協辦: another agency helps with the case; it sees the case (and the petitioner's data unless
    身分保密 was asked for), the responsible agency still answers."""
    require(actor, "petitions.add_co_agency", case)
    _require_status(case, *Case.OPEN_STATUSES)
    if agency.pk == case.agency_id or case.co_agencies.filter(pk=agency.pk).exists():
        raise ValidationError({"agency": [_("This agency already works on the case.")]})
    case.co_agencies.add(agency)
    forget_co_agencies(case)
    _event(case, "co_agency_added", actor, note=note, to_agency=agency, agency_code=agency.code)
    return case


@transaction.atomic
def reassign_case(case: Case, *, actor, handler: User, note: str = "") -> Case:
    """改分: give the case to a handler inside the agency."""
    require(actor, "petitions.reassign", case)
    _require_status(case, *Case.OPEN_STATUSES)
    if handler.agency_id != case.agency_id or handler.role not in (Role.AGENCY_STAFF, Role.SUPERVISOR):
        raise ValidationError({"handler": [_("The handler must be staff of the case's agency.")]})
    case.handler = handler
    case.save(update_fields=["handler"])
    _event(case, "reassigned", actor, note=note, handler=handler.get_username())
    return case


@transaction.atomic
def start_case(case: Case, *, actor) -> Case:
    """處理中: the handler takes the case up."""
    require(actor, "petitions.handle", case)
    _require_status(case, Case.Status.ASSIGNED, Case.Status.RECEIVED)
    case.status = Case.Status.IN_PROGRESS
    if case.handler_id is None:
        case.handler = actor
    case.save(update_fields=["status", "handler"])
    _event(case, "started", actor, public=True)
    return case


@transaction.atomic
def acknowledge_dispatch(case: Case, *, actor) -> Case:
    require(actor, "petitions.acknowledge", case)
    if case.acknowledged_at is None:
        case.acknowledged_at = _now()
        case.save(update_fields=["acknowledged_at"])
        _event(
            case, "acknowledged", actor, late=bool(case.ack_due_at and case.acknowledged_at > case.ack_due_at)
        )
    return case


@transaction.atomic
def merge_case(duplicate: Case, *, actor, into: Case, note: str = "") -> Case:
    """併案: the duplicate follows the main case; its petitioner gets the main case's reply."""
    require(actor, "petitions.merge", into)
    require(actor, "petitions.merge", duplicate)
    _require_status(duplicate, *Case.OPEN_STATUSES)
    _require_status(into, *Case.OPEN_STATUSES, Case.Status.REPLIED)
    if duplicate.pk == into.pk or into.merged_into_id:
        raise ValidationError({"into": [_("Merge into a different case that is not itself merged.")]})
    duplicate.status, duplicate.merged_into = Case.Status.MERGED, into
    duplicate.save(update_fields=["status", "merged_into"])
    AgencyTenure.objects.filter(case=duplicate, ended_at__isnull=True).update(ended_at=_now())
    _event(duplicate, "merged", actor, note=note, public=True, into=into.number)
    _event(into, "merged_in", actor, note=note, duplicate=duplicate.number)
    return duplicate


@transaction.atomic
def withdraw_case(case: Case, *, actor, reason: str = "", caller_phone: str = "") -> Case:
    """撤回. A 1999 call agent (no handler of the case) withdraws only at the petitioner's request:
    for a caller whose phone is the case's petitioner phone, with the reason recorded."""
    require(actor, "petitions.withdraw", case)
    _require_status(case, *Case.OPEN_STATUSES)
    extra = {}
    if withdraws_for_a_caller(actor, case):
        errors = {}
        if not reason.strip():
            errors["reason"] = [_("Record why the petitioner asks to withdraw the case.")]
        caller = normalize_phone(caller_phone)
        if not caller or caller != normalize_phone(case.petitioner_phone):
            errors["caller_phone"] = [
                _(
                    "A call agent withdraws a case only at its petitioner's request: the caller's phone "
                    "must be the petitioner's phone on the case."
                )
            ]
        if errors:
            raise ValidationError(errors)
        extra["requested_by"] = "petitioner"  # the caller's phone matched the case's
    case.status, case.closed_at = Case.Status.WITHDRAWN, _now()
    case.save(update_fields=["status", "closed_at"])
    AgencyTenure.objects.filter(case=case, ended_at__isnull=True).update(ended_at=case.closed_at)
    _event(case, "withdrawn", actor, note=reason, public=True, **extra)
    return case


@transaction.atomic
def request_extension(case: Case, *, actor, working_days: int, reason: str) -> Extension:
    """展期: asked before the due date; a supervisor decides."""
    require(actor, "petitions.request_extension", case)
    _require_status(case, *Case.OPEN_STATUSES)
    if timezone.localdate() > case.due_date:
        raise TransitionError(_("An extension must be requested before the due date."))
    if case.extensions.filter(status=Extension.Status.PENDING).exists():
        raise TransitionError(_("An extension request is already waiting for a decision."))
    errors = {}
    if not reason.strip():
        errors["reason"] = [_("Give the reason; the petitioner will be told.")]
    if not 1 <= working_days <= 30:
        errors["working_days"] = [_("Extend by 1 to 30 working days.")]
    if errors:
        raise ValidationError(errors)
    new_due = workdays.add_working_days(case.due_date, working_days)
    ext = Extension.objects.create(
        case=case,
        reason=reason.strip(),
        requested_due_date=new_due,
        previous_due_date=case.due_date,
        requested_by=actor,
    )
    _event(case, "extension_requested", actor, note=reason.strip(), requested_due_date=new_due)
    return ext


@transaction.atomic
def decide_extension(ext: Extension, *, actor, approve: bool, note: str = "") -> Extension:
    case = ext.case
    require(actor, "petitions.decide_extension", case)
    if ext.status != Extension.Status.PENDING:
        raise TransitionError(_("This extension request has already been decided."))
    ext.status = Extension.Status.APPROVED if approve else Extension.Status.REJECTED
    ext.decided_by, ext.decided_at = actor, _now()
    ext.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        case.due_date = ext.requested_due_date
        case.save(update_fields=["due_date"])
        from rdec.petitions import tasks

        enqueue_on_commit(tasks.notify_extension, case_id=case.pk, extension_id=ext.pk)
    _event(
        case,
        "extension_approved" if approve else "extension_rejected",
        actor,
        note=note,
        public=approve,
        due_date=case.due_date,
    )
    return ext


@transaction.atomic
def save_reply(case: Case, *, actor, body: str, internal_note: str = "", submit: bool = True) -> Reply:
    """The handler writes the public reply (and an internal note kept apart) for approval."""
    require(actor, "petitions.draft_reply", case)
    _require_status(case, *Case.OPEN_STATUSES)
    if not body.strip():
        raise ValidationError({"body": [_("Write the reply to the petitioner.")]})
    reply = case.replies.filter(status__in=[Reply.Status.DRAFT, Reply.Status.RETURNED]).first()
    status = Reply.Status.SUBMITTED if submit else Reply.Status.DRAFT
    if reply is None:
        reply = Reply.objects.create(
            case=case, body=body.strip(), internal_note=internal_note.strip(), author=actor, status=status
        )
    else:
        reply.body, reply.internal_note, reply.status = body.strip(), internal_note.strip(), status
        reply.save(update_fields=["body", "internal_note", "status"])
    if case.status == Case.Status.ASSIGNED:
        case.status = Case.Status.IN_PROGRESS
        case.handler = case.handler or actor
        case.save(update_fields=["status", "handler"])
    _event(case, "reply_submitted" if submit else "reply_drafted", actor)
    return reply


@transaction.atomic
def approve_reply(reply: Reply, *, actor, approve: bool = True, note: str = "") -> Reply:
    """The supervisor approves (the reply is sent to the petitioner of the case and of every case
    merged into it) or returns it for revision."""
    case = reply.case
    require(actor, "petitions.approve_reply", case)
    if reply.status != Reply.Status.SUBMITTED:
        raise TransitionError(_("Only a reply awaiting approval can be approved or returned."))
    if not approve:
        reply.status = Reply.Status.RETURNED
        reply.save(update_fields=["status"])
        _event(case, "reply_returned", actor, note=note)
        return reply
    now = _now()
    reply.status, reply.approved_by, reply.approved_at = Reply.Status.APPROVED, actor, now
    reply.save(update_fields=["status", "approved_by", "approved_at"])
    recipients = [case, *case.merged_cases.all()]
    for target in recipients:
        target.replied_at = now
        if target.pk == case.pk:
            target.status = Case.Status.REPLIED
            target.save(update_fields=["status", "replied_at"])
        else:
            target.save(update_fields=["replied_at"])
    _event(case, "replied", actor, public=True, on_time=timezone.localdate() <= case.original_due_date)
    from rdec.petitions import tasks

    for target in recipients:
        enqueue_on_commit(tasks.send_reply, case_id=target.pk, reply_id=reply.pk)
    return reply


@transaction.atomic
def rate_case(token: str, *, actor, score: int, comment: str = "") -> Rating:
    """The petitioner rates the reply (1–5) through the signed link sent with it."""
    require(actor, "petitions.rate", None)
    try:
        data = signing.loads(token, salt=RATING_SALT, max_age=datetime.timedelta(days=RATING_LINK_DAYS))
    except signing.SignatureExpired as exc:
        raise ValidationError({"token": [_("This rating link has expired.")]}) from exc
    except signing.BadSignature as exc:
        raise ValidationError({"token": [_("This rating link is not valid.")]}) from exc
    case = Case.objects.select_for_update().filter(pk=data.get("c")).first()
    if case is None or case.replied_at is None or data.get("r") != case.replied_at.isoformat():
        raise ValidationError({"token": [_("This rating link is not valid.")]})
    if case.ratings.filter(created_at__gte=case.replied_at).exists():
        raise ValidationError({"token": [_("This reply has already been rated. Thank you.")]})
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError({"score": [_("Choose a score from 1 to 5.")]})
    rating = Rating.objects.create(case=case, score=score, comment=comment.strip())
    with acting_as(None):
        _event(case, "rated", None, note=comment.strip(), public=True, score=score)
    return rating


@transaction.atomic
def reopen_case(case: Case, *, actor, reason: str, working_days: int | None = None) -> Case:
    """Reopen after a dissatisfied rating (1 or 2): back to 處理中 with a new due date."""
    require(actor, "petitions.reopen", case)
    _require_status(case, Case.Status.REPLIED, Case.Status.CLOSED)
    latest = case.ratings.order_by("-created_at").first()
    if latest is None or latest.score > 2:
        raise TransitionError(_("A case is reopened after a dissatisfied rating (1 or 2)."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the case is reopened.")]})
    days = working_days or case.category.working_days
    case.status, case.closed_at = Case.Status.IN_PROGRESS, None
    case.due_date = workdays.add_working_days(timezone.localdate(), days)
    case.save(update_fields=["status", "closed_at", "due_date"])
    _event(case, "reopened", actor, note=reason.strip(), public=True, due_date=case.due_date)
    return case


@transaction.atomic
def close_case(case: Case, *, actor, note: str = "") -> Case:
    """結案 after the reply."""
    require(actor, "petitions.close", case)
    _require_status(case, Case.Status.REPLIED)
    case.status, case.closed_at = Case.Status.CLOSED, _now()
    case.save(update_fields=["status", "closed_at"])
    AgencyTenure.objects.filter(case=case, ended_at__isnull=True).update(ended_at=case.closed_at)
    for merged in case.merged_cases.all():
        merged.closed_at = case.closed_at
        merged.save(update_fields=["closed_at"])
    _event(case, "closed", actor, note=note, public=True)
    return case


@transaction.atomic
def erase_petitioner_data(case: Case, *, actor) -> Case:
    """Erase a petitioner's personal data on request; the case stays for the statistics."""
    require(actor, "petitions.manage_petitioner_data", case)
    case.petitioner_name = case.petitioner_phone = case.petitioner_email = ""
    case.address = ""
    case.lat = case.lon = None
    case.citizen = None
    case.erased_at = _now()
    case.save(
        update_fields=[
            "petitioner_name",
            "petitioner_phone",
            "petitioner_email",
            "address",
            "lat",
            "lon",
            "citizen",
            "erased_at",
        ]
    )
    case.notifications.all().delete()
    _event(case, "personal_data_erased", actor)
    return case


def export_petitioner_data(phone_or_email: str, *, actor) -> list[dict]:
    """Everything held about a petitioner (by phone or e-mail), for a data-subject request."""
    from django.db.models import Q

    require(actor, "petitions.manage_petitioner_data")
    key = phone_or_email.strip()
    cases = Case.objects.filter(Q(petitioner_phone=key) | Q(petitioner_email__iexact=key)).select_related(
        "category"
    )
    audit.record("petition.personal_data_exported", actor, count=len(cases))
    return [
        {
            "number": c.number,
            "received_at": c.received_at.isoformat(),
            "category": str(c.category),
            "subject": c.subject,
            "description": c.description,
            "address": c.address,
            "petitioner_name": c.petitioner_name,
            "petitioner_phone": c.petitioner_phone,
            "petitioner_email": c.petitioner_email,
            "status": c.status,
        }
        for c in cases
    ]


# --- knowledge base ---------------------------------------------------------------------------------


def _article_errors(question: str, answer: str, valid_from, valid_until) -> dict:
    errors = {}
    if not question.strip():
        errors["question"] = [_("Write the question as a caller would ask it.")]
    if not answer.strip():
        errors["answer"] = [_("Write the answer.")]
    if valid_until and valid_from and valid_until < valid_from:
        errors["valid_until"] = [_("The end of validity must come after its start.")]
    return errors


@transaction.atomic
def create_article(
    *,
    actor,
    question: str,
    answer: str,
    agency: Agency,
    tags: str = "",
    source_document: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    review_months: int = 6,
) -> Article:
    require(actor, "petitions.create_article")
    if not (actor.is_oversight or agency.pk in (visible_agency_ids(actor) or ())):
        raise ValidationError({"agency": [_("You can only write articles for your own agency.")]})
    valid_from = valid_from or timezone.localdate()
    errors = _article_errors(question, answer, valid_from, valid_until)
    if errors:
        raise ValidationError(errors)
    article = Article.objects.create(
        question=question.strip(),
        answer=answer.strip(),
        agency=agency,
        tags=tags.strip(),
        source_document=source_document.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        review_due=timezone.localdate() + datetime.timedelta(days=30 * review_months),
    )
    ArticleVersion.objects.create(
        article=article, version=1, question=article.question, answer=article.answer, saved_by=_actor(actor)
    )
    return article


@transaction.atomic
def update_article(
    article: Article,
    *,
    actor,
    question: str,
    answer: str,
    tags: str = "",
    source_document: str = "",
    valid_until: datetime.date | None = None,
) -> Article:
    """A new version; the earlier ones are kept."""
    require(actor, "petitions.edit_article", article)
    errors = _article_errors(question, answer, article.valid_from, valid_until)
    if errors:
        raise ValidationError(errors)
    article.question, article.answer, article.tags = question.strip(), answer.strip(), tags.strip()
    article.source_document, article.valid_until = source_document.strip(), valid_until
    article.version += 1
    article.save()
    ArticleVersion.objects.create(
        article=article,
        version=article.version,
        question=article.question,
        answer=article.answer,
        saved_by=_actor(actor),
    )
    return article


@transaction.atomic
def review_article(article: Article, *, actor, review_months: int = 6) -> Article:
    """The owning agency confirms the article is still right; the next review is due later."""
    require(actor, "petitions.edit_article", article)
    article.reviewed_at = _now()
    article.review_due = timezone.localdate() + datetime.timedelta(days=30 * review_months)
    article.save(update_fields=["reviewed_at", "review_due"])
    audit.record("article.reviewed", article)
    return article


# --- attachments ------------------------------------------------------------------------------------

ATTACHMENT_MAX_FILES = 5
# photos (stored without their metadata: EXIF, GPS) and PDFs, by content (core.attachments)
ATTACHMENT_KINDS = frozenset({"jpeg", "png", "pdf"})


@transaction.atomic
def add_attachment(case: Case, *, actor, uploaded_file):
    """Attach an image (JPEG/PNG, stored without EXIF metadata) or a PDF (stored as is), ≤ 10 MB,
    at most five per case. Part of filing (anyone who may file; the caller passes the case it just
    filed) or of handling (the case's agency)."""
    import uuid

    from django.core.files.base import ContentFile

    from rdec.petitions.models import Attachment

    require(actor, "petitions.add_attachment", case)
    if case.attachments.count() >= ATTACHMENT_MAX_FILES:
        raise ValidationError({"attachments": [_("At most 5 files can be attached.")]}, code="too_many")
    clean = attachments.clean_upload(uploaded_file, allowed=ATTACHMENT_KINDS, field="attachments")
    attachment = Attachment(case=case, name=clean.name, content_type=clean.content_type, size=len(clean.data))
    attachment.file.save(f"{uuid.uuid4().hex}.{clean.ext}", ContentFile(clean.data), save=False)
    attachment.save()
    _event(case, "attachment_added", actor, content_type=clean.content_type, size=len(clean.data))
    return attachment


MEDIA_LINKED = "media_linked"


@transaction.atomic
def add_media_url(case: Case, *, actor, url: str) -> Case:
    """Record a photo's address given with an Open311 request (`media_url`: a link, not an upload)
    in the case history; only the account that filed the case may, right after filing it."""
    require(actor, "petitions.file_case", case)
    user = _actor(actor)
    if user is None or case.created_by_id != user.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You do not have permission to do this."))
    _event(case, MEDIA_LINKED, actor, public=True, url=url)
    return case


@transaction.atomic
def save_duty_contact(
    *,
    actor,
    agency: Agency,
    name: str,
    phone: str,
    email: str = "",
    hours: str = "",
    primary: bool = True,
    active: bool = True,
    contact=None,
):
    """Add or change one of an agency's duty contacts (公務訊息對口)."""
    from rdec.petitions.models import DutyContact

    require(actor, "petitions.manage_duty_contacts", agency)
    if contact is not None:
        require(actor, "petitions.manage_duty_contacts", contact.agency)
    errors = {}
    if not name.strip():
        errors["name"] = [_("Give the contact's name or post.")]
    if len(normalize_phone(phone)) < 6:
        errors["phone"] = [_("Give a phone number that can be called.")]
    if errors:
        raise ValidationError(errors)
    contact = contact or DutyContact(agency=agency)
    contact.agency, contact.name, contact.phone, contact.email = (
        agency,
        name.strip(),
        phone.strip(),
        email.strip(),
    )
    contact.hours, contact.primary, contact.active = hours.strip() or "24小時", primary, active
    contact.save()
    return contact
