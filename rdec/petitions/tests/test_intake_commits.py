"""The queued intake's group commit against the real database: submissions arriving together are
stored by one statement and one commit, each answered with its own row, and nothing is answered
before it is committed.

Threads with their own connections need committed data, so these tests are transactional
(pytest-django runs them after the others; the reference data is loaded again after the flush)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from rdec.conftest import load_reference_data
from rdec.core.models import Agency
from rdec.core.services import create_api_key
from rdec.petitions import services, submissions, tasks
from rdec.petitions.models import Category, Submission
from rdec.petitions.tests.test_api import NEW

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_after_flush")]


@pytest.fixture
def partner():
    if not Agency.objects.exists():
        load_reference_data()
    key, raw = create_api_key(name="partner", agency=None, actor=None)
    return key.user, raw


def data(i: int) -> dict:
    return {
        "subject": f"坑洞 {i}",
        "description": "文心路三段近大墩路口有坑洞",
        "channel": "open311",
        "address": "",
        "lat": 24.1599,
        "lon": 120.6502,
        "petitioner_name": "王小明",
        "petitioner_phone": "0912345678",
        "petitioner_email": "",
        "confidential": False,
    }


def test_submissions_arriving_during_a_commit_are_stored_together_each_with_its_own_row(partner, monkeypatch):
    user, _raw = partner
    category = Category.objects.get(code="pothole")
    committer = submissions.committer
    real_write, first_write_entered, release = committer.write, threading.Event(), threading.Event()
    batches = []

    def held_write(items):  # the first write waits until the others have lined up behind it
        if not batches:
            first_write_entered.set()
            release.wait(10)
        batches.append(len(items))
        return real_write(items)

    monkeypatch.setattr(committer, "write", held_write)
    # no filing meanwhile: in-process it would run in these threads, and the test database (SQLite
    # in memory, shared cache) refuses a second writer at once where a file database would wait
    monkeypatch.setattr(tasks, "request_filing", lambda: None)
    answers, failures = {}, []

    def submit(i, key=None):
        try:
            answers[i] = services.submit_case(
                actor=user, category=category, data=data(i), idempotency_key=key, ip_address="127.0.0.1"
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=submit, args=(0,))
    first.start()
    assert first_write_entered.wait(10)
    others = [threading.Thread(target=submit, args=(i,)) for i in range(1, 9)]
    # two retries of one client request, sent at the same moment, with the same key
    others += [threading.Thread(target=submit, args=(i, "api:7:same")) for i in (9, 10)]
    for t in others:
        t.start()
    deadline = time.monotonic() + 10
    while len(committer._pending) < 10 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert not answers  # nobody is answered before the commit holding their row
    release.set()
    for t in [first, *others]:
        t.join(10)
    assert not failures
    assert batches == [1, 10]  # the ten that waited went in one statement
    stored = {s.token: s for s in Submission.objects.all()}
    assert len(stored) == 10  # 0–8, and one of the two retries
    for i in range(9):
        submission, created = answers[i]
        assert created and stored[submission.token].pk == submission.pk
        assert stored[submission.token].payload["subject"] == f"坑洞 {i}"
    (a, a_created), (b, b_created) = answers[9], answers[10]
    assert a.pk == b.pk and {a_created, b_created} == {True, False}


def test_an_api_submission_outside_any_transaction_is_committed_before_its_answer(partner):
    _user, raw = partner
    assert not connection.in_atomic_block
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    before = submissions.committer.batches
    response = api.post("/api/v1/submissions/", NEW, format="json")
    assert response.status_code == 202
    assert submissions.committer.batches == before + 1
    with connections["default"].cursor() as cursor:  # another look at the committed table
        cursor.execute(
            "SELECT count(*) FROM petitions_submission WHERE token = %s", [response.json()["token"]]
        )
        assert cursor.fetchone()[0] == 1
