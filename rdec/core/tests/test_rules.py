"""Dated, cited rule sets (rdec.core.rules): the version in force on a day, the registry every
module's rule set is declared in, and the RDEC's page /rules/ listing them."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdec.core import rules

D = datetime.date
days = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))
version_dates = st.lists(days, unique=True, max_size=8)


@st.composite
def versions_and_day(draw):
    """Version starts and a day to ask about: often a start itself or the day either side of
    one, where an off-by-one would show."""
    starts = draw(version_dates)
    near = [s + datetime.timedelta(days=k) for s in starts for k in (-1, 0, 1)]
    day = draw(st.sampled_from(near) if near and draw(st.booleans()) else days)
    return starts, day


# The rule sets the modules moved onto the base (a module added later registers its own).
MOVED = {
    "analytics.reportrule",
    "documents.ruleversion",
    "opendata.responserule",
    "petitions.deadlinerule",
    "strategy.lightrule",
    "tenders.inspectionrule",
    "tenders.ruleversion",
}


def reference(starts: list[datetime.date], day: datetime.date) -> datetime.date | None:
    """Brute force: of the versions starting on or before `day`, the latest start."""
    on_or_before = [s for s in starts if s <= day]
    return max(on_or_before) if on_or_before else None


def entry(key: str) -> rules.RuleSetEntry:
    return next(e for e in rules.rule_sets() if e.key == key)


@given(versions_and_day())
def test_the_rule_book_picks_the_latest_start_on_or_before_the_day(case):
    starts, day = case
    book = rules.RuleBook([SimpleNamespace(effective_from=s) for s in starts], before_first=None)
    found = book.on(day)
    assert (found.effective_from if found else None) == reference(starts, day)
    assert book.on(day) is found  # the cached answer is the same


@given(versions_and_day())
def test_before_the_first_version_the_earliest_applies_when_asked(case):
    starts, day = case
    default = SimpleNamespace(effective_from=None)
    book = rules.RuleBook(
        [SimpleNamespace(effective_from=s) for s in starts], before_first="earliest", default=default
    )
    expected = reference(starts, day) or (min(starts) if starts else None)
    assert book.on(day).effective_from == expected
    later = [s for s in starts if s > day]
    nxt = book.next_change(day)
    assert (nxt.effective_from if nxt else None) == (min(later) if later else None)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(MOVED))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=versions_and_day())
def test_in_force_queries_match_brute_force_for_every_moved_module(key, case):
    starts, day = case
    model = entry(key).model
    model.objects.all().delete()
    for start in starts:
        model.objects.create(effective_from=start, source="測試")
    found = model.objects.in_force(day)
    assert (found.effective_from if found else None) == reference(starts, day)
    earliest = model.objects.in_force(day, before_first="earliest")
    assert (earliest.effective_from if earliest else None) == (
        reference(starts, day) or (min(starts) if starts else None)
    )
    later = [s for s in starts if s > day]
    nxt = model.objects.next_change(day)
    assert (nxt.effective_from if nxt else None) == (min(later) if later else None)
    book = model.objects.book(before_first=None).on(day)
    assert (book.effective_from if book else None) == reference(starts, day)


def test_every_module_with_dated_rules_registered_its_rule_set():
    assert MOVED <= {e.key for e in rules.rule_sets()}
    for e in rules.rule_sets():
        assert issubclass(e.model, rules.DatedRuleSet)


@pytest.mark.django_db
def test_every_registered_version_cites_its_source():
    """The versions shipped by the data migrations cite a source, and no version can be saved
    through validation (admin, services) without one."""
    for e in rules.rule_sets():
        for version in e.model.objects.all():
            assert version.source.strip(), f"{e.key} {version.effective_from} has no source"
        blank = e.model(effective_from=D(2030, 1, 1), source="  ")
        with pytest.raises(ValidationError) as caught:
            blank.full_clean()
        assert "source" in caught.value.message_dict


@pytest.mark.django_db
def test_two_versions_of_one_rule_set_cannot_start_on_the_same_day():
    model = entry("petitions.deadlinerule").model
    model.objects.create(effective_from=D(2031, 1, 1), source="府函")
    with pytest.raises(ValidationError):
        model(effective_from=D(2031, 1, 1), source="另一函").full_clean()


def test_only_dated_rule_sets_can_be_registered():
    with pytest.raises(TypeError):
        rules.register_rule_set(SimpleNamespace)  # type: ignore[arg-type]


# --- the page -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_rdec_officer_sees_every_rule_set_with_the_version_in_force(client, personas, time_machine):
    time_machine.move_to(datetime.datetime(2031, 6, 1, 12, tzinfo=datetime.UTC), tick=False)
    model = entry("petitions.deadlinerule").model
    model.objects.create(effective_from=D(2031, 1, 1), ceiling_calendar_days=25, source="府研考字第1號函")
    model.objects.create(
        effective_from=D(2031, 7, 1), ceiling_calendar_days=20, source="https://example.org/rule"
    )
    client.force_login(personas.officer)
    response = client.get("/rules/")
    assert response.status_code == 200
    html = response.content.decode()
    for e in rules.rule_sets():
        assert f'id="{e.key}"' in html
    section = html.split('id="petitions.deadlinerule"', 1)[1].split("</section>", 1)[0]
    assert "府研考字第1號函" in section and 'href="https://example.org/rule"' in section
    current = [row for row in section.split("<tr") if 'aria-current="true"' in row]
    assert len(current) == 1 and "府研考字第1號函" in current[0]  # 2031-06-01: the January version
    assert "120年7月1日" in section  # the next change, in ROC dates


@pytest.mark.django_db
def test_citizens_and_agency_staff_may_not_see_the_rule_sets(client, personas):
    for user in (personas.citizen, personas.staff):
        client.force_login(user)
        assert client.get("/rules/").status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/rules/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
