"""Background jobs: Celery tasks, run in-process when no broker is set (CELERY_TASK_ALWAYS_EAGER).

`enqueue_on_commit(task, **kwargs)` queues a task once the current transaction commits. Arguments
go through JSON even in-process, so eager mode cannot hide an argument a worker could not receive.

Nothing queued this way can fail the request that committed: the work it asked for is stored, so
an answer 500 would make a client retry and file it twice (issue 13). A broker that cannot be
reached, or an in-process job that fails (a receipt waiting on a locked SQLite database), is
logged with the task's name and the error's type (never its arguments or message), and the
request answers as committed.
"""

from __future__ import annotations

import json
import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, **kwargs) -> None:
    payload = json.loads(json.dumps(kwargs))

    def send() -> None:
        try:
            task.delay(**payload)
        except Exception as exc:  # the type only: a database error's message may quote personal data
            logger.error(
                "%s could not be queued or failed after the commit (%s)",
                getattr(task, "name", task),
                type(exc).__name__,
            )

    transaction.on_commit(send)
