"""The client's address behind a proxy (TRUSTED_PROXIES), and the login lockout built on it:
a forged X-Forwarded-For neither hides the attacker nor locks someone else out."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from rdec.core.net import client_ip
from rdec.core.tests.factories import PASSWORD, UserFactory

PROXY = "10.0.0.5"
ATTACKER = "203.0.113.9"
VICTIM = "198.51.100.7"


def request_from(remote: str | None, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote} if remote is not None else {}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)
    return request


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from(PROXY, "1.2.3.4")) == PROXY


def test_a_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request_from(ATTACKER, "1.2.3.4, 5.6.7.8")) == ATTACKER


def test_the_right_most_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # the client forged "1.2.3.4"; nginx (10.0.0.5) appended the address it saw, a second proxy its own
    assert client_ip(request_from(PROXY, f"1.2.3.4, {ATTACKER}, 10.0.0.9")) == ATTACKER
    assert client_ip(request_from(PROXY, f"{ATTACKER}:51000")) == ATTACKER
    assert client_ip(request_from(PROXY, "")) == PROXY
    assert client_ip(request_from(PROXY, "10.0.0.7")) == "10.0.0.7"  # all the way inside
    assert client_ip(request_from(PROXY, "garbage, 10.0.0.7")) == "10.0.0.7"
    assert client_ip(request_from("::ffff:10.0.0.5", "2001:db8::1")) == "2001:db8::1"
    assert client_ip(request_from(None)) is None


hops = st.ip_addresses(v=4).map(str)


@given(forged=st.lists(st.one_of(hops, st.text(max_size=12)), max_size=5), client=hops)
def test_nothing_the_client_writes_changes_its_address(forged, client):
    """Whatever the client puts in the header, the address nginx appended is the one taken."""
    if ipaddress.ip_address(client) in ipaddress.ip_network("10.0.0.0/8"):
        return
    header = ", ".join([*(h.replace(",", "") for h in forged), client])
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        assert client_ip(request_from(PROXY, header)) == client


# --- login lockout ------------------------------------------------------------------------------------


def login(client, username, password, address, forged=None):
    """A sign-in through nginx (PROXY): it appends the address it saw to what the client sent."""
    header = f"{forged}, {address}" if forged else address
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=header,
    )


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ACCOUNT_DELAY_SECONDS = 0


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_forged_header_cannot_lock_another_users_account(client, behind_proxy):
    UserFactory(username="victim")
    for _ in range(5):  # the attacker claims to be the victim's address
        login(client, "victim", "wrong", ATTACKER, forged=VICTIM)
    assert login(client, "victim", PASSWORD, ATTACKER, forged=VICTIM).status_code == 429
    client.cookies.clear()
    response = login(client, "victim", PASSWORD, VICTIM)  # the real user, from the real address
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_the_real_user_from_another_address_can_still_sign_in(client, behind_proxy):
    UserFactory(username="victim")
    for _ in range(3):
        login(client, "victim", "wrong", ATTACKER)
    assert login(client, "victim", PASSWORD, ATTACKER).status_code == 429  # locked for that address
    assert login(client, "victim", PASSWORD, VICTIM).status_code == 302


@pytest.mark.django_db
def test_password_spraying_from_one_address_is_throttled(client, behind_proxy, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    UserFactory(username="sprayed")
    codes = [
        login(client, f"user{n}", "Winter2026!", ATTACKER, forged=f"192.0.2.{n}").status_code
        for n in range(20)
    ]
    # each username wrong once (no account near its own limit); the 20th failure locks the address
    assert set(codes[:19]) == {200} and codes[19] == 429
    # the next try from that address is refused, even with a right password
    assert login(client, "sprayed", PASSWORD, ATTACKER, forged="192.0.2.99").status_code == 429
    assert not signed_in(client)
    # ... and that address alone: the account's owner signs in from elsewhere
    assert login(client, "sprayed", PASSWORD, VICTIM).status_code == 302


@pytest.mark.django_db
def test_an_account_failing_from_many_addresses_is_slowed_down_not_locked(client, behind_proxy, settings):
    settings.LOGIN_ACCOUNT_SLOWDOWN_FAILURES = 10
    settings.LOGIN_ACCOUNT_DELAY_SECONDS = 1.5
    slept = []
    import rdec.core.logins

    rdec.core.logins.time.sleep, real_sleep = slept.append, rdec.core.logins.time.sleep
    try:
        UserFactory(username="popular")
        for n in range(10):
            login(client, "popular", "wrong", f"192.0.2.{n}")
        assert slept == []
        assert login(client, "popular", PASSWORD, VICTIM).status_code == 302
        assert slept == [1.5]
    finally:
        rdec.core.logins.time.sleep = real_sleep


def test_drf_throttles_count_by_the_same_address(settings):
    from rest_framework.request import Request

    from rdec.core.api import throttling

    settings.TRUSTED_PROXIES = [PROXY]
    request = Request(request_from(PROXY, f"{VICTIM}, {ATTACKER}"))
    assert throttling.ClientAddressMixin().get_ident(request) == ATTACKER
    for throttle in (throttling.AnonRateThrottle, throttling.UserRateThrottle, throttling.ScopedRateThrottle):
        assert throttle.get_ident is throttling.ClientAddressMixin.get_ident


@pytest.mark.django_db
def test_the_slowdown_never_ties_up_more_than_two_waiting_attempts(client, behind_proxy, settings):
    import rdec.core.logins

    settings.LOGIN_ACCOUNT_SLOWDOWN_FAILURES = 1
    settings.LOGIN_ACCOUNT_DELAY_SECONDS = 1.5
    UserFactory(username="popular")
    login(client, "popular", "wrong", "192.0.2.1")
    held = [rdec.core.logins._waiting.acquire(blocking=False) for _ in range(2)]  # two already waiting
    try:
        assert held == [True, True]
        assert login(client, "popular", PASSWORD, VICTIM).status_code == 429  # refused, not queued
    finally:
        for _ in held:
            rdec.core.logins._waiting.release()
