"""A submission stored while the broker is down is accepted (202), not a 500 after its commit: the
periodic job files it once jobs run again (found by bench/load_faults.py with Redis stopped)."""

from __future__ import annotations

import pytest
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from rdec.core.services import create_api_key
from rdec.petitions import services, tasks
from rdec.petitions.models import Case, Submission
from rdec.petitions.tests.test_api import NEW

pytestmark = pytest.mark.django_db


def test_a_submission_is_accepted_while_the_broker_is_down_and_filed_later(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.file_waiting_submissions, "apply_async", broker_down)
    monkeypatch.setattr(tasks, "_last_request", 0.0)
    _key, raw = create_api_key(name="partner", agency=None, actor=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/submissions/", NEW, format="json")
    assert response.status_code == 202
    token = response.json()["token"]
    assert Submission.objects.get(token=token).status == "pending"
    # the periodic job (beat) files what is waiting once the broker is back
    assert services.file_submissions(actor=None) == 1
    assert Case.objects.filter(pk=Submission.objects.get(token=token).case_id).exists()
