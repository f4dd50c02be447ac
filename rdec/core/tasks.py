"""Background jobs: Celery tasks, run in-process when no broker is set (CELERY_TASK_ALWAYS_EAGER).

`enqueue_on_commit(task, **kwargs)` queues a task once the current transaction commits. Arguments
go through JSON even in-process, so eager mode cannot hide an argument a worker could not receive.
"""

from __future__ import annotations

import json

from django.db import transaction


def enqueue_on_commit(task, **kwargs) -> None:
    payload = json.loads(json.dumps(kwargs))
    transaction.on_commit(lambda: task.delay(**payload))
