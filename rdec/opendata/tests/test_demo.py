import pytest

from rdec.core.demo import ensure_demo_accounts
from rdec.opendata import demo, selectors
from rdec.opendata.models import Dataset

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_real_catalog_and_this_years_datasets_once():
    ensure_demo_accounts()
    made = demo.seed()
    again = demo.seed()
    assert made == 1136 + 3
    assert again == 0
    assert Dataset.objects.filter(resources__format="CSV").distinct().count() == 3


def test_kpi_numbers_for_the_strategy_module():
    import datetime

    ensure_demo_accounts()
    demo.seed()
    year = datetime.date.today().year  # noqa: DTZ011
    assert selectors.datasets_total_at_quarter_end(2018, 3) == 1136
    assert selectors.datasets_total_at_quarter_end(2018, 2) == 0
    assert selectors.datasets_added_in_year_to_quarter(year, 4) == 3
    assert selectors.datasets_added_in_year_to_quarter(2018, 4) == 1136


def test_the_strategy_module_can_read_the_live_numbers():
    live = pytest.importorskip("rdec.strategy.live")
    assert live.get_live_source("opendata.datasets_total") is not None
    assert live.get_live_source("opendata.datasets_added_this_year") is not None


def test_demo_fills_the_comments_requests_and_their_statistics():
    from rdec.opendata import feedback as voice
    from rdec.opendata.models import Feedback

    ensure_demo_accounts()
    demo.seed()
    items = Feedback.objects.select_related("agency").order_by("pk")
    assert items.count() == 4
    assert items.filter(moderation="pending").count() == 1
    total, _agencies = voice.response_stats(items)
    # answered after 2 days (on time) and after 11 days (late); one request 20 days old unanswered
    assert (total.answered, total.on_time, total.open_overdue) == (2, 1, 1)
