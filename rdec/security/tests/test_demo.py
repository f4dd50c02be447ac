"""The demo's slice of the city (rdec.security.demo) on the real sample, frozen on 2026-11-27."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from rdec.core.demo import ensure_demo_accounts
from rdec.security import demo, selectors
from rdec.security.models import Asset, Cve, Finding

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)


def test_the_demo_seeds_a_matched_city_once():
    ensure_demo_accounts()
    with time_machine.travel(DAY, tick=False):
        demo.seed()
        counts = Cve.objects.count(), Asset.objects.count(), Finding.objects.count()
        demo.seed()  # a second run changes nothing
        assert (Cve.objects.count(), Asset.objects.count(), Finding.objects.count()) == counts

        # the district offices' Windows 7 PCs: end of support, BlueKeep (KEV) matched, overdue
        pcs = list(Asset.objects.filter(name__endswith="櫃台電腦 01"))
        assert len(pcs) == len(demo.DISTRICT_OFFICES)
        assert {p.pk for p in pcs} <= selectors.eos_asset_ids(pcs, DAY.date())
        bluekeep = Finding.objects.get(asset=pcs[0], cve__cve_id="CVE-2019-0708")
        assert bluekeep.determinate and bluekeep.deadline == datetime.date(2022, 5, 3)
        # every status is there, the exception with its expiry within a year
        statuses = set(Finding.objects.values_list("status", flat=True))
        assert statuses == {"open", "fixing", "fixed", "exception"}
        exception = Finding.objects.get(status="exception")
        assert exception.exception_expires == datetime.date(2027, 5, 26)
        # Tomcat updated in the inventory: CVE-2020-1938 closed by matching
        ghostcat = Finding.objects.get(asset__name="環境監測資料平台", cve__cve_id="CVE-2020-1938")
        assert ghostcat.status == "fixed" and ghostcat.closed_automatically
        # a critical non-KEV finding matched 40 days ago: due 15 days after (overdue); a patched
        # Windows 10 build is not matched by CVE-2024-38063
        httpd = Finding.objects.get(asset__name="建設局對外網站伺服器", cve__cve_id="CVE-2021-44790")
        assert httpd.deadline == datetime.date(2026, 11, 2)
        assert not Finding.objects.filter(asset__name__endswith="承辦人電腦 02", cve__cve_id="CVE-2024-38063")
        assert Finding.objects.filter(determinate=False).exists()
