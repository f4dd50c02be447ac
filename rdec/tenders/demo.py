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
        seed_inspections(stdout)
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
    seed_inspections(stdout)


WORK_TYPES = [
    ("人行道", "road"),
    ("道路", "road"),
    ("排水", "water"),
    ("公園", "landscape"),
    ("校舍", "building"),
    ("停車場", "building"),
    ("橋梁", "bridge"),
]
MEMBERS = [
    "研考會 林怡君",
    "研考會 吳專員",
    "外聘委員 陳教授",
    "外聘委員 張技師",
    "外聘委員 劉建築師",
    "建設局 黃技正",
]
CODES_BY_TYPE = {
    "road": ["5.06.01", "5.06.02", "8.04", "8.05"],
    "water": ["5.08.01", "5.01.01", "5.02.01", "8.03"],
    "landscape": ["5.07.01", "5.06.02", "8.05"],
    "building": ["5.01.02", "5.02.01", "5.02.02", "5.03.01", "5.09.01", "5.05.01", "8.01"],
    "bridge": ["5.04.01", "5.02.02", "5.01.02", "8.01"],
}
COMMON_CODES = [
    "4.02.03",
    "4.02.04",
    "4.02.01.06",
    "4.03.03",
    "4.03.04",
    "4.03.06",
    "8.01",
    "8.02",
    "6.01",
    "7.01",
]
CONSEQUENCES = [
    ("qc_fee_deduction", "依契約扣罰品管費用"),
    ("staff_discipline", "主辦機關承辦及督導人員依規定檢討議處"),
    ("personnel_replaced", "撤換工地主任及品管人員"),
    ("reinspection", "三個月內辦理複查"),
]


def seed_inspections(stdout=None) -> None:
    """About 230 inspections in the current year (the year-to-date share of the 200-inspection
    target is met) and about 150 in the year before, of the works under execution: most 乙/甲,
    about 8 % 丙 (most with their consequences recorded), 0–6 findings each from the deficiency
    list, improvement reports submitted, pending or overdue. Idempotent: nothing when any exists."""
    from rdec.tenders import inspection_rules
    from rdec.tenders.models import Consequence, Deficiency, Finding, ImprovementReport, Inspection

    if Inspection.objects.exists():
        return
    deficiencies = {d.code: d for d in Deficiency.objects.filter(is_active=True)}
    works = list(
        Tender.objects.filter(
            type=Tender.Type.WORKS, status__in=[Tender.Status.IN_PROGRESS, Tender.Status.SUSPENDED]
        )
        .exclude(started_on__isnull=True)
        .order_by("number")
    )
    if not deficiencies or not works:
        return
    rng = random.Random(66023)  # noqa: S311 - demo data
    today = timezone.localdate()
    book = inspection_rules.InspectionRuleBook()
    lagging = {
        t_id
        for t_id, planned, actual in MonthlyProgress.objects.filter(tender__in=works).values_list(
            "tender_id", "planned_pct", "actual_pct"
        )
        if planned - actual >= 10
    }
    plan = []
    for year, count in ((today.year - 1, 150), (today.year, 230)):
        start = datetime.date(year, 1, 1)
        end = min(datetime.date(year, 12, 31), today - datetime.timedelta(days=1))
        pool = [t for t in works if t.started_on + datetime.timedelta(days=30) <= end]
        rng.shuffle(pool)
        # some works are never inspected (the planning page suggests them)
        pool = pool[: max(1, int(len(pool) * 0.85))]
        for n in range(count if pool else 0):
            tender = pool[n % len(pool)]
            first = max(start, tender.started_on + datetime.timedelta(days=30))
            if first > end:
                continue
            day = first + datetime.timedelta(days=rng.randint(0, (end - first).days))
            plan.append((tender, day))
    plan.sort(key=lambda p: p[1])
    inspections, pending = [], []
    for tender, day in plan:
        work_type = next((w for word, w in WORK_TYPES if word in tender.name), "other")
        base = 79 if tender.pk not in lagging else 73
        score = Decimal(str(round(min(max(rng.gauss(base, 6), 55), 95), 1)))
        grade = inspection_rules.grade(book.on(day), score)
        inspection = Inspection(
            tender=tender,
            inspected_on=day,
            work_type=work_type,
            members="\n".join(rng.sample(MEMBERS, 3)),
            progress_pct=Decimal(str(rng.randint(20, 80))),
            score=score,
            grade=grade,
            strengths="品管文件齊備，工地整潔" if grade == Inspection.Grade.A else "",
            created_at=datetime.datetime.combine(
                day, datetime.time(17, 0), tzinfo=timezone.get_current_timezone()
            ),
        )
        inspections.append(inspection)
        n_findings = {"A": rng.randint(0, 3), "B": rng.randint(2, 5), "C": rng.randint(4, 7)}[grade]
        choices = CODES_BY_TYPE.get(work_type, []) * 2 + COMMON_CODES
        codes = []
        for _k in range(n_findings):
            code = rng.choice(choices)
            if code in deficiencies and code not in codes:
                codes.append(code)
        pending.append((inspection, codes))
    with transaction.atomic():
        Inspection.objects.bulk_create(inspections, batch_size=500)
        findings, reports, consequences = [], [], []
        for inspection, codes in pending:
            parties = []
            for code in codes:
                d = deficiencies[code]
                findings.append(
                    Finding(
                        inspection=inspection,
                        deficiency=d,
                        points=d.points + rng.choice([0, 0, 0, 1]),
                        party=d.party,
                    )
                )
                if d.party not in parties:
                    parties.append(d.party)
            rule = book.on(inspection.inspected_on)
            due = inspection_rules.improvement_due(rule, inspection.inspected_on)
            for party in parties:
                done = due < today and rng.random() < 0.9 or due >= today and rng.random() < 0.3
                submitted = None
                if done:
                    submitted = inspection.inspected_on + datetime.timedelta(
                        days=rng.randint(7, rule.improvement_days + 10)
                    )
                    submitted = min(submitted, today)
                reports.append(
                    ImprovementReport(
                        inspection=inspection, party=party, due_on=due, submitted_on=submitted,
                        content="已依查核意見完成改善，檢附改善前中後照片" if submitted else "",
                    )
                )  # fmt: skip
            if inspection.grade == Inspection.Grade.C and rng.random() < 0.75:
                kind, text = rng.choice(CONSEQUENCES)
                consequences.append(
                    Consequence(inspection=inspection, kind=kind, description=text,
                                decided_on=min(inspection.inspected_on + datetime.timedelta(days=14), today))
                )  # fmt: skip
        Finding.objects.bulk_create(findings, batch_size=1000)
        ImprovementReport.objects.bulk_create(reports, batch_size=1000)
        Consequence.objects.bulk_create(consequences)
    if stdout is not None:
        stdout.write(f"tenders: {len(inspections)} inspections, {len(findings)} deficiencies found")
