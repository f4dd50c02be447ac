"""Generated petitions with known planted patterns, for the 質量分析報告's tests: a Poisson
background over six categories, four districts and fifteen months, and on request
- `slow_agency`: one agency replies late to most cases in `period_month`;
- `seasonal`: one category triples every July (both years);
- `rising`: one category rises 2.5× in `period_month` only (not a year earlier);
- `repeat_phone`: one petitioner files 6 cases in `period_month`."""

from __future__ import annotations

import datetime
import math
import random
import uuid

from rdec.core import workdays
from rdec.core.models import District, Village
from rdec.petitions.models import Case, Category, Rating

TZ = datetime.timezone(datetime.timedelta(hours=8))
CATEGORIES = ["pothole", "light-out", "garbage", "noise-business", "ditch", "illegal-parking"]
DISTRICTS = ["66000060", "66000070", "66000080", "66000090"]
CHANNELS = ["phone", "phone", "phone", "web", "web", "email", "counter"]
RATE = 30  # cases per category per month
REPEAT_PHONE = "0912-000-111"


def poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def months(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day = (day + datetime.timedelta(days=32)).replace(day=1)


def generate(
    *,
    seed: int = 1,
    period_month: datetime.date = datetime.date(2026, 7, 1),
    slow_agency: str | None = None,
    seasonal: str | None = None,
    rising: str | None = None,
    repeat_phone: bool = False,
) -> dict:
    rng = random.Random(seed)
    cats = {c.code: c for c in Category.objects.select_related("default_agency").filter(code__in=CATEGORIES)}
    districts = list(District.objects.defer("geometry").filter(code__in=DISTRICTS))
    villages = {d.pk: list(Village.objects.defer("geometry").filter(district=d)[:5]) for d in districts}
    first = (period_month - datetime.timedelta(days=430)).replace(day=1)
    last_day = (period_month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    cases, ratings = [], []
    for month in months(first, period_month):
        month_days = ((month + datetime.timedelta(days=32)).replace(day=1) - month).days
        for code, cat in cats.items():
            lam = RATE
            if seasonal == code and month.month == 7:
                lam *= 3
            if rising == code and month == period_month:
                lam *= 2.5
            for _i in range(poisson(rng, lam)):
                day = month + datetime.timedelta(days=rng.randrange(month_days))
                received = datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8)), tzinfo=TZ)
                due = workdays.add_working_days(day, cat.working_days)
                slow = slow_agency == cat.default_agency.code and month == period_month
                if rng.random() < (0.7 if slow else 0.06):
                    took = cat.working_days + rng.randrange(2, 8)
                else:
                    took = rng.randrange(1, cat.working_days + 1)
                reply_day = workdays.add_working_days(day, took)
                district = rng.choice(districts)
                village = rng.choice(villages[district.pk]) if villages[district.pk] else None
                case = Case(
                    number=f"t-{uuid.uuid4().hex[:14]}",
                    tracking_code_hash="x",
                    channel=rng.choice(CHANNELS),
                    category=cat,
                    subject=f"{cat.name}陳情",
                    description="測試",
                    district=district,
                    village=village,
                    petitioner_phone=f"09{rng.randrange(10**8):08d}",
                    agency=cat.default_agency,
                    status="closed" if reply_day <= last_day else "in_progress",
                    received_at=received,
                    due_date=due,
                    original_due_date=due,
                    replied_at=datetime.datetime.combine(reply_day, datetime.time(15), tzinfo=TZ)
                    if reply_day <= last_day
                    else None,
                )
                cases.append(case)
    if repeat_phone:
        cat = cats["light-out"]
        for i in range(6):
            day = period_month + datetime.timedelta(days=2 + i * 3)
            due = workdays.add_working_days(day, cat.working_days)
            cases.append(
                Case(
                    number=f"t-{uuid.uuid4().hex[:14]}", tracking_code_hash="x", channel="phone", category=cat,
                    subject="路燈又不亮", description="測試", district=districts[0],
                    petitioner_phone=REPEAT_PHONE, agency=cat.default_agency, status="received",
                    received_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ),
                    due_date=due, original_due_date=due, lat=24.1501, lon=120.6502,
                )
            )  # fmt: skip
    Case.objects.bulk_create(cases, batch_size=2000)
    for case in Case.objects.filter(replied_at__isnull=False).only("id", "replied_at"):
        if rng.random() < 0.4:
            score = rng.choice([1, 2, 3, 4, 4, 5, 5, 5])
            ratings.append(
                Rating(case=case, score=score, comment="處理太慢" if score <= 2 and rng.random() < 0.5 else "",
                       created_at=case.replied_at + datetime.timedelta(hours=3))
            )  # fmt: skip
    Rating.objects.bulk_create(ratings, batch_size=2000)
    return {"cases": len(cases), "ratings": len(ratings), "categories": cats}
