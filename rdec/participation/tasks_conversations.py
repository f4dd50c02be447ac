"""Background recomputation of a conversation's opinion groups as votes arrive (Celery; in-process
when no broker is set). Imported by ParticipationConfig.ready() so the worker knows the task (Celery's
autodiscovery only looks at `tasks.py`).

Debounced: the first vote after a quiet spell queues one recomputation `RECOMPUTE_DELAY_S` seconds
later (a cache key marks it queued); the votes that arrive meanwhile are all counted by that one run,
since it reads the votes when it starts. A vote arriving while no run is queued queues the next one, so
the last votes of a burst are never left out. With a broker this is a trailing-edge debounce (at most
one run per conversation every RECOMPUTE_DELAY_S seconds); in-process (no broker) Celery ignores the
countdown and the run happens right after the vote's commit, at most once per RECOMPUTE_DELAY_S
seconds, or when the votes grew by GROWTH since the last run. A recomputation of 2,000 participants ×
200 statements takes about half a second to a second on two cores (bench/participation_polis.py).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

RECOMPUTE_DELAY_S = 10
GROWTH = 0.10


def _key(conversation_id: int) -> str:
    return f"participation:conversation-recompute:{conversation_id}"


@shared_task
def recompute_conversation(conversation_id: int) -> None:
    from rdec.participation.models import Conversation
    from rdec.participation.services.conversations import recompute_conversation as run

    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return
    cache.delete(_key(conversation_id))  # votes from now on queue the next run
    run(conversation)


def _due_in_process(conversation, votes_now: int) -> bool:
    if conversation.computed_at is None:
        return True
    if (timezone.now() - conversation.computed_at).total_seconds() >= RECOMPUTE_DELAY_S:
        return True
    before = conversation.votes_at_compute or 0
    return votes_now >= before * (1 + GROWTH) + 1


def schedule_recompute(conversation, *, now: bool = False) -> None:
    """Queue a recomputation after the current transaction commits, unless one is already queued.
    `now`: do not wait (a moderator hid a statement that had votes)."""
    from django.conf import settings

    from rdec.participation.models import Vote

    eager = getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    if eager and not now:
        votes_now = Vote.objects.filter(statement__conversation=conversation).count()
        if not _due_in_process(conversation, votes_now):
            return
    elif not cache.add(_key(conversation.pk), 1, timeout=RECOMPUTE_DELAY_S * 6):
        return  # a run is queued and will see this vote
    conversation_id = conversation.pk
    delay = 0 if (now or eager) else RECOMPUTE_DELAY_S

    def send() -> None:
        try:
            recompute_conversation.apply_async(kwargs={"conversation_id": conversation_id}, countdown=delay)
        except Exception as exc:  # the type only (see rdec.core.tasks)
            cache.delete(_key(conversation_id))
            logger.error("the opinion groups could not be recomputed (%s)", type(exc).__name__)

    transaction.on_commit(send)
