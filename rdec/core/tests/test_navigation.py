"""The navigation built from the registry: menus by task, what each role sees (only what it may
open), breadcrumbs, the header's language switch and the favicon."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rdec.core import registry
from rdec.core.demo import DEMO_ACCOUNTS, ensure_demo_accounts
from rdec.core.registry import Crumb, breadcrumbs_for, menus_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(db):
    return {user.username: user for user in ensure_demo_accounts()}


def keys(menus) -> list[str]:
    return [menu.group.key for menu in menus]


def entries(menus) -> dict[str, list[str]]:
    return {menu.group.key: [e.item.url_name for e in menu.entries] for menu in menus}


def test_menus_come_in_the_groups_order_and_empty_ones_are_left_out(demo_users):
    from django.contrib.auth.models import AnonymousUser

    officer = keys(menus_for(demo_users["rdec"]))
    assert officer == [
        "petitions",
        "tracking",
        "participation",
        "strategy",
        "tenders",
        "documents",
        "opendata",
        "analytics",
        "system",
    ]
    # a visitor sees no menu of staff work at all
    public = ["petitions", "tracking", "participation", "opendata", "system"]
    assert keys(menus_for(AnonymousUser())) == public
    assert keys(menus_for(demo_users["citizen"])) == public


def test_citizen_actions_are_for_citizens_and_visitors_and_the_api_for_staff(demo_users):
    from django.contrib.auth.models import AnonymousUser

    citizen_actions = {"petitions:file", "petitions:track"}
    for who in (AnonymousUser(), demo_users["citizen"]):
        assert citizen_actions <= set(entries(menus_for(who))["petitions"])
        assert "api-docs" not in entries(menus_for(who))["system"]
    assert "petitions:mine" in entries(menus_for(demo_users["citizen"]))["petitions"]
    for username in ("rdec", "agent", "staff", "supervisor"):
        assert not citizen_actions & set(entries(menus_for(demo_users[username])).get("petitions", []))
    for username in ("rdec", "admin", "staff", "supervisor"):
        assert entries(menus_for(demo_users[username]))["system"][-1] == "api-docs"
    assert "api-docs" not in entries(menus_for(demo_users["agent"]))["system"]


def test_information_security_is_for_agency_staff_and_the_rdec_only(demo_users):
    from django.contrib.auth.models import AnonymousUser

    """In the 系統 menu, before the agencies (a tenth top-level menu does not fit the header)."""
    pages = ["security:asset-list", "security:finding-list", "security:cpe-search"]
    for username in ("rdec", "staff", "supervisor", "staff-env"):
        assert entries(menus_for(demo_users[username]))["system"][:4] == [*pages, "core:agency-list"]
    for who in (AnonymousUser(), demo_users["citizen"], demo_users["agent"]):
        assert not set(pages) & set(entries(menus_for(who))["system"])


def test_the_links_that_led_to_403_are_gone(demo_users):
    """The call agent has no inbox entry; agency staff no half-year report link (documents page)."""
    agent = entries(menus_for(demo_users["agent"]))["petitions"]
    assert "petitions:console" in agent and "petitions:inbox" not in agent
    client = Client()
    client.force_login(demo_users["staff"])
    page = client.get("/documents/").content.decode()
    assert "/documents/half-year/" not in page
    client.force_login(demo_users["rdec"])
    assert "/documents/half-year/" in client.get("/documents/").content.decode()


def test_a_module_slots_in_its_own_group(monkeypatch, demo_users):
    monkeypatch.setattr(registry, "_nav", list(registry._nav))
    monkeypatch.setattr(registry, "_groups", dict(registry._groups))
    registry.register_nav_group("budget", "參與式預算", order=27)
    # URL names not in the navigation stand in for the module's pages
    registry.register_nav("提案說明", "core:password-change", group="budget")
    registry.register_nav("提案審查", "core:login", group="budget", order=1, visible=lambda user: False)
    menus = menus_for(demo_users["citizen"])
    assert keys(menus).index("budget") == keys(menus).index("participation") + 1
    budget = next(m for m in menus if m.group.key == "budget")
    assert budget.single is not None  # one entry the user may open: shown as a plain link
    assert budget.single.item.label == "提案說明"


def test_the_current_entry_is_the_longest_prefix_of_the_path(demo_users):
    menus = menus_for(demo_users["rdec"], "/tracking/items/115-0001/")
    current = [(m.group.key, e.item.url_name) for m in menus for e in m.entries if e.current]
    assert current == [("tracking", "tracking:item-list")]
    assert [m.group.key for m in menus if m.current] == ["tracking"]
    # the home page is a prefix of every path and never the current entry of another page
    assert not any(e.current for m in menus_for(demo_users["rdec"], "/nowhere/") for e in m.entries)


def test_breadcrumbs(demo_users):
    officer = demo_users["rdec"]
    assert breadcrumbs_for(officer, "/") == []
    assert breadcrumbs_for(officer, "/tracking/items/115-0001/") == [
        Crumb("首頁", "/"),
        Crumb("管考"),
        Crumb("列管案件", "/tracking/items/"),
    ]
    # a page elsewhere names its entry; an entry the user may not open is left out
    assert breadcrumbs_for(officer, "/petitions/cases/X/", under="petitions:inbox")[-1] == Crumb(
        "案件收件匣", "/petitions/inbox/"
    )
    assert breadcrumbs_for(demo_users["agent"], "/petitions/cases/X/", under="petitions:inbox") == [
        Crumb("首頁", "/")
    ]
    assert breadcrumbs_for(officer, "/accounts/password/") == [Crumb("首頁", "/")]


def crumbs_html(html: str) -> str:
    match = re.search(r'<nav class="breadcrumbs[^"]*" aria-label="([^"]*)".*?</nav>', html, re.S)
    assert match, "no breadcrumbs"
    return match.group(0)


def test_pages_render_the_breadcrumbs_with_the_current_page_last(demo_users):
    client = Client()
    client.force_login(demo_users["rdec"])
    html = crumbs_html(client.get("/tracking/items/").content.decode())
    assert 'aria-label="麵包屑"' in html
    assert '<a href="/">首頁</a>' in html and "<span>管考</span>" in html
    assert '<span aria-current="page">列管案件</span>' in html  # the entry's own page: no link to itself
    html = crumbs_html(client.get("/accounts/password/").content.decode())
    assert re.search(r'<span aria-current="page">[^<]+</span>', html)
    assert '<nav class="breadcrumbs' not in client.get("/").content.decode()


def test_the_language_switch_is_one_button_to_the_other_language(demo_users):
    client = Client()
    html = client.get("/agencies/").content.decode()
    forms = re.findall(r'<form class="lang-form".*?</form>', html, re.S)
    assert len(forms) == 1
    assert 'name="language" type="hidden" value="en"' in forms[0]
    assert 'name="next" type="hidden" value="/agencies/"' in forms[0]
    assert ">English</button>" in forms[0] and "csrfmiddlewaretoken" not in forms[0]
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/agencies/"})
    assert response.status_code == 302 and response["Location"] == "/en/agencies/"
    html = client.get("/en/agencies/").content.decode()
    form = re.findall(r'<form class="lang-form".*?</form>', html, re.S)[0]
    assert 'value="zh-hant"' in form and 'lang="zh-Hant"' in form


def test_favicon_and_emblem(settings):
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/core/favicon.svg"' in html
    assert 'class="brand-emblem" src="/static/core/emblem.svg"' in html
    settings.RDEC_EMBLEM_URL = "https://city.example/emblem.svg"
    assert 'src="https://city.example/emblem.svg"' in client.get("/").content.decode()


@pytest.mark.parametrize("username", [None] + [account[0] for account in DEMO_ACCOUNTS])
def test_every_link_of_every_role_opens(demo_users, username):
    """What the navigation shows a role, that role may open: no 403, 404 or 500 behind a link."""
    from django.contrib.auth.models import AnonymousUser

    client = Client()
    user = AnonymousUser()
    if username:
        user = demo_users[username]
        client.force_login(user)
    links = [entry.url for menu in menus_for(user) for entry in menu.entries]
    assert links
    html = client.get("/").content.decode()
    for url in links:
        assert f'href="{url}"' in html, f"{url} is not in the header for {username}"
        response = client.get(url)
        assert response.status_code == 200, f"{username}: {url} answered {response.status_code}"


def test_the_case_page_sits_under_the_inbox_for_those_who_may_open_it(personas):
    """A case's URL is not under the inbox's: the page names it; a call agent, who may open the case
    but not the inbox, sees neither the inbox crumb nor the back link (it answered 403)."""
    from rdec.petitions.tests.test_api import file

    case = file(personas, actor=personas.agent, channel="phone")
    client = Client()
    client.force_login(personas.officer)
    page = client.get(f"/petitions/cases/{case.number}/").content.decode()
    html = crumbs_html(page)
    assert '<a href="/petitions/inbox/">案件收件匣</a>' in html and "<span>陳情</span>" in html
    assert re.search(rf'<span aria-current="page">[^<]*{case.number}[^<]*</span>', html)
    client.force_login(personas.agent)
    response = client.get(f"/petitions/cases/{case.number}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/petitions/inbox/" not in page
    assert re.search(rf'<span aria-current="page">[^<]*{case.number}', crumbs_html(page))


def test_a_request_answered_before_authentication_gets_the_visitors_navigation():
    # A rejected query string or an error page is rendered before the auth middleware sets
    # request.user; the header must still render (the visitor's menus), never a 500.
    from django.contrib.auth.models import AnonymousUser

    from rdec.core.registry import nav_for

    assert [item.url_name for item in nav_for(None)] == [item.url_name for item in nav_for(AnonymousUser())]
