"""Demo content for tenders (`rdec demo` calls `seed(stdout)`): about 300 tenders of 16 agencies
with 12–24 months of monthly progress up to last month, along S-shaped plans; most on schedule,
some behind, some seriously behind, and three agencies (水利局, 捷運局, 運動局) under the 90 %
performance threshold in most months. Some months were entered after the due day.

Idempotent: does nothing when any tender exists. Made, not lived: rows are written directly (with
past dates), not through the services. Names are fictional.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from rdec.core.models import Agency, District
from rdec.tenders.models import ChangeOrder, Extension, MonthlyProgress, Tender

DEFAULT_TENDERS = 300
# agency code, share of tenders, probability that a tender lags
AGENCIES = [
    ("construction", 60, 0.15),
    ("water-resources", 30, 0.75),
    ("transportation", 22, 0.2),
    ("urban-development", 18, 0.15),
    ("education", 30, 0.15),
    ("mrt", 10, 0.8),
    ("environment", 16, 0.15),
    ("culture", 12, 0.2),
    ("sports", 12, 0.75),
    ("police", 10, 0.1),
    ("fire", 10, 0.1),
    ("health", 10, 0.1),
    ("agriculture", 16, 0.2),
    ("tourism", 14, 0.2),
    ("social-affairs", 14, 0.1),
    ("economic-development", 16, 0.15),
]
WORKS = [
    "道路改善工程",
    "排水改善工程",
    "人行道改善工程",
    "公園新建工程",
    "校舍耐震補強工程",
    "橋梁改建工程",
    "停車場新建工程",
]
GOODS = ["監視錄影設備採購", "資訊設備汰換採購", "消防車輛採購", "垃圾車採購", "路燈節能燈具採購"]
SERVICES = ["委託設計監造技術服務", "委託專案管理服務", "規劃研究委託案", "系統維護委託服務"]
CONTRACTORS = [
    "大中營造股份有限公司",
    "臺灣土木工程有限公司",
    "中部營造股份有限公司",
    "綠野工程顧問有限公司",
    "鴻圖科技股份有限公司",
]
REASONS = ["用地取得延宕", "管線遷移協調中", "連續降雨無法施工", "材料進場延誤", "設計變更辦理中", "人力不足"]


def _add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def _planned(t: float) -> Decimal:
    """An S-shaped cumulative plan (smoothstep) at fraction t of the contract period."""
    t = min(max(t, 0.0), 1.0)
    return Decimal(str(round(100 * t * t * (3 - 2 * t), 2)))


def seed(stdout=None, size: int | None = None) -> None:
    if Tender.objects.exists():
        return
    count = min(size or DEFAULT_TENDERS, DEFAULT_TENDERS)
    rng = random.Random(66000)  # noqa: S311 - demo data
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[c for c, _s, _p in AGENCIES])}
    weighted = [(agencies[c], share, p) for c, share, p in AGENCIES if c in agencies]
    if not weighted:
        return
    districts = list(District.objects.values_list("name", flat=True)) or ["北屯區"]
    today = timezone.localdate()
    last = _add_months(today.replace(day=1), -1)
    roc = today.year - 1911
    tenders, progress, orders, extensions = [], [], [], []
    total_share = sum(share for _a, share, _p in weighted)
    n = 0
    with transaction.atomic():
        for agency, share, lag_p in weighted:
            for _i in range(max(1, round(count * share / total_share))):
                n += 1
                kind = rng.choices([Tender.Type.WORKS, Tender.Type.GOODS, Tender.Type.SERVICES], [6, 2, 2])[0]
                place = rng.choice(districts)
                name = {
                    Tender.Type.WORKS: f"{place}{rng.choice(WORKS)}",
                    Tender.Type.GOODS: f"{agency.short_name}{rng.choice(GOODS)}",
                    Tender.Type.SERVICES: f"{place}{rng.choice(SERVICES)}",
                }[kind]
                large = kind == Tender.Type.WORKS and rng.random() < 0.12
                amount = Decimal(
                    rng.randrange(200_000_000, 900_000_000, 1_000_000)
                    if large
                    else rng.randrange(1_000_000, 150_000_000, 100_000)
                )
                months = rng.randint(12, 24)
                first = _add_months(last, -(months - 1))
                duration = rng.randint(months, months + 12)
                started = first + datetime.timedelta(days=rng.randint(0, 10))
                lags = rng.random() < lag_p
                target = (
                    rng.uniform(3, 9) if lags and rng.random() < 0.5 else rng.uniform(12, 30) if lags else 0
                )
                tender = Tender(
                    number=f"{roc}{n:05d}",
                    name=name,
                    agency=agency,
                    plan=f"{roc}年度{agency.short_name}施政計畫",
                    type=kind,
                    budget_amount=(amount * Decimal("1.08")).quantize(Decimal(1)),
                    contract_amount=amount,
                    contractor=rng.choice(CONTRACTORS),
                    announced_on=first - datetime.timedelta(days=75),
                    awarded_on=first - datetime.timedelta(days=30),
                    started_on=started,
                    planned_completion_on=_add_months(first, duration) - datetime.timedelta(days=1),
                    status=Tender.Status.IN_PROGRESS,
                    failed_count=rng.choice([0, 0, 0, 0, 1, 2]),
                )
                tenders.append(tender)
                not_yet = rng.random() < 0.03  # last month not entered yet
                for m in range(months - not_yet):
                    month = _add_months(first, m)
                    planned = _planned((m + 1) / duration)
                    gap = Decimal(str(round(target * (m + 1) / months + rng.uniform(-1.5, 1.5), 2)))
                    actual = min(max(planned - gap, Decimal(0)), Decimal(100))
                    late = rng.random() < (0.25 if lags else 0.05)
                    entered = datetime.datetime.combine(
                        _add_months(month, 1).replace(day=16 if late else rng.randint(2, 9)),
                        datetime.time(10, rng.randint(0, 59)),
                        tzinfo=timezone.get_current_timezone(),
                    )
                    progress.append(
                        MonthlyProgress(
                            tender=tender,
                            month=month,
                            planned_pct=planned,
                            actual_pct=actual,
                            budget_executed=(amount * actual / 100).quantize(Decimal(1)),
                            reason=rng.choice(REASONS) if actual < planned else "",
                            entered_at=entered,
                            is_late=late,
                        )
                    )
                if lags and kind == Tender.Type.WORKS:
                    orders.append(
                        ChangeOrder(tender=tender, approved_on=_add_months(first, months // 2),
                                    description="配合現地狀況辦理第1次變更設計", amount_change=(amount / 20).quantize(Decimal(1)))
                    )  # fmt: skip
                    extensions.append(
                        Extension(tender=tender, approved_on=_add_months(first, months // 2), days=rng.choice([30, 45, 60]),
                                  reason="用地取得延宕，核准展延工期")
                    )  # fmt: skip
        Tender.objects.bulk_create(tenders)
        MonthlyProgress.objects.bulk_create(progress, batch_size=2000)
        ChangeOrder.objects.bulk_create(orders)
        Extension.objects.bulk_create(extensions)
    if stdout is not None:
        stdout.write(f"tenders: {len(tenders)} tenders, {len(progress)} months of progress")
