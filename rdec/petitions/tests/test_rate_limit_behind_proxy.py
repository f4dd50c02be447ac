"""The petition form's rate limit behind the TLS proxy: a forged X-Forwarded-For does not get round it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from rdec.petitions.models import Case
from rdec.petitions.tests.test_views import form_data

pytestmark = pytest.mark.django_db

PROXY, CLIENT = "10.0.0.5", "203.0.113.9"


@pytest.fixture(autouse=True)
def _behind_proxy(settings):
    cache.clear()
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # BEHIND_TLS_PROXY=true
    settings.TRUSTED_PROXIES = [PROXY]
    settings.RDEC_PETITION_FORM_RATE_LIMIT = 2
    yield
    cache.clear()


def post_through_proxy(client, forged: str):
    """nginx appends the address it saw to whatever the client wrote in the header."""
    return client.post(
        reverse("petitions:file"),
        form_data(),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{forged}, {CLIENT}",
        HTTP_X_FORWARDED_PROTO="https",
    )


def test_a_forged_x_forwarded_for_does_not_bypass_the_rate_limit(client):
    codes = [post_through_proxy(client, forged=f"192.0.2.{n}").status_code for n in range(4)]
    assert codes == [302, 302, 429, 429]
    assert Case.objects.count() == 2


def test_clients_behind_the_same_proxy_are_counted_apart(client):
    for _ in range(2):
        post_through_proxy(client, forged="")
    other = client.post(
        reverse("petitions:file"), form_data(), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert other.status_code == 302
