"""Demo content for the strategy cycle (`rdec demo` calls `seed(stdout)`): the seed's strategies,
action plans and targets (rdec load_strategy_plans) for its own year (2022), last year and this
year; a few demo-only plans for the demo accounts' agencies (建設局, 環保局) and one fed by a live
petitions count; closed reporting windows for every quarter up to the previous one, with values and
narratives; target change requests; this year's subsidy cycle (一般性補助款基本設施補助計畫) with
projects, checkpoints, monthly reports up to last month (one late) and the past quarters published.

The current quarter's window is left for the RDEC to open (the browser test does). Idempotent: does
nothing once any reporting window exists. Values are made, not lived: written directly, not
through the services."""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.models import Agency, Role, User
from rdec.strategy import achievement, live
from rdec.strategy.models import (
    ActionPlan,
    QuarterlyReport,
    ReportingWindow,
    Strategy,
    Target,
    TargetChangeRequest,
)
from rdec.strategy.reference import load_plans

# The demo's own plans and projects are not in the seed document (docs/strategy.md lists them);
# their texts read like an agency's plan, without a label on every page.
DEMO_SOURCE = "臺中市政府{agency}年度施政計畫"

# Demo-only plans so that the demo agencies' staff have something to report.
DEMO_PLANS = [
    {
        "code": "3-2-1",
        "name": "道路品質提升",
        "description": "推動道路刨鋪與路面平整計畫，結合管線單位挖掘管理及坑洞通報快速修補，提升行車安全與舒適。",
        "agency": "construction",
        "co": ["water-resources"],
        "targets": [
            ("road-repaving", "道路刨鋪面積", "萬平方公尺", None, 120, "higher", "cumulative", ""),
            ("pothole-hours", "坑洞通報平均修復時數", "小時", None, 24, "lower", "level", ""),
        ],
    },
    {
        "code": "3-2-4",
        "name": "人行道與無障礙環境改善",
        "description": "整體規劃人本步行環境，改善人行道鋪面、斜坡道及騎樓整平，串連學校、醫院及車站周邊的無障礙通行路網。",
        "agency": "construction",
        "co": [],
        "targets": [("sidewalks", "人行道改善長度", "公里", None, 30, "higher", "period", "")],
    },
    {
        "code": "5-1-2",
        "name": "空氣品質改善",
        "description": "加強固定及移動污染源管制，補助汰換老舊機車，推動電動運具及工地揚塵管理，降低細懸浮微粒濃度。",
        "agency": "environment",
        "co": ["transportation"],
        "targets": [
            ("pm25", "細懸浮微粒（PM2.5）年平均濃度", "μg/m³", 17, 15, "lower", "level", ""),
            ("electric-scooters", "汰換老舊機車補助輛數", "輛", None, 8000, "higher", "cumulative", ""),
        ],
    },
    {
        "code": "10-4-1",
        "name": "陳情案件如期回覆",
        "description": "落實人民陳情案件分案、展期及逾期管考，提升各機關如期回覆率；數值由陳情系統即時介接。",
        "agency": "rdec",
        "co": [],
        "targets": [
            (
                "petitions-on-time",
                "陳情案件如期回覆率",
                "%",
                None,
                95,
                "higher",
                "level",
                "petitions.replied_on_time_rate",
            ),
            (
                "petitions-received",
                "受理陳情案件數",
                "件",
                None,
                30000,
                "higher",
                "cumulative",
                "petitions.cases_received",
            ),
        ],
    },
]

NARRATIVES = [
    "本季依計畫期程辦理，執行情形良好。",
    "本季已完成預定工作項目，持續辦理中。",
    "受天候及招標作業影響，進度略為落後，已研擬趕辦措施。",
    "本季辦理成果如數據所示，下季將加強宣導與跨局處協調。",
    "已召開工作會議檢討執行情形，並滾動修正執行方式。",
]


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _demo_plans(year: int) -> None:
    agencies = {a.code: a for a in Agency.objects.all()}
    for spec in DEMO_PLANS:
        number = int(spec["code"].split("-")[0])
        strategy = Strategy.objects.get(number=number)
        plan, _created = ActionPlan.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "strategy": strategy,
                "agency": agencies[spec["agency"]],
                "source": DEMO_SOURCE.format(agency=agencies[spec["agency"]].short_name),
                "description": spec["description"],
            },
        )
        plan.co_agencies.add(*[agencies[c] for c in spec["co"] if c in agencies])
        for order, (key, name, unit, baseline, annual, direction, value_type, source) in enumerate(
            spec["targets"], 1
        ):
            Target.objects.get_or_create(
                plan=plan,
                year=year,
                key=key,
                defaults={
                    "name": name,
                    "unit": unit,
                    "baseline": baseline,
                    "annual_target": annual,
                    "direction": direction,
                    "value_type": value_type,
                    "live_source": source,
                    "source": DEMO_SOURCE.format(agency=plan.agency.short_name),
                    "data_source": "即時介接：陳情系統" if source else "",
                    "sort_order": order,
                },
            )


def _value_for(target: Target, quarter: int, factor: float, rng: random.Random) -> Decimal:
    """A plausible reported value: the quarter's target times the target's own pace."""
    goal = achievement.target_for_quarter(
        value_type=target.value_type,
        annual=target.annual_target,
        quarter=quarter,
        baseline=target.baseline,
        milestone=target.milestone(quarter),
    )
    if target.value_type == "period":
        goal = target.annual_target / 4
    pace = Decimal(str(factor + rng.uniform(-0.05, 0.05)))
    if target.direction == "lower":
        value = goal / pace if pace else goal
    else:
        value = goal * pace
    if target.unit in {"件", "筆", "次", "場", "項", "人", "輛"}:
        value = value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return _money(max(value, Decimal(0)))


def _reporter(agency_id: int, cache: dict) -> User | None:
    if agency_id not in cache:
        cache[agency_id] = (
            User.objects.filter(
                agency_id=agency_id, role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR, Role.RDEC_OFFICER]
            )
            .order_by("role", "pk")
            .first()
        )
    return cache[agency_id]


def _window_dates(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    end = live.quarter_bounds(year, quarter)[1]
    opens = end + datetime.timedelta(days=1)
    return opens, opens + datetime.timedelta(days=14)


def seed(
    stdout=None, *, size: int | None = None, today: datetime.date | None = None, seed: int = 2026
) -> int:
    """Seed the demo strategy cycle; returns the number of quarterly reports made (0 when any
    reporting window exists already)."""
    if ReportingWindow.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - demo data, not a secret
    with transaction.atomic():
        made = _seed(today, rng)
    if stdout is not None:
        stdout.write(
            _("Strategy: %(plans)s action plans, %(reports)s quarterly reports.")
            % {"plans": ActionPlan.objects.count(), "reports": made}
        )
    return made


def _seed(today: datetime.date, rng: random.Random) -> int:
    this_year = today.year
    current_quarter = (today.month - 1) // 3 + 1
    load_plans()  # the seed's own year (2022)
    for year in (this_year - 1, this_year):
        load_plans(year=year)
        _demo_plans(year)
    officer = User.objects.filter(role=Role.RDEC_OFFICER).order_by("pk").first()
    reporters: dict = {}
    made = 0
    periods = [(this_year - 1, q) for q in (1, 2, 3, 4)] + [(this_year, q) for q in range(1, current_quarter)]
    paces: dict[int, float] = {}
    for year, quarter in periods:
        opens, closes = _window_dates(year, quarter)
        if opens > today:
            continue
        window = ReportingWindow.objects.create(
            year=year,
            quarter=quarter,
            opens_on=opens,
            closes_on=closes,
            opened_by=officer,
            opened_at=timezone.make_aware(datetime.datetime.combine(opens, datetime.time(9))),
            closed_by=officer,
            closed_at=timezone.make_aware(
                datetime.datetime.combine(min(closes + datetime.timedelta(days=1), today), datetime.time(17))
            ),
        )
        reports = []
        for target in Target.objects.filter(year=year).select_related("plan"):
            if target.live_source:
                value = live.live_value(target.live_source, year, quarter)
                if value is None:
                    continue
                origin, narrative = QuarterlyReport.Origin.LIVE, "由陳情系統即時介接。"
            else:
                pace = paces.setdefault(target.pk, rng.choice([0.55, 0.75, 0.85, 0.95, 1.0, 1.05, 1.15, 1.3]))
                value = _value_for(target, quarter, pace, rng)
                origin, narrative = QuarterlyReport.Origin.TYPED, rng.choice(NARRATIVES)
            reports.append(
                QuarterlyReport(
                    target=target,
                    window=window,
                    quarter=quarter,
                    value=value,
                    narrative=narrative,
                    origin=origin,
                    reported_by=_reporter(target.plan.agency_id, reporters),
                    reported_at=timezone.make_aware(
                        datetime.datetime.combine(
                            opens + datetime.timedelta(days=rng.randrange(10)), datetime.time(10)
                        )
                    ),
                )
            )
        QuarterlyReport.objects.bulk_create(reports)
        made += len(reports)
    _demo_changes(this_year, officer)
    _seed_subsidies(today, officer)
    from rdec.strategy.tasks import send_reminders

    send_reminders(today)
    return made


def _demo_changes(year: int, officer) -> None:
    staff = User.objects.filter(agency__code="construction", role=Role.AGENCY_STAFF).first()
    road = Target.objects.filter(plan__code="3-2-1", year=year, key="road-repaving").first()
    if road is not None and staff is not None:
        TargetChangeRequest.objects.create(
            target=road,
            old_value=road.annual_target,
            new_value=_money(road.annual_target * Decimal("0.9")),
            justification="上半年雨量偏多，瀝青鋪設工期延宕，且部分路段配合管線汰換須延後施工。",
            response_strategy="增加夜間施工班次，並與管線單位協調同步施工，下半年加速辦理。",
            requested_by=staff,
        )
    env = User.objects.filter(agency__code="environment", role=Role.AGENCY_STAFF).first()
    pm25 = Target.objects.filter(plan__code="5-1-2", year=year - 1, key="pm25").first()
    if pm25 is not None and env is not None:
        TargetChangeRequest.objects.create(
            target=pm25,
            old_value=Decimal("14.00"),
            new_value=pm25.annual_target,
            justification="境外污染移入比例高於預期。",
            response_strategy="加強固定污染源稽查並擴大電動機車補助。",
            status=TargetChangeRequest.Status.APPROVED,
            requested_by=env,
            decided_by=officer,
            decided_at=timezone.now(),
            decision_comment="同意下修，請於下季報告補充稽查成果。",
        )


SUBSIDY_PROJECTS = [
    # agency, title, central, city, pace (actual ÷ planned progress), selected
    ("construction", "大里區塗城路拓寬工程", 48000, 12000, 1.0, True),
    ("construction", "豐原區人行環境改善工程", 22000, 5500, 0.7, True),
    ("water-resources", "太平區頭汴坑溪排水改善工程", 35000, 8750, 0.95, True),
    ("environment", "沙鹿區資源回收場設施更新", 9000, 2250, 1.05, True),
    ("culture", "東勢區客家文化園區修繕", 6000, 1500, 1.0, False),
]


SUBSIDY_DESCRIPTIONS = {
    "大里區塗城路拓寬工程": "塗城路（中興路至大明路段）由15公尺拓寬為20公尺，改善瓶頸路段交通並新設人行道。",
    "豐原區人行環境改善工程": "豐原火車站至廟東商圈周邊人行道重新鋪設、騎樓整平及無障礙坡道改善。",
    "太平區頭汴坑溪排水改善工程": "頭汴坑溪中游護岸加高及渠道拓寬，改善汛期周邊社區淹水問題。",
    "沙鹿區資源回收場設施更新": "更新資源回收場分選設備與遮雨棚，提升回收物分類效率及作業安全。",
    "東勢區客家文化園區修繕": "東勢客家文化園區舊站房屋頂及展示空間修繕，延長設施使用年限。",
}


def _seed_subsidies(today: datetime.date, officer) -> None:
    from rdec.strategy.models import (
        SubsidyCheckpoint,
        SubsidyCycle,
        SubsidyMonth,
        SubsidyProject,
        SubsidyPublication,
    )

    year = today.year
    cycle = SubsidyCycle.objects.create(year=year, **SubsidyCycle.default_dates(year))
    cycle.review_meeting_on = min(datetime.date(year, 1, 24), today)
    cycle.save(update_fields=["review_meeting_on"])
    agencies = {a.code: a for a in Agency.objects.filter(code__in={p[0] for p in SUBSIDY_PROJECTS})}
    reporters: dict = {}
    for agency_code, title, central, city, pace, selected in SUBSIDY_PROJECTS:
        agency = agencies[agency_code]
        project = SubsidyProject.objects.create(
            cycle=cycle,
            agency=agency,
            title=title,
            description=SUBSIDY_DESCRIPTIONS[title],
            central_subsidy=central,
            city_match=city,
            status=SubsidyProject.Status.SELECTED if selected else SubsidyProject.Status.NOT_SELECTED,
            proposed_by=_reporter(agency.pk, reporters),
            proposed_at=timezone.make_aware(
                datetime.datetime.combine(datetime.date(year - 1, 11, 25), datetime.time(10))
            ),
            review_comment="" if selected else "本年度額度有限，建議下年度再提。",
            reviewed_by=officer,
            reviewed_at=timezone.make_aware(
                datetime.datetime.combine(cycle.review_meeting_on, datetime.time(15))
            ),
        )
        if not selected:
            continue
        project.schedule_set_at = timezone.make_aware(
            datetime.datetime.combine(datetime.date(year, 3, 20), datetime.time(10))
        )
        project.save(update_fields=["schedule_set_at"])
        for name, month, day in (("完成細部設計", 3, 31), ("工程決標", 5, 31), ("完工驗收", 11, 30)):
            planned = datetime.date(year, month, day)
            SubsidyCheckpoint.objects.create(
                project=project,
                name=name,
                planned_on=planned,
                done_on=planned if planned < today and pace >= 0.95 else None,
            )
        budget = Decimal(central + city)
        for month in range(1, 13):
            planned_progress = Decimal(str(min(100, round(100 * month / 12 * (0.6 + 0.4 * month / 12), 2))))
            row = SubsidyMonth(
                project=project,
                month=month,
                planned_progress=_money(planned_progress),
                planned_spend=(budget * planned_progress / 100).quantize(Decimal("1")),
            )
            due = cycle.report_due_on(month)
            late_one = pace < 0.8 and month == today.month - 1
            if (year, month) < (today.year, today.month) and not late_one:
                actual = _money(min(Decimal(100), planned_progress * Decimal(str(pace))))
                row.actual_progress = _money(actual)
                row.actual_spend = (budget * actual / 100 * Decimal("0.95")).quantize(Decimal("1"))
                if actual < planned_progress:
                    row.delay_reason = "用地取得及管線遷移協調延宕。"
                    row.countermeasure = "召開協調會並請施工廠商增派人力趕工。"
                row.reported_by = _reporter(agency.pk, reporters)
                row.reported_at = timezone.make_aware(
                    datetime.datetime.combine(due - datetime.timedelta(days=2), datetime.time(16))
                )
            row.save()
    for quarter in range(1, (today.month - 1) // 3 + 1):
        SubsidyPublication.objects.create(
            cycle=cycle,
            quarter=quarter,
            published_by=officer,
            published_at=timezone.make_aware(
                datetime.datetime.combine(
                    live.quarter_bounds(year, quarter)[1] + datetime.timedelta(days=45), datetime.time(10)
                )
            ),
        )
