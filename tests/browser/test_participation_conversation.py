"""Conversations (Pol.is method) in the browser: the demo's vTaiwan conversation shows its opinion
map, its two groups with their statements and the data's attribution; a verified citizen votes on the
demo's open iBike conversation and sees the vote; the pages pass axe-core and fit a 390 px phone."""

from __future__ import annotations

import json

from demo_server import DEMO_PASSWORD
from playwright.sync_api import expect

VOTER = "conversation-voter"


def make_verified_citizen(server) -> None:
    server.manage(
        "shell",
        "-c",
        "from django.utils import timezone\n"
        "from rdec.core import services; from rdec.core.models import Role, User\n"
        f"u = User.objects.filter(username={VOTER!r}).first() or services.create_user("
        f"username={VOTER!r}, password={DEMO_PASSWORD!r}, role=Role.CITIZEN, display_name='表態市民', actor=None)\n"
        "User.objects.filter(pk=u.pk).update(phone='0911000111', email='voter@example.tw', "
        "phone_verified_at=timezone.now(), email_verified_at=timezone.now())",
    )


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_vtaiwan_opinion_map_and_groups(page, base_url, check_a11y, shot):
    page.goto(base_url + "/participation/conversations/vtaiwan-uberx/")
    expect(page.get_by_test_id("opinion-map")).to_be_visible()
    expect(page.get_by_test_id("opinion-map").locator("svg[role=img] title")).to_have_count(1)
    expect(page.get_by_test_id("opinion-group")).to_have_count(2)
    expect(page.get_by_test_id("representative").first).to_be_visible()
    expect(page.get_by_test_id("map-legend").locator("li")).to_have_count(3)  # A, B, not grouped
    expect(page.get_by_test_id("attribution")).to_contain_text("CC BY 4.0")
    points = page.locator("[data-testid=opinion-map] svg use").count()
    assert points > 1800  # 1,912 voters with a vote on a statement kept
    check_a11y(page)
    shot(page, "participation-conversation-vtaiwan")
    api = page.request.get(base_url + "/api/v1/participation/conversations/vtaiwan-uberx/groups/")
    data = json.loads(api.body())
    assert len(data["groups"]) == 2 and sum(g["size"] for g in data["groups"]) > 1200


def test_a_verified_citizen_votes_on_a_phone(page, base_url, server, login, check_a11y, shot):
    make_verified_citizen(server)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base_url, VOTER)
    page.goto(base_url + "/participation/conversations/taichung-ibike/")
    expect(page.get_by_test_id("opinion-map")).to_be_visible()
    assert page.get_by_test_id("opinion-group").count() >= 2
    fits(page)
    check_a11y(page)
    first = page.get_by_test_id("statement").first
    agree = first.get_by_role("button", name="同意", exact=True)
    expect(agree).to_have_attribute("aria-pressed", "false")
    with page.expect_navigation():
        agree.click()
    first = page.get_by_test_id("statement").first
    expect(first.locator("button[value=agree]")).to_have_attribute("aria-pressed", "true")
    # the vote can be changed
    with page.expect_navigation():
        first.locator("button[value=disagree]").click()
    first = page.get_by_test_id("statement").first
    expect(first.locator("button[value=disagree]")).to_have_attribute("aria-pressed", "true")
    expect(first.locator("button[value=agree]")).to_have_attribute("aria-pressed", "false")
    # a statement of one's own waits for moderation
    page.fill("#id_text", "我覺得應該在大學周邊增設站點")
    with page.expect_navigation():
        page.click(".cv-add button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    fits(page)
    check_a11y(page)
    shot(page, "participation-conversation-vote-390")
