"""合作備忘錄專區: write use cases of the MOU register (Mou, MouParty, MouApproval, MouReport).

Every public function checks permission with `rdec.core.permissions.require`
("transparency.manage_register": the responsible agency's staff and the RDEC), is atomic and raises
`django.core.exceptions.ValidationError` with a dict of field errors on bad input; creates and edits
of MOUs and approvals are in the audit trail (model tracking), steps as named events.

Rules (docs/transparency.md, "MOU register"):
- numbers `MOU-115-0001`: the ROC year of creation and a running number within it;
- status flow: draft → under_approval → signed → active → expired | terminated | renewed; any other
  step is refused (code `invalid_transition` on `status`);
- gates before 'signed' (or any later status): a mainland-area party needs an approved 陸委會 (mac)
  approval (兩岸條例 §5-1; code `approval_missing_mac`); a foreign local government an approved
  内政部 (moi) or 行政院 (ey) approval (code `approval_missing_central`);
- signing sets `publication_due` = signed_on + the rule's `mou_publication_days` calendar days (the
  rule in force on the signing day); `publish_mou` sets `published_at` (the full text is required);
- `expire_due_mous` (daily) makes MOUs in force whose `term_end` has passed 'expired', unless they
  renew automatically;
- one performance report a year (`add_mou_report`).

The full text is a PDF (rdec.core.attachments.clean_upload); its text is extracted with pypdfium2
when installed (otherwise, or for a scan, `lacks_text` is set).
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import attachments as core_attachments
from rdec.core import audit
from rdec.core.dates import roc_year
from rdec.core.permissions import is_oversight, require
from rdec.transparency.models import Mou, MouApproval, MouParty, MouReport
from rdec.transparency.services.rules import rule_for

logger = logging.getLogger(__name__)

S = Mou.Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.UNDER_APPROVAL}),
    S.UNDER_APPROVAL: frozenset({S.SIGNED}),
    S.SIGNED: frozenset({S.ACTIVE}),
    S.ACTIVE: frozenset({S.EXPIRED, S.TERMINATED, S.RENEWED}),
    S.EXPIRED: frozenset(),
    S.TERMINATED: frozenset(),
    S.RENEWED: frozenset(),
}
SIGNED_OR_LATER = frozenset({S.SIGNED, S.ACTIVE, S.EXPIRED, S.TERMINATED, S.RENEWED})
# the party kinds that need an approval before signing, and the bodies any one of which suffices
GATES: dict[str, tuple[str, ...]] = {
    MouParty.Kind.MAINLAND: (MouApproval.Body.MAC,),
    MouParty.Kind.FOREIGN_LOCAL: (MouApproval.Body.MOI, MouApproval.Body.EY),
}
GATE_CODES = {
    MouParty.Kind.MAINLAND: "approval_missing_mac",
    MouParty.Kind.FOREIGN_LOCAL: "approval_missing_central",
}
TITLE_MAX = 300
PARTIES_MAX = 50
NUMBER_TRIES = 5

_EDITABLE = (
    "doc_type",
    "title",
    "summary",
    "lead_agency",
    "signatories",
    "cooperation_items",
    "term_start",
    "term_end",
    "auto_renew",
    "source",
)


def _error(errors: dict, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _field_errors(exc: ValidationError, field: str) -> list[ValidationError]:
    if hasattr(exc, "error_dict"):
        return [e for errors in exc.error_dict.values() for e in errors]
    return list(exc.error_list)


# --- numbers and search text --------------------------------------------------------------------------


def _next_number(today: datetime.date) -> str:
    prefix = f"MOU-{roc_year(today.year)}-"
    last = (
        Mou.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    try:
        n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    except ValueError:
        n = Mou.objects.filter(number__startswith=prefix).count() + 1
    return f"{prefix}{n:04d}"


def _create_numbered(mou: Mou) -> Mou:
    """Save a new MOU under the next free number; two creating at once: the second retries."""
    today = timezone.localdate()
    for attempt in range(NUMBER_TRIES):
        mou.number = _next_number(today)
        try:
            with transaction.atomic():
                mou.save()
            return mou
        except IntegrityError:
            if attempt == NUMBER_TRIES - 1 or not Mou.objects.filter(number=mou.number).exists():
                raise
            mou.pk = None
    raise AssertionError("unreachable")  # pragma: no cover


def _search_text(mou: Mou, parties=None) -> str:
    if parties is None:
        parties = list(mou.parties.all())
    names = [f"{p.name} {p.region}".strip() for p in parties]
    return "\n".join(
        p
        for p in (
            mou.number,
            mou.title,
            mou.summary,
            mou.cooperation_items,
            mou.signatories,
            *names,
            mou.text,
        )
        if p
    )


# --- checks -------------------------------------------------------------------------------------------


def _clean_parties(parties, errors: dict) -> list[MouParty]:
    cleaned: list[MouParty] = []
    for index, party in enumerate(list(parties or [])[: PARTIES_MAX + 1], start=1):
        if index > PARTIES_MAX:
            _error(errors, "parties", _("At most %(count)s parties.") % {"count": PARTIES_MAX}, "max_length")
            break
        if isinstance(party, MouParty):
            party = {"name": party.name, "kind": party.kind, "region": party.region}
        if not isinstance(party, dict):
            _error(errors, "parties", _("Party %(n)s: give a name and a kind.") % {"n": index}, "invalid")
            continue
        name = str(party.get("name") or "").strip()
        kind = str(party.get("kind") or "").strip()
        region = str(party.get("region") or "").strip()
        if not name or len(name) > 200:
            _error(
                errors,
                "parties",
                _("Party %(n)s: give its name (at most 200 characters).") % {"n": index},
                "party_name",
            )
        if kind not in MouParty.Kind.values:
            _error(errors, "parties", _("Party %(n)s: choose its kind.") % {"n": index}, "party_kind")
        if len(region) > 100:
            _error(
                errors,
                "parties",
                _("Party %(n)s: the country or region is at most 100 characters.") % {"n": index},
                "party_region",
            )
        cleaned.append(MouParty(name=name, kind=kind, region=region))
    return cleaned


def _clean_fields(values: dict, errors: dict) -> dict:
    out = dict(values)
    title = (out.get("title") or "").strip()
    if not title:
        _error(errors, "title", _("Give the MOU a title."), "required")
    elif len(title) > TITLE_MAX:
        _error(
            errors,
            "title",
            _("The title is at most %(count)s characters.") % {"count": TITLE_MAX},
            "max_length",
        )
    out["title"] = title
    if out.get("doc_type") not in Mou.DocType.values:
        _error(errors, "doc_type", _("Choose the type of document."), "invalid_choice")
    if out.get("lead_agency") is None:
        _error(errors, "lead_agency", _("Choose the responsible agency."), "required")
    for field in ("summary", "signatories", "cooperation_items"):
        out[field] = (out.get(field) or "").strip()
    out["source"] = (out.get("source") or "").strip()[:100]
    out["auto_renew"] = bool(out.get("auto_renew"))
    start, end = out.get("term_start"), out.get("term_end")
    for field in ("term_start", "term_end"):
        if out.get(field) is not None and not isinstance(out[field], datetime.date):
            _error(errors, field, _("Enter a date."), "invalid")
    if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
        _error(errors, "term_end", _("The term cannot end before it starts."), "before_start")
    return out


def missing_gates(mou: Mou, parties=None) -> list[ValidationError]:
    """The approvals the law requires before signing that are not yet approved, one error each
    (code approval_missing_mac / approval_missing_central). `parties`: unsaved parties to judge."""
    kinds = {p.kind for p in (parties if parties is not None else mou.parties.all())}
    approved = set()
    if mou.pk:
        approved = set(
            mou.approvals.filter(status=MouApproval.Status.APPROVED).values_list("body", flat=True)
        )
    missing = []
    if MouParty.Kind.MAINLAND in kinds and not approved & set(GATES[MouParty.Kind.MAINLAND]):
        missing.append(
            ValidationError(
                _(
                    "A mainland-area party: the Mainland Affairs Council's approval (兩岸條例 §5-1) must be "
                    "recorded as approved before signing."
                ),
                code=GATE_CODES[MouParty.Kind.MAINLAND],
            )
        )
    if MouParty.Kind.FOREIGN_LOCAL in kinds and not approved & set(GATES[MouParty.Kind.FOREIGN_LOCAL]):
        missing.append(
            ValidationError(
                _(
                    "A foreign local government: the approval of the Ministry of the Interior or the "
                    "Executive Yuan must be recorded as approved before signing."
                ),
                code=GATE_CODES[MouParty.Kind.FOREIGN_LOCAL],
            )
        )
    return missing


def _check_transition(mou: Mou, status: str) -> None:
    if status not in Mou.Status.values:
        raise ValidationError({"status": [ValidationError(_("Choose a status."), code="invalid_choice")]})
    if status not in TRANSITIONS[mou.status]:
        raise ValidationError(
            {
                "status": [
                    ValidationError(
                        _("An MOU cannot go from “%(old)s” to “%(new)s”.")
                        % {"old": Mou.Status(mou.status).label, "new": Mou.Status(status).label},
                        code="invalid_transition",
                    )
                ]
            }
        )


def _lock(mou: Mou) -> Mou:
    Mou.objects.select_for_update().filter(pk=mou.pk).values_list("pk", flat=True).get()
    mou.refresh_from_db()
    return mou


# --- the full text --------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str | None:
    """The text of a PDF's pages (pypdfium2); None when the library is missing or the file unreadable."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - a damaged PDF is a PDF without text here
        return None
    parts = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
    except Exception:  # noqa: BLE001
        return None
    finally:
        pdf.close()
    return "\n".join(parts).replace("\r\n", "\n").replace("\x00", "")


# 兩岸 practice: an MOU whose name and content change by more than half after approval goes back for
# approval (udn 2025-11-05, research §1.1); measured on the text's character pairs
CHANGE_RESETS_APPROVAL = 0.5


def changed_share(old: str, new: str) -> float | None:
    """How much of a text changed, 0 to 1: one minus the Dice coefficient of the two texts' sets of
    character pairs and Latin words (rdec.core.textsearch). None when either text is empty (a scan
    without text cannot be compared)."""
    from rdec.core.textsearch import bigrams

    a, b = set(bigrams(old or "")), set(bigrams(new or ""))
    if not a or not b:
        return None
    return 1 - 2 * len(a & b) / (len(a) + len(b))


def _reset_approvals_if_changed(mou: Mou, *, old_title: str, old_text: str) -> bool:
    """Before signing, approvals already given no longer hold when the MOU's title or its full text
    changed by more than half: they go back to pending (報核 again). Returns whether they did."""
    if mou.status in SIGNED_OR_LATER:
        return False
    shares = [changed_share(old_title, mou.title), changed_share(old_text, mou.text)]
    if not any(share is not None and share > CHANGE_RESETS_APPROVAL for share in shares):
        return False
    approved = mou.approvals.filter(status=MouApproval.Status.APPROVED)
    bodies = list(approved.values_list("body", flat=True))
    if not bodies:
        return False
    approved.update(status=MouApproval.Status.PENDING, decided_on=None)
    audit.record("mou.approvals_reset", mou, bodies=bodies)
    return True


def _store_full_text(mou: Mou, upload) -> None:
    clean = core_attachments.clean_upload(upload, allowed=core_attachments.PDF, field="full_text")
    text = pdf_text(clean.data)
    mou.text = (text or "").strip()
    mou.lacks_text = not mou.text
    mou.full_text.save(f"{uuid.uuid4().hex}.{clean.ext}", ContentFile(clean.data), save=False)


# --- use cases ------------------------------------------------------------------------------------------


@transaction.atomic
def create_mou(
    *,
    actor,
    lead_agency,
    title: str,
    doc_type: str = Mou.DocType.MOU,
    summary: str = "",
    co_agencies=(),
    signatories: str = "",
    cooperation_items: str = "",
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
    auto_renew: bool = False,
    parties=(),
    source: str = "",
    full_text=None,
) -> Mou:
    """A new MOU in draft, numbered MOU-<ROC year>-<n>, with its parties (dicts name, kind,
    region) and optionally its full text (a PDF). Returns the Mou."""
    require(actor, "transparency.manage_register", Mou(lead_agency=lead_agency) if lead_agency else None)
    errors: dict = {}
    values = _clean_fields(
        {
            "doc_type": doc_type,
            "title": title,
            "summary": summary,
            "lead_agency": lead_agency,
            "signatories": signatories,
            "cooperation_items": cooperation_items,
            "term_start": term_start,
            "term_end": term_end,
            "auto_renew": auto_renew,
            "source": source,
        },
        errors,
    )
    cleaned_parties = _clean_parties(parties, errors)
    mou = Mou(**values)
    if full_text is not None:
        try:
            _store_full_text(mou, full_text)
        except ValidationError as exc:
            errors.setdefault("full_text", []).extend(_field_errors(exc, "full_text"))
    if errors:
        raise ValidationError(errors)
    mou.search_text = _search_text(mou, cleaned_parties)
    _create_numbered(mou)
    for party in cleaned_parties:
        party.mou = mou
    MouParty.objects.bulk_create(cleaned_parties)
    if co_agencies:
        mou.co_agencies.set([a for a in co_agencies if a is not None and a.pk != mou.lead_agency_id])
    audit.record("mou.created", mou, parties=len(cleaned_parties))
    return mou


@transaction.atomic
def update_mou(mou: Mou, *, actor, parties=None, co_agencies=None, full_text=None, **changes) -> Mou:
    """Edit an MOU's fields (create_mou's), replace its parties or co-agencies, replace its full
    text. A signed MOU keeps its approval gates: a party that needs an approval not recorded is
    refused. `signed_on` may be corrected once signed (the due date follows)."""
    require(actor, "transparency.manage_register", mou)
    _lock(mou)
    old_title, old_text = mou.title, mou.text
    unknown = set(changes) - set(_EDITABLE) - {"signed_on"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if "lead_agency" in changes and changes["lead_agency"] is not None:
        require(actor, "transparency.manage_register", Mou(lead_agency=changes["lead_agency"]))
    errors: dict = {}
    values = {f: getattr(mou, f) for f in _EDITABLE}
    values.update({k: v for k, v in changes.items() if k != "signed_on"})
    values = _clean_fields(values, errors)
    cleaned_parties = _clean_parties(parties, errors) if parties is not None else None
    signed_on = changes.get("signed_on", mou.signed_on)
    if "signed_on" in changes:
        if mou.status not in SIGNED_OR_LATER:
            _error(errors, "signed_on", _("The signing date is set by signing the MOU."), "not_signed")
        else:
            _check_signed_on(signed_on, values.get("term_end"), errors)
    if not errors and mou.status in SIGNED_OR_LATER and cleaned_parties is not None:
        gates = missing_gates(mou, cleaned_parties)
        if gates:
            errors["parties"] = gates
    if full_text is not None:
        try:
            _store_full_text(mou, full_text)
        except ValidationError as exc:
            errors.setdefault("full_text", []).extend(_field_errors(exc, "full_text"))
    if errors:
        raise ValidationError(errors)
    for field, value in values.items():
        setattr(mou, field, value)
    if "signed_on" in changes and signed_on != mou.signed_on:
        mou.signed_on = signed_on
        mou.publication_due = publication_due(signed_on)
    if cleaned_parties is not None:
        mou.parties.all().delete()
        for party in cleaned_parties:
            party.mou = mou
        MouParty.objects.bulk_create(cleaned_parties)
    if co_agencies is not None:
        mou.co_agencies.set([a for a in co_agencies if a is not None and a.pk != mou.lead_agency_id])
    mou.search_text = _search_text(mou)
    mou.save()
    _reset_approvals_if_changed(mou, old_title=old_title, old_text=old_text)
    return mou


@transaction.atomic
def attach_mou_full_text(mou: Mou, *, upload, actor) -> Mou:
    """Replace the MOU's full text with an uploaded PDF; its text is extracted for the search."""
    require(actor, "transparency.manage_register", mou)
    _lock(mou)
    old_text = mou.text
    _store_full_text(mou, upload)
    mou.search_text = _search_text(mou)
    mou.save(update_fields=["full_text", "text", "lacks_text", "search_text", "updated_at"])
    audit.record("mou.full_text", mou, lacks_text=mou.lacks_text)
    _reset_approvals_if_changed(mou, old_title=mou.title, old_text=old_text)
    return mou


@transaction.atomic
def record_mou_approval(
    mou: Mou,
    *,
    actor,
    body: str,
    status: str = MouApproval.Status.PENDING,
    decided_on: datetime.date | None = None,
    reference: str = "",
) -> MouApproval:
    """Record (or update) the approval of one body (陸委會, 內政部, 行政院, 市議會): pending, approved
    or refused, with the decision's date and letter number. Returns the MouApproval."""
    require(actor, "transparency.manage_register", mou)
    errors: dict = {}
    if body not in MouApproval.Body.values:
        _error(errors, "body", _("Choose the approving body."), "invalid_choice")
    if status not in MouApproval.Status.values:
        _error(errors, "status", _("Choose the approval's status."), "invalid_choice")
    elif status != MouApproval.Status.PENDING and not isinstance(decided_on, datetime.date):
        _error(errors, "decided_on", _("Enter the date of the decision."), "required")
    if isinstance(decided_on, datetime.date) and decided_on > timezone.localdate():
        _error(errors, "decided_on", _("The decision cannot be in the future."), "future")
    reference = (reference or "").strip()
    if len(reference) > 100:
        _error(errors, "reference", _("The letter number is at most 100 characters."), "max_length")
    if errors:
        raise ValidationError(errors)
    approval = mou.approvals.filter(body=body).order_by("-id").first() or MouApproval(mou=mou, body=body)
    approval.status = status
    approval.decided_on = decided_on
    approval.reference = reference
    approval.save()
    return approval


def publication_due(signed_on: datetime.date) -> datetime.date:
    """The last day to publish an MOU signed on `signed_on`: + the rule's calendar days."""
    return signed_on + datetime.timedelta(days=rule_for(signed_on).mou_publication_days)


def _check_signed_on(signed_on, term_end, errors: dict) -> None:
    if not isinstance(signed_on, datetime.date):
        _error(errors, "signed_on", _("Enter the signing date."), "required")
    elif signed_on > timezone.localdate():
        _error(errors, "signed_on", _("The signing date cannot be in the future."), "future")
    elif isinstance(term_end, datetime.date) and term_end < signed_on:
        _error(errors, "signed_on", _("The MOU cannot be signed after its term ends."), "after_term")


@transaction.atomic
def change_mou_status(mou: Mou, *, status: str, actor, signed_on: datetime.date | None = None) -> Mou:
    """One step of the status flow. To 'signed' (use `sign_mou`): the signing date, at least one
    party, and the approvals the parties need. Returns the MOU."""
    require(actor, "transparency.manage_register", mou)
    _lock(mou)
    _check_transition(mou, status)
    errors: dict = {}
    if status == S.SIGNED:
        _check_signed_on(signed_on, mou.term_end, errors)
        if not mou.parties.exists():
            _error(errors, "parties", _("Name at least one party before signing."), "required")
    if status in SIGNED_OR_LATER:
        gates = missing_gates(mou)
        if gates:
            errors.setdefault("status", []).extend(gates)
    if errors:
        raise ValidationError(errors)
    old = mou.status
    mou.status = status
    fields = ["status", "updated_at"]
    if status == S.SIGNED:
        mou.signed_on = signed_on
        mou.publication_due = publication_due(signed_on)
        fields += ["signed_on", "publication_due"]
    mou.save(update_fields=fields)
    audit.record("mou.status", mou, old=old, new=status)
    return mou


def submit_mou_for_approval(mou: Mou, *, actor) -> Mou:
    """draft → under_approval."""
    require(actor, "transparency.manage_register", mou)
    return change_mou_status(mou, status=S.UNDER_APPROVAL, actor=actor)


def sign_mou(mou: Mou, *, signed_on: datetime.date, actor) -> Mou:
    """under_approval → signed on `signed_on` (not in the future), once every approval the parties
    need is approved; `publication_due` = signed_on + the rule's mou_publication_days."""
    require(actor, "transparency.manage_register", mou)
    return change_mou_status(mou, status=S.SIGNED, actor=actor, signed_on=signed_on)


@transaction.atomic
def publish_mou(mou: Mou, *, actor) -> Mou:
    """Put a signed MOU (with its full text) on the public register: sets `published_at`. An MOU
    already published stays as it was."""
    require(actor, "transparency.manage_register", mou)
    _lock(mou)
    if mou.published_at is not None:
        return mou
    errors: dict = {}
    if mou.status not in SIGNED_OR_LATER:
        _error(errors, "status", _("Only a signed MOU can be published."), "not_signed")
    if not mou.full_text:
        _error(errors, "full_text", _("Upload the full text before publishing."), "required")
    if errors:
        raise ValidationError(errors)
    mou.published_at = timezone.now()
    mou.save(update_fields=["published_at", "updated_at"])
    late = bool(mou.publication_due and timezone.localdate(mou.published_at) > mou.publication_due)
    audit.record("mou.published", mou, due=mou.publication_due, late=late)
    return mou


@transaction.atomic
def expire_due_mous(*, today: datetime.date | None = None, actor=None) -> int:
    """Run daily: MOUs signed or in force whose `term_end` is before today become 'expired', unless
    they renew automatically. Idempotent. `actor` (optional): an RDEC officer running it by hand;
    the scheduled job runs without one. Returns how many expired."""
    if actor is not None:
        require(actor, "transparency.manage_register")
        if not is_oversight(actor):
            raise PermissionDenied(_("You do not have permission to do this."))
    today = today or timezone.localdate()
    due = Mou.objects.select_for_update().filter(
        status__in=(S.SIGNED, S.ACTIVE), auto_renew=False, term_end__lt=today
    )
    count = 0
    for mou in due.order_by("term_end", "pk"):
        old = mou.status
        mou.status = S.EXPIRED
        mou.save(update_fields=["status", "updated_at"])
        audit.record("mou.expired", mou, old=old, term_end=mou.term_end)
        count += 1
    if count:
        logger.info("MOUs expired: %s", count)
    return count


@transaction.atomic
def add_mou_report(mou: Mou, *, year: int, results: str, actor, indicators: str = "") -> MouReport:
    """The yearly performance report of a signed MOU (one a year: a second is refused)."""
    require(actor, "transparency.manage_register", mou)
    _lock(mou)
    errors: dict = {}
    results = (results or "").strip()
    indicators = (indicators or "").strip()
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    year = year + 1911 if 0 < year < 1911 else year  # an ROC year
    today = timezone.localdate()
    if mou.status not in SIGNED_OR_LATER:
        _error(errors, "status", _("Reports are for signed MOUs."), "not_signed")
    first = mou.signed_on.year if mou.signed_on else today.year
    if not first <= year <= today.year:
        _error(
            errors,
            "year",
            _("The year is between %(first)s and %(last)s.") % {"first": first, "last": today.year},
            "invalid",
        )
    elif mou.reports.filter(year=year).exists():
        _error(errors, "year", _("This year's report is already there."), "duplicate")
    if not results:
        _error(errors, "results", _("Describe what was done."), "required")
    if errors:
        raise ValidationError(errors)
    report = MouReport.objects.create(
        mou=mou,
        year=year,
        results=results,
        indicators=indicators,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record("mou.report", mou, year=year)
    return report


# the names of the brief (issue 17)
sign = sign_mou
publish = publish_mou
expire_due = expire_due_mous
add_report = add_mou_report
