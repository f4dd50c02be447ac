"""`rdec demo --port N`: the links in e-mails lead to the port the demo serves on."""

from __future__ import annotations

import pytest
from django.core import mail

from rdec.core.management.commands.demo import use_demo_site_url

pytestmark = pytest.mark.django_db


def test_the_demo_port_becomes_the_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"  # through the fixture, so the test's change is undone
    settings.SITE_URL_CONFIGURED = False
    assert use_demo_site_url(8123) == "http://127.0.0.1:8123"
    assert settings.SITE_URL == "http://127.0.0.1:8123"


def test_an_operators_site_url_wins(settings):
    settings.SITE_URL_CONFIGURED = True
    settings.SITE_URL = "https://rdec.example.gov.tw"
    assert use_demo_site_url(8123) == "https://rdec.example.gov.tw"


def test_the_receipt_email_links_to_the_demos_port(settings, django_capture_on_commit_callbacks):
    from rdec.petitions.tests.factories import file

    settings.SITE_URL = "http://127.0.0.1:8000"  # through the fixture, so the test's change is undone
    settings.SITE_URL_CONFIGURED = False
    use_demo_site_url(8123)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        file()
    bodies = [m.body for m in mail.outbox]
    assert bodies and any("http://127.0.0.1:8123/" in b for b in bodies)
    assert not any("127.0.0.1:8000" in b for b in bodies)
