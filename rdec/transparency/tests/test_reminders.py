"""The weekly disclosure digest: each agency gets its own follow-up, the RDEC the whole city's, nobody
gets mail when nothing is due."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from rdec.transparency.models import Contract, DisclosureItem, Mou
from rdec.transparency.reminders import send_weekly_digest

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2025, 6, 9)


def test_nothing_due_sends_nothing(personas):
    Contract.objects.create(
        agency=personas.staff.agency,
        ocid="ocds-r-0",
        title="尚在期限內",
        publication_due=datetime.date(2025, 6, 30),
    )
    assert send_weekly_digest(MONDAY) == 0
    assert mail.outbox == []


def test_each_agency_gets_its_own_and_the_rdec_gets_all(personas):
    for user, address in ((personas.staff, "staff@example.tw"), (personas.supervisor, "chief@example.tw"),
                          (personas.other_staff, "env@example.tw"), (personas.officer, "rdec@example.tw")):  # fmt: skip
        user.email = address
        user.save(update_fields=["email"])
    construction, environment = personas.staff.agency, personas.other_staff.agency
    Contract.objects.create(
        agency=construction,
        ocid="ocds-r-1",
        title="逾期未公開工程契約",
        publication_due=datetime.date(2025, 6, 5),
    )
    Mou.objects.create(
        number="MOU-114-0100",
        title="即將到期之合作備忘錄",
        lead_agency=environment,
        status=Mou.Status.ACTIVE,
        signed_on=datetime.date(2024, 1, 1),
        published_at=datetime.datetime(2024, 1, 5, tzinfo=datetime.UTC),
        term_start=datetime.date(2024, 1, 1),
        term_end=datetime.date(2025, 7, 1),
    )
    DisclosureItem.objects.create(
        agency=environment,
        category=5,
        title="空氣品質統計",
        methods=["online"],
        published_on=datetime.date(2023, 1, 1),
        updated_on=datetime.date(2024, 1, 1),  # the default cycle is 12 months
    )
    assert send_weekly_digest(MONDAY) == 3
    by_to = {tuple(sorted(m.to)): m for m in mail.outbox}
    own = by_to[("chief@example.tw", "staff@example.tw")]
    assert "逾期未公開工程契約" in own.body and "即將到期" not in own.body
    assert "114年6月5日" in own.body and "/transparency/manage/" in own.body
    env = by_to[("env@example.tw",)]
    assert (
        "即將到期之合作備忘錄" in env.body
        and "空氣品質統計" in env.body
        and "逾期未公開工程契約" not in env.body
    )
    city = by_to[("rdec@example.tw",)]
    for title in ("逾期未公開工程契約", "即將到期之合作備忘錄", "空氣品質統計"):
        assert title in city.body
    assert f"{construction.short_name}：逾期未公開工程契約" in city.body
