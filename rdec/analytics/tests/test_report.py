"""The figures and written summary of the 質量分析報告: hand-computed counts on a handful of
cases, and planted patterns in generated data (one agency's slowdown, a seasonal rise, a rise on
last year, a repeat petitioner) that the report and its summary must find — and nothing on
pattern-free data. Every number in the summary must be one of the computed figures."""

from __future__ import annotations

import datetime
import json
import re
import uuid

import pytest

from rdec.analytics import report, summary
from rdec.analytics.models import ReportRule
from rdec.analytics.tests import report_data
from rdec.core.models import Agency, District
from rdec.petitions.models import Case, CaseEvent, Category, Rating

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))
JULY = datetime.date(2026, 7, 15)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def _case(cat, received, *, replied=None, due=None, original_due=None, agency=None, district=None, **kw):
    due = due or received
    return Case.objects.create(
        number=f"t-{uuid.uuid4().hex[:14]}",
        channel=kw.pop("channel", "phone"),
        category=cat,
        subject=kw.pop("subject", "測試"),
        description="測試",
        agency=agency or cat.default_agency,
        district=district,
        status="closed" if replied else "in_progress",
        received_at=_at(received),
        replied_at=_at(replied, 16) if replied else None,
        due_date=due,
        original_due_date=original_due or due,
        **kw,
    )


def numbers_in(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def figure_numbers(value) -> set[float]:
    """Every number the figures hold, as it is stored and without its sign, and every number
    written inside their texts (labels, dates)."""
    found: set[float] = set()
    if isinstance(value, bool) or value is None:
        return found
    if isinstance(value, int | float):
        return {float(value), abs(float(value))}
    if isinstance(value, str):
        return set(numbers_in(value))
    items = value.values() if isinstance(value, dict) else value
    for item in items:
        found |= figure_numbers(item)
    return found


# --- periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "start", "end", "previous", "last_year"),
    [
        ("month", "2026-03-15", "2026-03-01", "2026-03-31", "2026-02-01", "2025-03-01"),
        ("month", "2026-01-31", "2026-01-01", "2026-01-31", "2025-12-01", "2025-01-01"),
        ("quarter", "2026-05-02", "2026-04-01", "2026-06-30", "2026-01-01", "2025-04-01"),
        ("quarter", "2026-02-10", "2026-01-01", "2026-03-31", "2025-10-01", "2025-01-01"),
        ("year", "2026-11-27", "2026-01-01", "2026-12-31", "2025-01-01", "2025-01-01"),
    ],
)
def test_periods_and_their_comparisons(kind, day, start, end, previous, last_year):
    p = report.period_of(kind, datetime.date.fromisoformat(day))
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)
    assert report.previous_period(p).start.isoformat() == previous
    assert report.same_period_last_year(p).start.isoformat() == last_year
    assert report.same_period_last_year(p).end == p.end.replace(year=p.end.year - 1)


# --- hand-computed figures ------------------------------------------------------------------------


def test_volumes_trends_and_timeliness_on_a_handful_of_cases(personas):
    pothole = Category.objects.get(code="pothole")
    garbage = Category.objects.get(code="garbage")
    # July 2026: 3 potholes and 1 garbage case; June: 2 potholes; July 2025: 1 pothole.
    # Replies in July: Mon 6 → Wed 8 (2 working days, due 10th: on time),
    # Thu 9 → Mon 13 (2 working days, due 13th: on time), Tue 7 → Tue 14 (5 working days, due
    # 10th: late), the garbage case extended from the 10th to the 17th, replied Thu 16th (7 working
    # days, on time under the extension).
    _case(
        pothole, datetime.date(2026, 7, 6), replied=datetime.date(2026, 7, 8), due=datetime.date(2026, 7, 10)
    )
    _case(
        pothole, datetime.date(2026, 7, 9), replied=datetime.date(2026, 7, 13), due=datetime.date(2026, 7, 13)
    )
    _case(
        pothole, datetime.date(2026, 7, 7), replied=datetime.date(2026, 7, 14), due=datetime.date(2026, 7, 10)
    )
    _case(
        garbage, datetime.date(2026, 7, 7), replied=datetime.date(2026, 7, 16), due=datetime.date(2026, 7, 17),
        original_due=datetime.date(2026, 7, 10), channel="web",
    )  # fmt: skip
    _case(
        pothole, datetime.date(2026, 6, 3), replied=datetime.date(2026, 6, 4), due=datetime.date(2026, 6, 9)
    )
    _case(pothole, datetime.date(2026, 6, 30), due=datetime.date(2026, 7, 7))  # still open, past due
    _case(
        pothole,
        datetime.date(2025, 7, 20),
        replied=datetime.date(2025, 7, 21),
        due=datetime.date(2025, 7, 25),
    )

    f = report.compute("month", JULY, today=datetime.date(2026, 11, 1))
    assert f["volume"] == {
        "current": 4, "previous": 2, "last_year": 1, "vs_previous_pct": 100.0, "vs_last_year_pct": 300.0,
    }  # fmt: skip
    channels = {r["code"]: (r["current"], r["previous"], r["last_year"]) for r in f["by"]["channel"]}
    assert channels == {"phone": (3, 2, 1), "web": (1, 0, 0)}
    cats = {r["code"]: r["current"] for r in f["by"]["category"]}
    assert cats == {"pothole": 3, "garbage": 1}
    assert {r["code"]: r["current"] for r in f["by"]["group"]} == {
        pothole.parent.code: 3,
        garbage.parent.code: 1,
    }
    t = f["timeliness"]
    assert (t["replied"], t["on_time"], t["late"], t["extended"]) == (4, 3, 1, 1)
    assert t["on_time_pct"] == 75.0
    assert t["avg_working_days"] == pytest.approx((2 + 2 + 5 + 7) / 4, abs=0.05)
    assert t["open_overdue"] == 1  # the case of 30 June, due 7 July, still open
    by_cat = {r["code"]: r for r in t["by_category"]}
    assert by_cat["pothole"]["avg_working_days"] == pytest.approx(3.0)
    assert by_cat["pothole"]["on_time_pct"] == pytest.approx(66.7)
    series = {m["month"]: (m["count"], m["last_year"]) for m in f["monthly"]}
    assert series["2026-07"] == (4, 1) and series["2026-06"] == (2, 0) and len(series) == 13


def test_satisfaction_and_reopen_rate(personas):
    pothole = Category.objects.get(code="pothole")
    cases = [
        _case(
            pothole,
            datetime.date(2026, 7, 1),
            replied=datetime.date(2026, 7, 2),
            due=datetime.date(2026, 7, 8),
        )
        for _i in range(4)
    ]
    for case, score, comment in zip(
        cases, [1, 2, 5, 4], ["等很久還是沒解決", "回覆很敷衍", "", ""], strict=True
    ):
        Rating.objects.create(
            case=case, score=score, comment=comment, created_at=_at(datetime.date(2026, 7, 3))
        )
    CaseEvent.objects.create(case=cases[0], verb="reopened", at=_at(datetime.date(2026, 7, 4)))
    s = report.compute("month", JULY)["satisfaction"]
    assert s["ratings"] == 4 and s["average"] == 3.0
    assert [d["count"] for d in s["distribution"]] == [1, 1, 0, 1, 1]
    assert (s["dissatisfied"], s["dissatisfied_pct"]) == (2, 50.0)
    reasons = {r["code"]: r["count"] for r in s["reasons"]}
    assert reasons == {"slow": 1, "unsolved": 1, "perfunctory": 1, "attitude": 0, "unanswered": 0}
    assert (s["reopened"], s["reopen_pct"]) == (1, 25.0)


def test_an_agency_or_a_district_report_counts_only_its_cases(personas):
    pothole = Category.objects.get(code="pothole")
    garbage = Category.objects.get(code="garbage")
    north, south = (
        District.objects.defer("geometry").filter(code__in=["66000060", "66000070"]).order_by("code")
    )
    _case(pothole, datetime.date(2026, 7, 2), district=north)
    _case(pothole, datetime.date(2026, 7, 3), district=south)
    _case(garbage, datetime.date(2026, 7, 3), district=north)
    agency = pothole.default_agency
    assert report.compute("month", JULY, agency=agency)["volume"]["current"] == 2
    assert report.compute("month", JULY, district=north)["volume"]["current"] == 2
    assert report.compute("month", JULY)["volume"]["current"] == 3


# --- planted patterns -----------------------------------------------------------------------------


@pytest.fixture
def planted(personas):
    report_data.generate(
        seed=3, slow_agency="environment", seasonal="ditch", rising="illegal-parking", repeat_phone=True
    )
    figures = report.compute("month", JULY)
    return figures, summary.sentences(figures)


def test_the_agencys_slowdown_is_found_and_written(planted):
    figures, lines = planted
    env = Agency.objects.get(code="environment")
    slowed = figures["timeliness"]["slowdowns"]
    assert [r["code"] for r in slowed] == ["environment"]
    assert slowed[0]["on_time_pct"] < 50 < 90 < slowed[0]["previous_on_time_pct"]
    assert figures["timeliness"]["slowest_agencies"][0]["code"] == "environment"
    mention = [line for line in lines if env.name in line]
    assert mention and f"{slowed[0]['drop_points']:.1f}" in mention[0]


def test_a_seasonal_rise_is_told_apart_from_a_rise_on_last_year(planted):
    figures, lines = planted
    flags = {r["code"]: r["flag"] for r in figures["hot"]["rising"]}
    assert flags == {"ditch": "seasonal", "illegal-parking": "last_year"}
    ditch = next(r for r in figures["hot"]["rising"] if r["code"] == "ditch")
    assert ditch["vs_previous_pct"] > 100 and abs(ditch["vs_last_year_pct"]) < 20
    parking = Category.objects.get(code="illegal-parking")
    line = next(line for line in lines if line.lstrip("「").startswith(parking.name))
    parking_row = next(r for r in figures["hot"]["rising"] if r["code"] == "illegal-parking")
    assert f"{parking_row['vs_last_year_pct']:.1f}%" in line


def test_the_repeat_petitioner_is_counted_but_never_shown(planted):
    figures, _lines = planted
    rep = figures["repeat"]
    top = rep["top_petitioners"][0]
    assert top["cases"] == 6 and top["id"] == report.masked_id(report_data.REPEAT_PHONE)
    assert rep["petitioners"] == 1 and rep["petitioner_cases"] == 6
    assert rep["top_places"][0]["cases"] == 6
    dumped = json.dumps(figures, ensure_ascii=False)
    assert report_data.REPEAT_PHONE not in dumped and "0912" not in dumped


def test_every_number_in_the_summary_is_a_computed_figure(planted):
    figures, lines = planted
    allowed = figure_numbers(figures)
    for line in lines:
        for n in numbers_in(line):
            assert n in allowed, (n, line)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_pattern_free_data_raises_no_alarm(personas, seed):
    report_data.generate(seed=seed)
    figures = report.compute("month", JULY)
    lines = summary.sentences(figures)
    assert figures["hot"]["rising"] == []
    assert figures["timeliness"]["slowdowns"] == []
    assert figures["hotspots"] == []
    names = {a.name for a in Agency.objects.all()}
    assert not [line for line in lines if any(line.lstrip("「").startswith(n) for n in names)]
    # volume, largest group, timeliness, slowest category, satisfaction: nothing else
    assert len(lines) == 5
    allowed = figure_numbers(figures)
    assert all(n in allowed for line in lines for n in numbers_in(line))


def test_the_rule_in_force_on_the_periods_last_day_applies(planted):
    ReportRule.objects.create(effective_from=datetime.date(2026, 1, 1), rise_pct=1000, source="測試")
    figures = report.compute("month", JULY)
    assert figures["rule"]["rise_pct"] == 1000
    assert figures["hot"]["rising"] == []  # no category rose elevenfold
    early = report.compute("month", datetime.date(2025, 12, 10))
    assert early["rule"]["rise_pct"] == 20
