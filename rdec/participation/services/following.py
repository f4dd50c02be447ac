"""Following proposals and consultations, and the notices (e-mail, LINE) to followers and to the
official account's friends.

- `follow` / `unfollow`: a signed-in person follows a public proposal or consultation (one Follow
  per person and target, by the database).
- `notify_followers(proposal=…, consultation=…, subject=…, body=…)`: one e-mail Notice per follower
  and one e-mail each (never a shared To:). The proposals part's `notify_proposal` already tells a
  proposal's followers with its own steps; consultations' steps are told here (see below).
- `announce_on_line(...)`: a LINE broadcast to the official account's friends through
  `rdec.participation.line.line_sender()` (recorded as a Notice with channel "line").
- `connect_signals()` (apps.ready): after the commit of a status change, announce on LINE a proposal
  opened for support (附議), established (成案) or responded, and a consultation opened, closed or its
  response report published; tell a consultation's followers by e-mail when it closes and when its
  report is published. The other parts need not call anything for these.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.permissions import require
from rdec.participation.models import Consultation, Follow, Notice, Proposal

__all__ = [
    "follow",
    "unfollow",
    "is_following",
    "notify_followers",
    "announce_on_line",
    "announce_proposal_step",
    "announce_consultation_step",
    "connect_signals",
]

logger = logging.getLogger("rdec.participation.following")


def _target(proposal, consultation):
    if (proposal is None) == (consultation is None):
        raise ValueError("exactly one of proposal and consultation")
    return proposal if proposal is not None else consultation


def _filter(proposal, consultation) -> dict:
    return {"proposal": proposal} if proposal is not None else {"consultation": consultation}


@transaction.atomic
def follow(*, actor, proposal: Proposal | None = None, consultation: Consultation | None = None) -> Follow:
    """Follow a public proposal or consultation (again: nothing changes). Returns the Follow."""
    target = _target(proposal, consultation)
    require(actor, "participation.follow", target)
    row, created = Follow.objects.get_or_create(user=actor, **_filter(proposal, consultation))
    if created:
        audit.record("participation.followed", target)
    return row


@transaction.atomic
def unfollow(*, actor, proposal: Proposal | None = None, consultation: Consultation | None = None) -> bool:
    """Stop following; True if a Follow was removed."""
    target = _target(proposal, consultation)
    require(actor, "participation.unfollow", target)
    deleted, _rows = Follow.objects.filter(user=actor, **_filter(proposal, consultation)).delete()
    if deleted:
        audit.record("participation.unfollowed", target)
    return bool(deleted)


def is_following(user, *, proposal=None, consultation=None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, **_filter(proposal, consultation)).exists()


def notify_followers(
    *,
    proposal: Proposal | None = None,
    consultation: Consultation | None = None,
    subject: str,
    body: str,
    exclude_users=(),
) -> int:
    """Tell every active follower of the proposal or consultation by e-mail: one Notice row each
    (channel "email") and one message each to those with an address. Addresses are never logged.
    Returns the number of followers told."""
    from django.core.mail import EmailMessage, get_connection

    _target(proposal, consultation)
    excluded = {getattr(u, "pk", u) for u in exclude_users}
    followers = [
        f.user
        for f in Follow.objects.filter(user__is_active=True, **_filter(proposal, consultation))
        .select_related("user")
        .order_by("user_id")
        if f.user_id not in excluded
    ]
    subject, body = str(subject)[:200], str(body)
    Notice.objects.bulk_create(
        [
            Notice(
                channel="email",
                recipient=u,
                proposal=proposal,
                consultation=consultation,
                subject=subject,
                body=body,
            )
            for u in followers
        ],
        batch_size=1000,
    )
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [u.email]) for u in followers if u.email
    ]
    if messages:
        try:
            get_connection().send_messages(messages)
        except Exception as exc:  # the type only: a mail error may quote an address
            logger.error("follower notices: e-mail failed (%s)", type(exc).__name__)
    return len(followers)


def announce_on_line(*, subject: str, body: str, proposal=None, consultation=None) -> list[Notice]:
    """A LINE broadcast to the official account's friends (recorded as Notice rows, channel "line")."""
    from rdec.participation.line import line_sender, text_messages

    text = f"{subject}\n{body}".strip()
    try:
        return line_sender().broadcast(
            text_messages(text), subject=subject, proposal=proposal, consultation=consultation
        )
    except Exception as exc:  # a notice failing never undoes the step it announces
        logger.error("LINE announcement failed (%s)", type(exc).__name__)
        return []


# --- the steps announced (signals) -----------------------------------------------------------------


def _url(name: str, arg) -> str:
    try:
        return settings.SITE_URL + reverse(f"participation:{name}", args=[arg])
    except NoReverseMatch:
        return settings.SITE_URL


def announce_proposal_step(proposal: Proposal) -> None:
    """Announce the proposal's current step (opened for support, established, responded) on LINE.
    Called by the signal after a save(); a service that changes the status with a queryset update()
    (no signal) calls it after the commit itself."""
    status = proposal.status
    link = _url("proposal-detail", proposal.number)
    with translation.override(settings.LANGUAGE_CODE):
        if status == Proposal.Status.ENDORSING:
            subject = _("New proposal open for support: %(title)s") % {"title": proposal.title}
            body = _("Support it by %(date)s if you agree: %(link)s") % {
                "date": proposal.endorse_until or "",
                "link": link,
            }
        elif status == Proposal.Status.ESTABLISHED:
            subject = _("Proposal established: %(title)s") % {"title": proposal.title}
            body = _("It reached %(n)s supports; the responsible agency will respond. %(link)s") % {
                "n": proposal.endorsement_count,
                "link": link,
            }
        elif status == Proposal.Status.RESPONDED:
            subject = _("The city responded to the proposal: %(title)s") % {"title": proposal.title}
            body = link
        else:
            return
        announce_on_line(subject=subject, body=body, proposal=proposal)


def announce_consultation_step(consultation: Consultation) -> None:
    """Opened: LINE; closed: followers by e-mail and LINE; report published: followers and LINE.
    As above (`close_due_consultations` closes with an update() and calls it after the commit)."""
    status = consultation.status
    link = _url("consultation-detail", consultation.slug)
    with translation.override(settings.LANGUAGE_CODE):
        if status == Consultation.Status.OPEN:
            subject = _("New consultation: %(title)s") % {"title": consultation.title}
            body = _("Comments are open until %(date)s: %(link)s") % {
                "date": consultation.closes_on,
                "link": link,
            }
            announce_on_line(subject=subject, body=body, consultation=consultation)
        elif status == Consultation.Status.CLOSED:
            subject = _("The consultation you follow has closed: %(title)s") % {"title": consultation.title}
            body = _("The agency is preparing its response report. %(link)s") % {"link": link}
            notify_followers(consultation=consultation, subject=subject, body=body)
            announce_on_line(
                subject=_("Consultation closed: %(title)s") % {"title": consultation.title},
                body=body,
                consultation=consultation,
            )
        elif status == Consultation.Status.REPORTED:
            subject = _("Response report published: %(title)s") % {"title": consultation.title}
            body = _("How the comments were taken into account: %(link)s") % {
                "link": _url("consultation-report", consultation.slug)
            }
            notify_followers(consultation=consultation, subject=subject, body=body)
            announce_on_line(subject=subject, body=body, consultation=consultation)


_BEFORE = "_rdec_status_before"


def _remember_status(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    before = None
    if instance.pk is not None:
        before = sender.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    instance.__dict__[_BEFORE] = before


def _status_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or _BEFORE not in instance.__dict__:
        return
    before = instance.__dict__.pop(_BEFORE)
    status = instance.status
    if status == before:
        return
    pk = instance.pk

    def run() -> None:
        obj = sender.objects.filter(pk=pk).first()
        if obj is None or obj.status != status:
            return
        try:
            if sender is Proposal:
                announce_proposal_step(obj)
            else:
                announce_consultation_step(obj)
        except Exception as exc:  # a notice failing never undoes the step
            logger.error("participation step notice failed (%s)", type(exc).__name__)

    transaction.on_commit(run)


def connect_signals() -> None:
    for model in (Proposal, Consultation):
        pre_save.connect(
            _remember_status, sender=model, dispatch_uid=f"rdec.following.before.{model.__name__}"
        )
        post_save.connect(
            _status_changed, sender=model, dispatch_uid=f"rdec.following.after.{model.__name__}"
        )
