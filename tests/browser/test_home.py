"""The home page of each role at 1366 px and 390 px: citizens and visitors land on 我要陳情, 案件查詢,
the 1999 hotline and what is open for their participation; call agents on the 1999 console and their
queue; agency staff and RDEC officers on their queue, each number a link to the filtered list that
shows exactly that many rows. axe-core clean, nothing wider than the phone.

The demo data is generated relative to the server's today and every number is compared with the list
the same server shows on the same day, so no assertion depends on the date."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

WIDTHS = (1366, 390)
PAGE_SIZE = {"petitions": 50, "tracking": 50, "opendata": 20, "tenders": 50}

NO_OVERFLOW_JS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def first_number(text: str) -> int:
    match = re.search(r"\d[\d,]*", text or "")
    assert match, f"no number in {text!r}"
    return int(match.group(0).replace(",", ""))


def rows_of_list(page, key: str) -> int:
    """How many records the list the number links to shows (its total, over every page)."""
    module = key.split(".", 1)[0]
    if key == "strategy.to_report":
        line = page.get_by_test_id("reported")
        return int(line.get_attribute("data-total")) - int(line.get_attribute("data-reported"))
    if module == "documents":
        return page.get_by_test_id("report-pending").count()
    if key == "petitions.kb_review":
        return page.get_by_test_id("kb-due").locator("tbody tr").count()
    if module == "opendata":
        total = first_number(page.get_by_test_id("inbox-count").text_content())
        rows = page.get_by_test_id("inbox-row").count()
    else:  # the inbox, the tracked items and the tenders say their total in the table's caption
        total = first_number(page.locator("main table caption").first.text_content())
        rows = page.locator("main table").first.locator("tbody tr").count()
    assert rows == min(total, PAGE_SIZE[module]), f"{key}: {rows} rows on the page, {total} in all"
    return total


def work_links(page) -> list[tuple[str, int, str]]:
    links = page.locator("[data-testid='queue'] a[data-testid^='work-']")
    found = []
    for i in range(links.count()):
        link = links.nth(i)
        key = link.get_attribute("data-testid").removeprefix("work-")
        found.append((key, int(link.get_attribute("data-count")), link.get_attribute("href")))
    return found


def at_width(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})


def check_page(page, check_a11y, shot, name: str, width: int) -> None:
    assert page.evaluate(NO_OVERFLOW_JS), f"{name} at {width} px is wider than the screen"
    shot(page, f"home-{name}-{width}")
    check_a11y(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_visitors_land_on_the_citizen_tasks(page, base_url, check_a11y, shot, width):
    at_width(page, width)
    page.goto(base_url + "/")
    tasks = page.get_by_test_id("citizen-tasks")
    expect(tasks.get_by_test_id("task-file")).to_contain_text("我要陳情")
    expect(tasks.get_by_test_id("task-track")).to_contain_text("案件查詢")
    hotline = page.get_by_test_id("hotline")
    expect(hotline.locator("a[href='tel:1999']")).to_have_text("1999")
    expect(hotline).to_contain_text("24 小時")
    participation = page.get_by_test_id("participation")
    expect(participation.locator("a")).not_to_have_count(0)
    expect(page.get_by_test_id("queue")).to_have_count(0)
    # big targets: each task link at least 44 px high, and as wide as the phone allows
    box = tasks.get_by_test_id("task-file").bounding_box()
    assert box["height"] >= 44
    if width == 390:
        assert box["width"] >= 300
    check_page(page, check_a11y, shot, "anonymous", width)

    page.get_by_test_id("task-file").click()
    expect(page.locator("main h1")).to_be_visible()
    assert page.url.endswith("/petitions/file/")


@pytest.mark.parametrize("width", WIDTHS)
def test_citizens_land_on_their_tasks_and_cases(page, base_url, login, check_a11y, shot, width):
    at_width(page, width)
    login(page, base_url, "citizen")
    expect(page.get_by_test_id("task-file")).to_be_visible()
    expect(page.get_by_test_id("task-mine")).to_contain_text("我的案件")
    expect(page.get_by_test_id("hotline")).to_be_visible()
    expect(page.get_by_test_id("participation")).to_be_visible()
    expect(page.get_by_test_id("queue")).to_have_count(0)
    check_page(page, check_a11y, shot, "citizen", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_call_agents_land_on_the_console_and_their_queue(page, base_url, login, check_a11y, shot, width):
    at_width(page, width)
    login(page, base_url, "agent")
    expect(page.get_by_test_id("task-console")).to_contain_text("1999")
    expect(page.get_by_test_id("queue")).to_be_visible()
    expect(page.get_by_test_id("task-file")).to_have_count(0)
    check_page(page, check_a11y, shot, "agent", width)
    page.get_by_test_id("task-console").click()
    assert page.url.endswith("/petitions/console/")


@pytest.mark.parametrize("username", ["staff", "supervisor", "rdec"])
@pytest.mark.parametrize("width", WIDTHS)
def test_staff_and_officers_land_on_their_queue(page, base_url, login, check_a11y, shot, username, width):
    at_width(page, width)
    login(page, base_url, username)
    queue = page.get_by_test_id("queue")
    expect(queue).to_be_visible()
    expect(queue.get_by_test_id("queue-due")).to_be_visible()
    expect(queue.get_by_test_id("work-petitions.overdue")).to_be_visible()
    expect(queue.get_by_test_id("work-tracking.overdue")).to_be_visible()
    if username == "rdec":
        expect(queue.get_by_test_id("work-tracking.review_waiting")).to_be_visible()
        expect(queue.get_by_test_id("work-tracking.release_proposed")).to_be_visible()
    else:
        expect(queue.get_by_test_id("work-tracking.review_waiting")).to_have_count(0)
    # a supervisor approves replies and decides extensions; staff do not
    supervising = 1 if username == "supervisor" else 0
    expect(queue.get_by_test_id("work-petitions.replies_awaiting")).to_have_count(supervising)
    expect(queue.get_by_test_id("work-petitions.extensions_awaiting")).to_have_count(supervising)
    # zero is said quietly: never a link
    for zero in queue.locator(".work-zero").all():
        assert zero.evaluate("el => el.tagName") == "DIV"
    check_page(page, check_a11y, shot, username, width)

    links = work_links(page)
    assert links, f"the demo gives {username} some work"
    if width == 390:
        links = links[:1]  # the phone: one number followed is enough; the desk follows them all
    for key, count, href in links:
        assert count > 0
        page.goto(base_url + href)
        assert rows_of_list(page, key) == count, f"{key}: the home page said {count}"
