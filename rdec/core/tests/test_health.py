"""/healthz names what is degraded: the database (503), the broker, the workers, the queue (200)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db
BROKER = "redis://127.0.0.1:6379/14"


@pytest.fixture
def broker(settings):
    """The machine's Redis as the broker (db 14, emptied), as in production."""
    import redis

    from rdec.celery import app

    redis.Redis.from_url(BROKER).flushdb()
    settings.CELERY_BROKER_URL = BROKER
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # jobs go to the broker, as in production
    app.conf.broker_url = BROKER
    yield redis.Redis.from_url(BROKER)
    app.conf.broker_url = None
    app.conf.task_always_eager = eager
    redis.Redis.from_url(BROKER).flushdb()


def test_a_database_that_cannot_be_reached_is_a_503_naming_it(client):
    with mock.patch.object(connection, "cursor", side_effect=OSError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["status"] == "error"
    assert response.json()["degraded"] == ["database"]


def test_no_worker_answering_is_degraded_not_down(client, broker, settings):
    settings.RDEC_HEALTH_WORKER_TIMEOUT_MS = 200
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["workers"] == "none"
    assert response.json()["status"] == "degraded"
    assert response.json()["degraded"] == ["workers"]


def test_a_worker_answering_and_a_short_queue_is_ok(client, broker):
    from rdec.celery import app

    with mock.patch.object(app.control, "ping", return_value=[{"celery@host": {"ok": "pong"}}]):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "queue": 0, "workers": "ok", "status": "ok"}


def test_a_queue_backlog_is_reported_with_its_length(client, broker, settings):
    """Jobs sent while no worker runs wait in Redis; past the threshold the queue is named."""
    from rdec.celery import app

    settings.RDEC_HEALTH_QUEUE_BACKLOG = 2
    # Through a connection to this broker: the app's producer pool may still hold a connection made
    # by an earlier test to another broker URL.
    with app.connection_for_write() as conn, conn.Producer() as producer:
        for _ in range(3):
            app.send_task("rdec.petitions.tasks.file_waiting_submissions", producer=producer)
    assert broker.llen("celery") == 3
    with mock.patch.object(app.control, "ping", return_value=[{"celery@host": {"ok": "pong"}}]):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["queue"] == 3
    assert response.json()["degraded"] == ["queue"]
