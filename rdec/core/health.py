"""What /healthz reports: the database, the background-job broker, the workers and the queue.

Only the database decides whether this process can serve (503 without it). A broker that cannot be
reached, no worker answering or a long queue leave the site serving — the queued intake keeps
submissions in the database and the beat files what is waiting once jobs run again — so they make
the answer `"status": "degraded"` with the parts named in `"degraded"`, still HTTP 200: a load
balancer must not take every web process out because Redis or a worker is down.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

QUEUE = "celery"  # Celery's default queue, the only one the platform uses


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means the database is down for this process
        connection.close_if_unusable_or_obsolete()
        return "error"
    return "ok"


def _broker_and_queue(app) -> tuple[str, int | None]:
    """("ok", messages waiting in the queue) or ("error", None)."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            try:
                waiting = conn.default_channel.queue_declare(queue=QUEUE, passive=True).message_count
            except Exception:  # noqa: BLE001 - the queue is declared by the first worker or task
                waiting = 0
    except Exception:  # noqa: BLE001 - unreachable, refused, timed out: the broker is down
        return "error", None
    return "ok", waiting


def _worker_answers(app) -> bool:
    """Whether a worker answered a ping within RDEC_HEALTH_WORKER_TIMEOUT_MS (the first answer
    ends the wait)."""
    try:
        return bool(app.control.ping(timeout=settings.RDEC_HEALTH_WORKER_TIMEOUT_MS / 1000, limit=1))
    except Exception:  # noqa: BLE001 - no broker, no answer
        return False


def check() -> tuple[dict, int]:
    """The health state and its HTTP status."""
    state: dict = {"database": _database(), "broker": "in-process"}
    degraded = []
    if settings.CELERY_BROKER_URL:
        from rdec.celery import app

        state["broker"], waiting = _broker_and_queue(app)
        if state["broker"] == "error":
            degraded.append("broker")
            state["workers"] = "unknown"
        else:
            state["queue"] = waiting
            if waiting > settings.RDEC_HEALTH_QUEUE_BACKLOG:
                degraded.append("queue")
            state["workers"] = "ok" if _worker_answers(app) else "none"
            if state["workers"] == "none":
                degraded.append("workers")
    if state["database"] != "ok":
        state["status"] = "error"
        return state | {"degraded": ["database", *degraded]}, 503
    state["status"] = "degraded" if degraded else "ok"
    if degraded:
        state["degraded"] = degraded
    return state, 200
