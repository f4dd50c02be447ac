from collections import Counter

import pytest
from django.conf import settings

from rdec.core.demo import ensure_demo_accounts
from rdec.opendata import demo, demo_catalog, selectors
from rdec.opendata.models import Dataset, QualityCheck, Resource

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_real_catalog_grown_to_several_thousand_datasets_once(
    django_capture_on_commit_callbacks,
):
    ensure_demo_accounts()
    with django_capture_on_commit_callbacks(execute=True):  # the uploads' checks run on commit
        made = demo.seed()
    again = demo.seed()
    assert made == demo_catalog.TARGET == 3200
    assert again == 0
    # every dataset has a resource, and every resource has been checked
    assert not Dataset.objects.filter(resources__isnull=True).exists()
    assert not Resource.objects.filter(quality_checks__isnull=True).exists()
    assert Dataset.objects.filter(title__startswith="臺中市").values("agency").distinct().count() >= 20


def test_demo_badges_are_plausible_and_each_defect_has_its_reason():
    ensure_demo_accounts()
    demo.seed()
    badges = Counter(Dataset.objects.values_list("quality_badge", flat=True))
    total = sum(badges.values())
    # the shares of demo_catalog.DEFECTS: gold 78 %, silver 12 %, bronze 5 %, none 5 % (± sampling)
    assert badges["gold"] / total > 0.70
    assert 0.08 < badges["silver"] / total < 0.16
    assert 0.02 < badges["bronze"] / total < 0.09
    assert 0.02 < badges["none"] / total < 0.08
    codes = Counter(m["code"] for c in QualityCheck.objects.all() for m in c.messages)
    for code in (
        "encoding-mismatch",
        "extra-label",
        "type-error",
        "missing-cell",
        "http-error",
        "not-downloadable",
    ):
        assert codes[code] > 0, code
    # Big5 declared right is gold; Big5 declared UTF-8 is silver
    big5 = QualityCheck.objects.filter(encoding="BIG5")
    assert {c.badge for c in big5.filter(resource__encoding="BIG5")} <= {"gold", "bronze"}
    assert {c.badge for c in big5.filter(resource__encoding="UTF-8")} <= {"silver", "bronze"}


def test_demo_files_are_served_by_the_platform(client):
    ensure_demo_accounts()
    demo.seed()
    resource = Resource.objects.filter(file__startswith="opendata/demo/").order_by("pk").first()
    response = client.get(f"/opendata/resources/{resource.pk}/download/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == resource.file.open("rb").read()
    landing = Resource.objects.filter(url__contains="/opendata/datasets/").first()
    assert client.get(landing.url.replace(settings.SITE_URL, "")).status_code == 200


def test_kpi_numbers_for_the_strategy_module():
    import datetime

    ensure_demo_accounts()
    demo.seed()
    year = datetime.date.today().year  # noqa: DTZ011
    assert selectors.datasets_total_at_quarter_end(2018, 3) == 1136
    assert selectors.datasets_total_at_quarter_end(2018, 2) == 0
    # a tenth of the 2,061 grown datasets plus the 3 published by the demo accounts: past +200
    assert selectors.datasets_added_in_year_to_quarter(year, 4) == 3 + len(range(0, 2061, 10))
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
