"""Shared test setup: reference data loaded once per test database, fast hashing, personas."""

from __future__ import annotations

import pytest
from django.utils import timezone

from rdec.core import geo, reference, workdays

# When the tests were collected: modules that take `TODAY = timezone.localdate()` at import use
# the `collection_day` fixture so a run crossing midnight (Asia/Taipei) keeps that day.
COLLECTED_AT = timezone.now()


def load_reference_data() -> None:
    """The real reference data (districts, villages, agencies, calendar, petition categories)."""
    from rdec.core.registry import optional_module

    reference.load_bundled("66000")
    categories = optional_module("rdec.petitions.reference")
    if categories is not None:
        categories.load_categories()
    workdays.invalidate()
    geo.invalidate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once per session."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(scope="module")
def reference_data_after_flush(django_db_blocker):
    """For a module of transactional tests (django_db(transaction=True)): the flush that ends each
    test empties the reference tables, so its tests load them if needed (`load_reference_data`)
    and, after the module's last flush, this loads them again for the tests running later."""
    yield
    from rdec.core.models import Agency

    with django_db_blocker.unblock():
        if not Agency.objects.exists():
            load_reference_data()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # the case router's check on every filing (analytics: 分案 queue) is on only in the tests about it
    settings.RDEC_ROUTER_FLAG_UNSURE = False


@pytest.fixture(autouse=True)
def _fresh_tables():
    """Per-process tables of rows that rarely change (deadline rules, leaf categories) are dropped
    between tests: a test's rows are rolled back without the signal that would drop them."""
    from rdec.core.rules import ProcessRuleBook
    from rdec.petitions.selectors import forget_categories

    ProcessRuleBook.forget_all()
    forget_categories()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in zh-Hant: a request to /en/ leaves English active in the thread, and
    reverse() would then give /en/ URLs to the next test."""
    from django.utils import translation

    translation.activate("zh-hant")
    yield
    translation.deactivate()


@pytest.fixture
def collection_day():
    """The clock moved back to when the tests were collected (and ticking) if a day has passed
    since: dates computed at import and dates computed by the code under test then agree."""
    if timezone.localdate() == timezone.localdate(COLLECTED_AT):
        yield
        return
    import time_machine

    with time_machine.travel(COLLECTED_AT, tick=True):
        yield


@pytest.fixture
def fresh_reference():
    """For tests that change the calendar or boundaries: drop the per-process caches around them."""
    workdays.invalidate()
    geo.invalidate()
    yield
    workdays.invalidate()
    geo.invalidate()


@pytest.fixture
def personas(db):
    from rdec.core.tests.factories import make_personas

    return make_personas()
