"""The demo accounts carry people's names: the header's 「name（role・agency）」 does not say the role
twice (「市民 黃小明（市民）」)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rdec.core.demo import DEMO_ACCOUNTS, ensure_demo_accounts
from rdec.core.models import User

pytestmark = pytest.mark.django_db


def test_demo_names_do_not_repeat_the_role_or_agency(client):
    users = {u.username: u for u in ensure_demo_accounts()}
    for username, _role, _agency, _name in DEMO_ACCOUNTS:
        user = users[username]
        assert user.get_role_display() not in user.display_name
        assert not user.agency or user.agency.short_name not in user.display_name
    client.force_login(users["citizen"])
    body = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "黃小明" in body and "市民 黃小明" not in body


def test_an_earlier_demos_role_names_are_replaced():
    ensure_demo_accounts()
    User.objects.filter(username="citizen").update(display_name="市民 黃小明")
    User.objects.filter(username="staff").update(display_name="王大同")  # renamed by someone: kept
    ensure_demo_accounts()
    assert User.objects.get(username="citizen").display_name == "黃小明"
    assert User.objects.get(username="staff").display_name == "王大同"
