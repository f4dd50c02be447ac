"""Gaps of issue 16 closed later: the closing of a consultation and every proposal step told to the
people concerned (e-mail, LINE), the sharing tags and the follow button on the pages, the proposer's
display name checked like a commenter's, and the citizen's comments on "my proposals"."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from rdec.participation import services
from rdec.participation.models import Consultation, Notice
from rdec.participation.tests.test_following import NOW, TODAY, consultation, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


# --- 1. the closing of a consultation ------------------------------------------------------------------


def test_closing_a_consultation_tells_its_followers_and_the_line_friends(django_capture_on_commit_callbacks):
    c = consultation(
        opens_on=TODAY - datetime.timedelta(days=20), closes_on=TODAY - datetime.timedelta(days=1)
    )
    services.follow(actor=person("fan"), consultation=c)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.close_due_consultations() == 1
    assert [m.to for m in mail.outbox] == [["fan@example.tw"]]
    assert c.title in mail.outbox[0].subject
    assert Notice.objects.filter(channel="email", consultation=c).count() == 1
    (line,) = Notice.objects.filter(channel="line", consultation=c)
    assert line.payload["endpoint"] == "/v2/bot/message/broadcast"
    assert c.title in line.payload["body"]["messages"][0]["text"]
    # run again (every page does): nothing more is sent
    with django_capture_on_commit_callbacks(execute=True):
        assert services.close_due_consultations() == 0
    assert len(mail.outbox) == 1 and Notice.objects.filter(channel="line").count() == 1
    assert Consultation.objects.get(pk=c.pk).status == Consultation.Status.CLOSED
