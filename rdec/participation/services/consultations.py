"""眾開講 (consultations): write use cases. Every function checks permission with
`rdec.core.permissions.require`, is atomic, writes the audit trail and raises
`django.core.exceptions.ValidationError` with a dict of field errors (zh-Hant via gettext) on bad
input (the pages and the API answer 400).

Status flow (Consultation.Status): draft → open (`publish_consultation`) → closed → reported
(`publish_consultation_report`). Closing is computed on read: `close_due_consultations()` is an
idempotent update that the pages and the API call before reading (a consultation whose closes_on has
passed becomes closed, with report_due = closes_on + the rule's working days on the office
calendar); comments are refused after closes_on whether or not it has run.
"""

from __future__ import annotations

import datetime
import re
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import attachments, audit, workdays
from rdec.core.permissions import require
from rdec.core.verification import is_verified_citizen
from rdec.participation.models import (
    Comment,
    Consultation,
    ConsultationDocument,
    ConsultationRule,
    HidingGround,
    ModerationEntry,
    ResponseTheme,
)

__all__ = [
    "consultation_rule_for",
    "create_consultation",
    "update_consultation",
    "add_consultation_document",
    "remove_consultation_document",
    "publish_consultation",
    "close_due_consultations",
    "report_due_for",
    "period_error",
    "post_comment",
    "default_display_name",
    "display_name_error",
    "hide_comment",
    "save_response_theme",
    "delete_response_theme",
    "save_consultation_report",
    "publish_consultation_report",
]

DOCUMENT_KINDS = attachments.PDF | attachments.OFFICE | {"jpeg", "png"}
MAX_COMMENT = 3000
MAX_QUESTIONS = 20


def consultation_rule_for(day: datetime.date) -> ConsultationRule:
    rule = ConsultationRule.objects.in_force(day, before_first="earliest")
    return rule or ConsultationRule(min_open_days=14, report_working_days=30)


def report_due_for(closes_on: datetime.date) -> datetime.date:
    """The response report is due `report_working_days` working days after the closing day (the
    closing day not counted), by the rule in force on the closing day."""
    rule = consultation_rule_for(closes_on)
    return workdays.add_working_days(closes_on, rule.report_working_days)


def period_error(opens_on: datetime.date, closes_on: datetime.date) -> str:
    """The message when the period is shorter than the rule's least number of days ("" when fine)."""
    from rdec.core.dates import roc_date

    rule = consultation_rule_for(opens_on)
    least = opens_on + datetime.timedelta(days=rule.min_open_days)
    if closes_on >= least:
        return ""
    return _("A consultation stays open at least %(days)s days: close it on %(date)s or later.") % {
        "days": rule.min_open_days,
        "date": roc_date(least),
    }


def _slug_for(title: str) -> str:
    base = re.sub(r"[^a-z0-9-]+", "-", (title or "").lower()).strip("-")[:30]
    return f"{base or 'c'}-{uuid.uuid4().hex[:8]}"


def _search_text(c: Consultation) -> str:
    return f"{c.title}\n{c.background}\n{c.questions}\n{c.topic_source}"[:20000]


def _validate(
    *, title, background, questions, stage, agency, opens_on, closes_on, slug=None, pk=None
) -> dict:
    errors: dict = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the consultation a title.")]
    if not (background or "").strip():
        errors["background"] = [_("Explain the background of the consultation.")]
    lines = [line for line in (questions or "").splitlines() if line.strip()]
    if not lines:
        errors["questions"] = [_("Ask at least one question (one per line).")]
    elif len(lines) > MAX_QUESTIONS:
        errors["questions"] = [_("Ask at most %(n)s questions.") % {"n": MAX_QUESTIONS}]
    if stage not in Consultation.Stage.values:
        errors["stage"] = [_("Choose the policy stage from the list.")]
    if agency is None:
        errors["agency"] = [_("Choose the responsible agency.")]
    if opens_on is None:
        errors["opens_on"] = [_("Give the day the consultation opens.")]
    if closes_on is None:
        errors["closes_on"] = [_("Give the day the consultation closes.")]
    if opens_on and closes_on and (message := period_error(opens_on, closes_on)):
        errors["closes_on"] = [message]
    if slug is not None:
        if slug and not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,78}", slug):
            errors["slug"] = [_("Use lower-case letters, digits and hyphens only.")]
        elif slug and Consultation.objects.filter(slug=slug).exclude(pk=pk).exists():
            errors["slug"] = [_("Another consultation has this short name.")]
    return errors


def _add_document(consultation, *, title, file=None, url="") -> ConsultationDocument:
    title = (title or "").strip()
    url = (url or "").strip()
    if not title:
        raise ValidationError({"document_title": [_("Give the document a title.")]})
    if bool(file) == bool(url):
        raise ValidationError({"document_file": [_("Attach a file or give an address, not both.")]})
    if url and not re.match(r"^https?://", url):
        raise ValidationError({"document_url": [_("The address must start with http:// or https://.")]})
    doc = ConsultationDocument(consultation=consultation, title=title[:200], url=url)
    if file:
        clean = attachments.clean_upload(file, allowed=DOCUMENT_KINDS, field="document_file")
        doc.title = doc.title or clean.name
        doc.file.save(f"{uuid.uuid4().hex}.{clean.ext}", ContentFile(clean.data), save=False)
    doc.save()
    return doc


@transaction.atomic
def create_consultation(
    *,
    actor,
    title: str,
    background: str,
    questions: str,
    stage: str,
    agency,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    topic_source: str = "",
    slug: str = "",
    documents=(),
) -> Consultation:
    """Open a consultation as a draft (not yet public). `documents`: [{"title", "file" or "url"}].
    The RDEC may open one for any agency, an agency's staff and supervisors for their own."""
    require(actor, "participation.open_consultation", agency)
    errors = _validate(
        title=title,
        background=background,
        questions=questions,
        stage=stage,
        agency=agency,
        opens_on=opens_on,
        closes_on=closes_on,
        slug=slug,
    )
    if errors:
        raise ValidationError(errors)
    c = Consultation(
        slug=slug or _slug_for(""),
        title=title.strip()[:160],
        background=background.strip(),
        questions="\n".join(line.strip() for line in questions.splitlines() if line.strip()),
        stage=stage,
        agency=agency,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
        topic_source=(topic_source or "").strip()[:200],
    )
    c.search_text = _search_text(c)
    c.save()
    for d in documents or ():
        _add_document(c, title=d.get("title", ""), file=d.get("file"), url=d.get("url", ""))
    audit.record("participation.consultation_created", c, status=c.status)
    return c


@transaction.atomic
def update_consultation(consultation: Consultation, *, actor, **fields) -> Consultation:
    """Edit a draft or an open consultation (title, background, questions, stage, period, topic
    source; the agency only while a draft). An open consultation's period may not shrink below the
    least period."""
    require(actor, "participation.manage_consultation", consultation)
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if c.status not in (Consultation.Status.DRAFT, Consultation.Status.OPEN):
        raise ValidationError({"__all__": [_("A closed consultation can no longer be edited.")]})
    allowed = {"title", "background", "questions", "stage", "opens_on", "closes_on", "topic_source", "agency"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if "agency" in fields and fields["agency"] != c.agency:
        if c.status != Consultation.Status.DRAFT:
            raise ValidationError({"agency": [_("The responsible agency can change only while a draft.")]})
        require(actor, "participation.open_consultation", fields["agency"])
    values = {k: getattr(c, k) for k in allowed} | fields
    errors = _validate(**{k: values[k] for k in allowed if k != "topic_source"})
    if errors:
        raise ValidationError(errors)
    for k, v in fields.items():
        if k == "questions":
            v = "\n".join(line.strip() for line in v.splitlines() if line.strip())
        elif isinstance(v, str):
            v = v.strip()
        setattr(c, k, v)
    c.search_text = _search_text(c)
    c.save()
    return c


@transaction.atomic
def add_consultation_document(consultation, *, actor, title: str, file=None, url: str = ""):
    require(actor, "participation.manage_consultation", consultation)
    if consultation.status == Consultation.Status.REPORTED:
        raise ValidationError({"__all__": [_("The response report is published: documents are final.")]})
    return _add_document(consultation, title=title, file=file, url=url)


@transaction.atomic
def remove_consultation_document(document: ConsultationDocument, *, actor) -> None:
    require(actor, "participation.manage_consultation", document.consultation)
    if document.consultation.status != Consultation.Status.DRAFT:
        raise ValidationError({"__all__": [_("Documents of a published consultation stay public.")]})
    if document.file:
        document.file.delete(save=False)
    document.delete()


@transaction.atomic
def publish_consultation(consultation: Consultation, *, actor, today: datetime.date | None = None):
    """draft → open: public from now; comments are taken from opens_on to closes_on."""
    require(actor, "participation.manage_consultation", consultation)
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if c.status != Consultation.Status.DRAFT:
        raise ValidationError({"__all__": [_("Only a draft can be published.")]})
    today = today or timezone.localdate()
    if c.closes_on < today:
        raise ValidationError({"closes_on": [_("The closing day has passed: choose a later one.")]})
    c.status = Consultation.Status.OPEN
    c.save(update_fields=["status"])
    consultation.status = c.status  # the caller's instance follows, as the proposal steps do
    audit.record("participation.consultation_published", c)
    return c


def close_due_consultations(*, today: datetime.date | None = None) -> int:
    """Open consultations whose closing day has passed become closed, with their report due date.
    Idempotent; run on read by the pages and the API. Returns how many were closed."""
    today = today or timezone.localdate()
    n = 0
    due = Consultation.objects.filter(status=Consultation.Status.OPEN, closes_on__lt=today)
    for pk, closes_on in due.values_list("pk", "closes_on"):
        with transaction.atomic():
            updated = Consultation.objects.filter(pk=pk, status=Consultation.Status.OPEN).update(
                status=Consultation.Status.CLOSED, report_due=report_due_for(closes_on)
            )
            if updated:
                n += 1
                audit.record("participation.consultation_closed", Consultation.objects.get(pk=pk))
                # a queryset update() sends no signal: the closing is announced here, after the commit
                transaction.on_commit(lambda pk=pk: _announce_closed(pk))
    return n


def _announce_closed(pk: int) -> None:
    """Tell the followers (e-mail) and the LINE official account's friends that the consultation
    closed (following.announce_consultation_step); a notice failing never undoes the closing."""
    from rdec.participation.services.following import announce_consultation_step, logger

    c = Consultation.objects.filter(pk=pk, status=Consultation.Status.CLOSED).first()
    if c is None:
        return
    try:
        announce_consultation_step(c)
    except Exception as exc:
        logger.error("consultation closing notice failed (%s)", type(exc).__name__)


def default_display_name(user) -> str:
    """The name a comment shows by default: the account's display name, never its username or
    e-mail; an account without one shows 市民 (a citizen)."""
    name = (getattr(user, "display_name", "") or "").strip()
    if not name or "@" in name or name == getattr(user, "username", None):
        return _("Citizen")
    return name[:40]


def display_name_error(name: str, user=None) -> str:
    """Why `name` cannot be shown publicly (a commenter's or a proposer's chosen name), or "": it
    must not look like an e-mail address or a telephone number, nor be the account's username or
    e-mail (checked when `user` is given)."""
    name = (name or "").strip()
    if "@" in name or re.search(r"\d{6,}", name.replace("-", "").replace(" ", "")):
        return _("A name shown cannot be an e-mail address or a telephone number.")
    if user is not None and name.lower() in {
        (getattr(user, "username", "") or "").lower(),
        (getattr(user, "email", "") or "").lower(),
    }:
        return _("Choose a name other than your username.")
    return ""


def _clean_display_name(name: str, user) -> str:
    name = (name or "").strip()
    if not name:
        return default_display_name(user)
    error = display_name_error(name, user)
    if error:
        raise ValidationError({"display_name": [error]})
    return name[:40]


@transaction.atomic
def post_comment(
    consultation: Consultation,
    *,
    actor,
    body: str,
    question: int | None = None,
    parent: Comment | None = None,
    display_name: str = "",
) -> Comment:
    """A verified citizen comments (optionally on question n) or replies to a comment (one level:
    a reply to a reply attaches to the same top-level comment)."""
    if not is_verified_citizen(actor):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Commenting needs a citizen account with a verified phone and e-mail."))
    require(actor, "participation.comment_consultation", consultation)
    errors: dict = {}
    body = (body or "").strip()
    if not body:
        errors["body"] = [_("Write your comment.")]
    elif len(body) > MAX_COMMENT:
        errors["body"] = [_("A comment has at most %(n)s characters.") % {"n": MAX_COMMENT}]
    from rdec.participation.selectors import consultation_questions

    numbers = [n for n, _q in consultation_questions(consultation)]
    if question is not None and question not in numbers:
        errors["question"] = [_("Choose one of the questions asked.")]
    if parent is not None:
        if parent.consultation_id != consultation.pk:
            errors["parent"] = [_("The comment replied to is not in this consultation.")]
        elif parent.hidden:
            errors["parent"] = [_("A hidden comment cannot be replied to.")]
        else:
            parent = parent.parent or parent
            question = parent.question
    try:
        name = _clean_display_name(display_name, actor)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    comment = Comment.objects.create(
        consultation=consultation,
        author=actor,
        display_name=name,
        parent=parent,
        question=question,
        body=body,
    )
    audit.record("participation.comment_posted", consultation, comment=comment.pk)
    return comment


@transaction.atomic
def hide_comment(comment: Comment, *, actor, ground: str, note: str = "") -> ModerationEntry:
    """Hide a comment by a published rule (HidingGround); the public moderation log gets an entry
    (the comment's number and time, the name shown, the rule, when), never the hidden text."""
    consultation = comment.consultation
    require(actor, "participation.moderate_consultation", consultation)
    if ground not in HidingGround.values:
        raise ValidationError({"ground": [_("Choose the rule the comment breaks.")]})
    c = Comment.objects.select_for_update().get(pk=comment.pk)
    if c.hidden:
        raise ValidationError({"__all__": [_("This comment is already hidden.")]})
    c.hidden = True
    c.save(update_fields=["hidden"])
    entry = ModerationEntry.objects.create(
        target=ModerationEntry.Target.COMMENT,
        target_id=c.pk,
        consultation=consultation,
        ground=ground,
        note=(note or "").strip()[:1000],
        moderator=actor,
    )
    return entry


def _report_editable(consultation: Consultation) -> None:
    if consultation.status != Consultation.Status.CLOSED:
        raise ValidationError(
            {
                "__all__": [
                    _("The response report is written after the consultation closes, before it is published.")
                ]
            }
        )


@transaction.atomic
def save_response_theme(
    consultation: Consultation,
    *,
    actor,
    title: str,
    decision: str,
    reason: str,
    comment_ids=(),
    theme: ResponseTheme | None = None,
    order: int | None = None,
) -> ResponseTheme:
    """Add (or, with `theme`, change) a theme of the response report: its title, 採納 / 部分採納 /
    不採納, the reason, and the comments it answers (ids of this consultation's visible comments)."""
    require(actor, "participation.manage_consultation", consultation)
    close_due_consultations()
    consultation.refresh_from_db()
    _report_editable(consultation)
    errors: dict = {}
    if not (title or "").strip():
        errors["title"] = [_("Name the theme.")]
    if decision not in ResponseTheme.Decision.values:
        errors["decision"] = [_("Choose adopted, partly adopted or not adopted.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for the decision.")]
    ids = {int(i) for i in comment_ids or ()}
    comments = list(consultation.comments.filter(pk__in=ids, hidden=False))
    if len(comments) != len(ids):
        errors["comments"] = [_("Link only this consultation's visible comments.")]
    if theme is not None and theme.consultation_id != consultation.pk:
        errors["__all__"] = [_("The theme is not in this consultation.")]
    if errors:
        raise ValidationError(errors)
    if theme is None:
        theme = ResponseTheme(consultation=consultation)
        if order is None:
            order = consultation.themes.count() + 1
    theme.title = title.strip()[:160]
    theme.decision = decision
    theme.reason = reason.strip()
    if order is not None:
        theme.order = order
    theme.save()
    theme.comments.set(comments)
    return theme


@transaction.atomic
def delete_response_theme(theme: ResponseTheme, *, actor) -> None:
    require(actor, "participation.manage_consultation", theme.consultation)
    _report_editable(theme.consultation)
    theme.delete()


@transaction.atomic
def save_consultation_report(consultation: Consultation, *, actor, summary: str, policy_changes: str):
    """The report's summary and what changed in the policy (a draft until published)."""
    require(actor, "participation.manage_consultation", consultation)
    close_due_consultations()
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _report_editable(c)
    c.report_summary = (summary or "").strip()
    c.policy_changes = (policy_changes or "").strip()
    c.save(update_fields=["report_summary", "policy_changes"])
    return c


@transaction.atomic
def publish_consultation_report(consultation: Consultation, *, actor) -> Consultation:
    """closed → reported: needs the summary, what changed in the policy (or that nothing did) and at
    least one theme; every visible comment need not be linked. Writes the PDF and the .odt."""
    require(actor, "participation.manage_consultation", consultation)
    close_due_consultations()
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _report_editable(c)
    errors: dict = {}
    if not c.report_summary.strip():
        errors["summary"] = [_("Write the summary of the response.")]
    if not c.policy_changes.strip():
        errors["policy_changes"] = [_("Say what changed in the policy (or that nothing did, and why).")]
    if not c.themes.exists():
        errors["__all__"] = [_("Group the comments into at least one theme.")]
    if errors:
        raise ValidationError(errors)
    c.status = Consultation.Status.REPORTED
    c.report_published_at = timezone.now()
    from rdec.participation import consultation_report

    pdf, odt = consultation_report.build(c, "pdf"), consultation_report.build(c, "odt")
    c.report_pdf.save(f"{c.slug}-response.pdf", ContentFile(pdf), save=False)
    c.report_odt.save(f"{c.slug}-response.odt", ContentFile(odt), save=False)
    c.save(update_fields=["status", "report_published_at", "report_pdf", "report_odt"])
    audit.record("participation.consultation_reported", c)
    return c
