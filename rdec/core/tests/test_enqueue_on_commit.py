"""`core.tasks.enqueue_on_commit` (issue 13, item 6): a job queued on commit must never fail the
request that committed — a receipt that failed in-process after the commit ("database is locked")
answered 500 for a case already filed, and the client's retry filed it twice."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError, transaction

from rdec.core.tasks import enqueue_on_commit


class FakeTask:
    name = "rdec.petitions.tasks.send_receipt"

    def __init__(self, error: Exception | None = None):
        self.error = error
        self.calls: list[dict] = []

    def delay(self, **kwargs):
        self.calls.append(kwargs)
        if self.error is not None:
            raise self.error


@pytest.mark.django_db
def test_the_job_runs_after_the_commit_with_json_arguments(django_capture_on_commit_callbacks):
    task = FakeTask()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(task, case_id=7, when=("a", 1))
        assert task.calls == []
    assert task.calls == [{"case_id": 7, "when": ["a", 1]}]


@pytest.mark.django_db
def test_a_failing_job_is_logged_not_raised_and_its_arguments_stay_out_of_the_log(
    django_capture_on_commit_callbacks, caplog
):
    task = FakeTask(OperationalError("database is locked 0912345678"))
    with caplog.at_level(logging.ERROR, logger="rdec.core.tasks"):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            enqueue_on_commit(task, phone="0912345678")
    assert task.calls == [{"phone": "0912345678"}]
    [record] = [r for r in caplog.records if r.name == "rdec.core.tasks"]
    message = record.getMessage()
    assert "send_receipt" in message and "OperationalError" in message
    assert "0912345678" not in message and record.exc_info is None
