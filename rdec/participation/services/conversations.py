"""Conversations (Pol.is method): write use cases.

- `create_conversation` (RDEC officers; optionally part of a 眾開講 consultation),
- `add_statement` (verified citizens: waits for moderation; moderators' own statements are accepted),
- `vote` (verified citizens: agree 1 / pass 0 / disagree -1 on an accepted statement, one per
  statement, changeable while the conversation is open),
- `moderate_statement` (accept, or hide by a published rule with an entry in the public moderation log),
- `recompute_conversation` (the opinion groups, stored in `Conversation.result`; run in the background
  by `rdec.participation.tasks_conversations` as votes arrive).

A participant is known to the computation and the API only by an opaque id (`Participant.external_id`:
Pol.is's voter id for an imported conversation, a random id for the platform's citizens), never by a
user's name, e-mail or phone.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.models import Role
from rdec.core.permissions import require
from rdec.participation.models import (
    Conversation,
    HidingGround,
    ModerationEntry,
    Participant,
    Statement,
    Vote,
)

__all__ = [
    "add_statement",
    "create_conversation",
    "moderate_statement",
    "participant_for",
    "recompute_conversation",
    "vote",
]

STATEMENT_MAX_CHARS = 280


def participant_for(conversation: Conversation, user) -> Participant:
    """The user's participant in the conversation (made on the first vote or statement), with an
    opaque random id."""
    found = Participant.objects.filter(conversation=conversation, user=user).first()
    if found is not None:
        return found
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Participant.objects.create(
                    conversation=conversation, user=user, external_id=f"u{secrets.token_hex(6)}"
                )
        except IntegrityError:
            found = Participant.objects.filter(conversation=conversation, user=user).first()
            if found is not None:
                return found
    raise RuntimeError("could not make a participant id")  # pragma: no cover - 48 random bits


@transaction.atomic
def create_conversation(
    *, actor, title: str, slug: str, description: str = "", consultation=None, statements=()
) -> Conversation:
    require(actor, "participation.manage_conversations")
    errors: dict = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the conversation a title.")]
    from django.core.validators import validate_slug

    try:
        validate_slug(slug or "")
    except ValidationError:
        errors["slug"] = [_("Use only letters, digits, hyphens and underscores.")]
    if not errors.get("slug") and Conversation.objects.filter(slug=slug).exists():
        errors["slug"] = [_("This short name is already used.")]
    if errors:
        raise ValidationError(errors)
    conversation = Conversation.objects.create(
        slug=slug, title=title, description=(description or "").strip(), consultation=consultation
    )
    for text in statements:
        Statement.objects.create(
            conversation=conversation, text=text.strip(), moderated=Statement.Moderation.ACCEPTED
        )
    audit.record("participation.conversation_created", conversation, title=title)
    return conversation


@transaction.atomic
def add_statement(*, actor, conversation: Conversation, text: str) -> Statement:
    require(actor, "participation.add_statement", conversation)
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": [_("Write your statement.")]})
    if len(text) > STATEMENT_MAX_CHARS:
        raise ValidationError(
            {"text": [_("A statement has at most %(count)s characters.") % {"count": STATEMENT_MAX_CHARS}]}
        )
    if conversation.statements.filter(text=text).exclude(moderated=Statement.Moderation.HIDDEN).exists():
        raise ValidationError({"text": [_("This statement is already in the conversation.")]})
    author = participant_for(conversation, actor) if actor.role == Role.CITIZEN else None
    from rdec.core.permissions import check

    moderated = (
        Statement.Moderation.ACCEPTED
        if check(actor, "participation.moderate_conversation", conversation)
        else Statement.Moderation.UNMODERATED
    )
    statement = Statement.objects.create(
        conversation=conversation, text=text, author=author, moderated=moderated
    )
    audit.record("participation.statement_added", conversation, statement=statement.pk)
    return statement


@transaction.atomic
def vote(*, actor, statement: Statement, value: int) -> Vote:
    conversation = statement.conversation
    require(actor, "participation.vote_in_conversation", conversation)
    if value not in (Vote.AGREE, Vote.PASS, Vote.DISAGREE):
        raise ValidationError({"value": [_("Choose agree, disagree or pass.")]})
    if statement.moderated != Statement.Moderation.ACCEPTED:
        raise ValidationError({"statement": [_("This statement is not open for votes.")]})
    participant = participant_for(conversation, actor)
    found, _created = Vote.objects.update_or_create(
        statement=statement,
        participant=participant,
        defaults={"value": value, "created_at": timezone.now()},
    )
    from rdec.participation.tasks_conversations import schedule_recompute

    schedule_recompute(conversation)
    return found


@transaction.atomic
def moderate_statement(
    *, actor, statement: Statement, accept: bool, ground: str = "", note: str = ""
) -> Statement:
    """Accept a statement (it opens for votes), or hide it by one of the published grounds: the
    public moderation log records which rule (the hidden text is not shown again)."""
    conversation = statement.conversation
    require(actor, "participation.moderate_conversation", conversation)
    if accept:
        statement.moderated = Statement.Moderation.ACCEPTED
        statement.save(update_fields=["moderated"])
        audit.record("participation.statement_accepted", conversation, statement=statement.pk)
        return statement
    if ground not in HidingGround.values:
        raise ValidationError({"ground": [_("Choose the rule the statement breaks.")]})
    had_votes = statement.votes.exists()
    statement.moderated = Statement.Moderation.HIDDEN
    statement.save(update_fields=["moderated"])
    ModerationEntry.objects.create(
        target=ModerationEntry.Target.STATEMENT,
        target_id=statement.pk,
        conversation=conversation,
        ground=ground,
        note=(note or "").strip(),
        moderator=actor,
    )
    audit.record("participation.statement_hidden", conversation, statement=statement.pk, ground=ground)
    if had_votes:
        from rdec.participation.tasks_conversations import schedule_recompute

        schedule_recompute(conversation, now=True)
    return statement


def recompute_conversation(conversation: Conversation) -> dict:
    """Compute the opinion groups from the votes now stored and keep them on the conversation (a
    system job: no actor; the result holds opaque participant ids and statement keys only)."""
    from rdec.participation import polis

    statement_ids = list(
        conversation.statements.exclude(moderated=Statement.Moderation.HIDDEN).values_list("id", flat=True)
    )
    rows = Vote.objects.filter(statement__conversation=conversation).exclude(
        statement__moderated=Statement.Moderation.HIDDEN
    )
    votes = list(rows.values_list("participant__external_id", "statement_id", "value"))
    matrix = polis.vote_matrix(votes, statements=sorted(statement_ids))
    result = polis.compute(matrix, previous=conversation.result or None)
    result["computed_at"] = timezone.now().isoformat()
    Conversation.objects.filter(pk=conversation.pk).update(
        result=result, computed_at=timezone.now(), votes_at_compute=len(votes)
    )
    conversation.result = result
    conversation.votes_at_compute = len(votes)
    return result
