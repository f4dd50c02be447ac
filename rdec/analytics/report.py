"""The figures of the 質量分析報告 (quality/quantity analysis report) for one period and scope.

Every figure is a database aggregate (GROUP BY and conditional counts); Python only walks the
groups (agencies × categories × days at most), never the cases. `compute()` returns plain JSON
(stored on the Report) that the page, the charts, the files and the written summary all read.

Definitions (docs/analytics.md):
- volume: cases received in the period (any status);
- timeliness: cases replied in the period (not withdrawn or merged); on time when replied on or
  before the due date in force (an approved extension moves it); working days from the day of
  receipt to the day of the reply on the office calendar; extended: due date ≠ the original one;
  still open past due: open now, received before the period ended, due before its end;
- satisfaction: ratings given in the period; dissatisfied = 1 or 2; reopen rate = cases reopened
  in the period ÷ cases replied in it;
- repeat petitioners: a phone number with `repeat_min` or more cases in the period, shown only as
  a keyed hash (never the number); repeat places: points rounded to 0.001° (about 100 m).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, DateField, F, Max, Min, Q
from django.db.models.functions import Round, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR = "month", "quarter", "year"
TOP_VILLAGES = 30
TOP_REPEAT = 10
TOP_SUBJECTS = 10
TOP_HOTSPOTS = 10
TOP_SLOWEST = 5
# Words looked for in the comments of dissatisfied ratings (1–2), in this order; a comment may
# count under several. Chosen by the developers from 1999 wording, not confirmed by the RDEC.
REASONS = [
    ("slow", "太慢", ("太慢", "很慢", "拖", "等很久", "遲遲")),
    ("unsolved", "問題未解決", ("沒解決", "未解決", "沒有解決", "還是", "依然", "仍然")),
    ("perfunctory", "回覆敷衍", ("敷衍", "官腔", "制式", "推託", "推諉")),
    ("attitude", "態度不佳", ("態度",)),
    ("unanswered", "未回應訴求", ("沒回應", "未回應", "答非所問", "沒有回答")),
]


# --- periods --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # last day, inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        roc = self.start.year - 1911
        if self.kind == MONTH:
            return _("%(y)s/%(m)s (ROC)") % {"y": roc, "m": self.start.month}
        if self.kind == QUARTER:
            return _("Q%(q)s %(y)s (ROC)") % {"y": roc, "q": (self.start.month - 1) // 3 + 1}
        return _("%(y)s (ROC)") % {"y": roc}

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": self.label,
        }


def period_of(kind: str, day: datetime.date) -> Period:
    """The month, quarter or year that contains `day`."""
    if kind == MONTH:
        start = day.replace(day=1)
        months = 1
    elif kind == QUARTER:
        start = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        months = 3
    elif kind == YEAR:
        start = datetime.date(day.year, 1, 1)
        months = 12
    else:
        raise ValueError(kind)
    y, m = divmod(start.month - 1 + months, 12)
    end = datetime.date(start.year + y, m + 1, 1) - datetime.timedelta(days=1)
    return Period(kind, start, end)


def previous_period(p: Period) -> Period:
    return period_of(p.kind, p.start - datetime.timedelta(days=1))


def same_period_last_year(p: Period) -> Period:
    return period_of(p.kind, p.start.replace(year=p.start.year - 1))


def _bounds(p: Period) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(p.start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(p.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return since, until


def _in(field: str, p: Period) -> Q:
    since, until = _bounds(p)
    return Q(**{f"{field}__gte": since, f"{field}__lt": until})


# --- scope ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    agency_ids: frozenset | None = None  # the agency and the agencies under it
    district_id: int | None = None
    name: str = ""
    kind: str = "city"

    def q(self, prefix: str = "") -> Q:
        cond = Q()
        if self.agency_ids is not None:
            cond &= Q(**{f"{prefix}agency_id__in": self.agency_ids})
        if self.district_id is not None:
            cond &= Q(**{f"{prefix}district_id": self.district_id})
        return cond


def scope_of(agency=None, district=None) -> Scope:
    from rdec.core.permissions import agency_subtree_ids

    if agency is not None:
        return Scope(frozenset(agency_subtree_ids(agency.pk)), None, agency.name, "agency")
    if district is not None:
        return Scope(None, district.pk, district.name, "district")
    return Scope(name=_("Whole city"))


# --- helpers --------------------------------------------------------------------------------------


def pct(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def change_pct(now, before) -> float | None:
    return round(100 * (now - before) / before, 1) if before else None


def masked_id(value: str) -> str:
    """A petitioner's stable pseudonym in reports: a keyed hash, never the phone number itself."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"petitioner:{value}".encode(), hashlib.sha256)
    return "P-" + digest.hexdigest()[:8]


class _WorkdayIndex:
    """Working days since the calendar's first day, so that the working days between two dates
    are a difference, and a sum over many cases is a difference of two weighted sums."""

    def __init__(self):
        from rdec.core import workdays

        try:
            self.first, self.last = workdays.calendar_range()
        except workdays.CalendarRangeError:
            self.first = self.last = None
        self._cache: dict = {}

    def __call__(self, day: datetime.date) -> int:
        from rdec.core import workdays

        if day not in self._cache:
            if self.first is None:
                self._cache[day] = day.toordinal()
            else:
                clamped = min(max(day, self.first), self.last)
                extra = (day - clamped).days  # outside the calendar: count calendar days
                self._cache[day] = workdays.working_days_between(self.first, clamped) + extra
        return self._cache[day]


# --- the figures ----------------------------------------------------------------------------------


def _cases():
    from rdec.petitions.models import Case

    return Case.objects.order_by()


def _names():
    from rdec.core.models import Agency, District, Village
    from rdec.petitions.models import Case, Category

    cats = {c.pk: c for c in Category.objects.select_related("parent")}
    return {
        "agency": {a.pk: (a.code, a.name) for a in Agency.objects.only("code", "name")},
        "category": {pk: (c.code, c.name) for pk, c in cats.items()},
        "group_of": {pk: (c.parent_id or pk) for pk, c in cats.items()},
        "district": {d.pk: (d.code, d.name) for d in District.objects.defer("geometry")},
        "village": {
            v.pk: (v.code, f"{v.district.name}{v.name}")
            for v in Village.objects.select_related("district").only("code", "name", "district__name")
        },
        "channel": {c.value: (c.value, str(c.label)) for c in Case.Channel},
    }


def _compare_rows(counts: dict, names: dict, keys=None) -> list[dict]:
    """counts: key -> [current, previous, last_year] → rows, largest first."""
    rows = []
    for key, (cur, prev, last) in counts.items():
        if key is None:
            code, name = "", _("Not given")
        else:
            code, name = names.get(key, (str(key), str(key)))
        rows.append(
            {
                "code": code,
                "name": name,
                "current": cur,
                "previous": prev,
                "last_year": last,
                "vs_previous_pct": change_pct(cur, prev),
                "vs_last_year_pct": change_pct(cur, last),
            }
        )
    rows.sort(key=lambda r: (-r["current"], -r["previous"], r["code"]))
    return rows


def volumes(scope: Scope, p: Period, names: dict) -> dict:
    """Cases received, in total and by channel, category, group, district, village and agency, in the
    period, the one before and the same one a year earlier (one GROUP BY per dimension)."""
    prev, last = previous_period(p), same_period_last_year(p)
    base = (
        _cases()
        .filter(scope.q())
        .filter(_in("received_at", p) | _in("received_at", prev) | _in("received_at", last))
    )
    parts = {
        "current": Count("id", filter=_in("received_at", p)),
        "previous": Count("id", filter=_in("received_at", prev)),
        "last_year": Count("id", filter=_in("received_at", last)),
    }
    # two GROUP BYs whose groups stay few (channel × category × agency; district × village), each
    # summed up in Python to the single dimensions
    counts: dict[str, dict] = {dim: defaultdict(lambda: [0, 0, 0]) for dim in names if dim != "group_of"}
    for fields in (("channel", "category_id", "agency_id"), ("district_id", "village_id")):
        for row in base.values(*fields).annotate(**parts):
            values = (row["current"], row["previous"], row["last_year"])
            for field in fields:
                target = counts[field.removesuffix("_id")][row[field]]
                for i, v in enumerate(values):
                    target[i] += v
    by: dict[str, list] = {}
    for dim in ("channel", "category", "district", "village", "agency"):
        by[dim] = _compare_rows(dict(counts[dim]), names[dim])
    groups: dict = defaultdict(lambda: [0, 0, 0])
    for key, values in counts["category"].items():
        g = names["group_of"].get(key, key)
        groups[g] = [a + b for a, b in zip(groups[g], values, strict=True)]
    by["group"] = _compare_rows(dict(groups), names["category"])
    by["village"] = [r for r in by["village"] if r["code"]][:TOP_VILLAGES]
    total = [sum(r[k] for r in by["channel"]) for k in ("current", "previous", "last_year")]
    for rows in by.values():
        for r in rows:
            r["share_pct"] = pct(r["current"], total[0])
    return {
        "volume": {
            "current": total[0],
            "previous": total[1],
            "last_year": total[2],
            "vs_previous_pct": change_pct(total[0], total[1]),
            "vs_last_year_pct": change_pct(total[0], total[2]),
        },
        "by": by,
    }


def monthly(scope: Scope, p: Period) -> list[dict]:
    """Cases received per month over the 13 (a year: 24) months that end with the period, and the
    same months a year earlier."""
    months = 24 if p.kind == YEAR else 13
    first = p.end.replace(day=1)
    for _i in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    span = Period(MONTH, first.replace(year=first.year - 1), p.end)
    rows = (
        _cases()
        .filter(scope.q())
        .filter(_in("received_at", span))
        .annotate(m=TruncMonth("received_at"))
        .values("m")
        .annotate(n=Count("id"))
    )
    counts = {}
    for row in rows:
        m = row["m"]
        m = m.date() if isinstance(m, datetime.datetime) else m
        counts[(m.year, m.month)] = row["n"]
    series = []
    day = first
    for _i in range(months):
        series.append(
            {
                "month": f"{day:%Y-%m}",
                "count": counts.get((day.year, day.month), 0),
                "last_year": counts.get((day.year - 1, day.month), 0),
            }
        )
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return series


def timeliness(scope: Scope, p: Period, names: dict, today: datetime.date) -> dict:
    """On-time rate, average working days, extended and late replies, by agency and category, of
    the cases replied in the period; cases still open past due."""
    from rdec.petitions.models import Case

    qs = (
        _cases()
        .filter(scope.q())
        .filter(_in("replied_at", p))
        .exclude(status__in=[Case.Status.WITHDRAWN, Case.Status.MERGED])
    )
    cells: dict = {}
    for row in qs.values("agency_id", "category_id").annotate(
        n=Count("id"),
        on_time=Count("id", filter=Q(replied_at__date__lte=F("due_date"))),
        extended=Count("id", filter=~Q(due_date=F("original_due_date"))),
    ):
        cells[(row["agency_id"], row["category_id"])] = {
            "n": row["n"],
            "on_time": row["on_time"],
            "extended": row["extended"],
            "days": 0,
        }
    index = _WorkdayIndex()
    for field, sign in (("replied_at", 1), ("received_at", -1)):
        for row in qs.values("agency_id", "category_id", d=TruncDate(field)).annotate(n=Count("id")):
            cell = cells.get((row["agency_id"], row["category_id"]))
            if cell is not None and row["d"] is not None:
                cell["days"] += sign * index(row["d"]) * row["n"]
    open_overdue: dict = defaultdict(int)
    _since, until = _bounds(p)
    cutoff = min(p.end + datetime.timedelta(days=1), today)
    for row in (
        _cases()
        .filter(scope.q())
        .filter(status__in=Case.OPEN_STATUSES, received_at__lt=until, due_date__lt=cutoff)
        .values("agency_id")
        .annotate(n=Count("id"))
    ):
        open_overdue[row["agency_id"]] = row["n"]

    def summarise(key_index: int, dim: str) -> list[dict]:
        sums: dict = defaultdict(lambda: {"n": 0, "on_time": 0, "extended": 0, "days": 0})
        for key, cell in cells.items():
            target = sums[key[key_index]]
            for k in target:
                target[k] += cell[k]
        rows = []
        for key, s in sums.items():
            code, name = names[dim].get(key, (str(key), str(key)))
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "replied": s["n"],
                    "on_time": s["on_time"],
                    "late": s["n"] - s["on_time"],
                    "on_time_pct": pct(s["on_time"], s["n"]),
                    "avg_working_days": round(s["days"] / s["n"], 1) if s["n"] else None,
                    "extended": s["extended"],
                    **({"open_overdue": open_overdue.get(key, 0)} if dim == "agency" else {}),
                }
            )
        if dim == "agency":
            for key, n in open_overdue.items():
                if key not in sums:
                    code, name = names["agency"].get(key, (str(key), str(key)))
                    rows.append(
                        {"code": code, "name": name, "replied": 0, "on_time": 0, "late": 0, "on_time_pct": None,
                         "avg_working_days": None, "extended": 0, "open_overdue": n}
                    )  # fmt: skip
        rows.sort(key=lambda r: (-r["replied"], r["code"]))
        return rows

    n = sum(c["n"] for c in cells.values())
    on_time = sum(c["on_time"] for c in cells.values())
    days = sum(c["days"] for c in cells.values())
    return {
        "replied": n,
        "on_time": on_time,
        "late": n - on_time,
        "on_time_pct": pct(on_time, n),
        "avg_working_days": round(days / n, 1) if n else None,
        "extended": sum(c["extended"] for c in cells.values()),
        "open_overdue": sum(open_overdue.values()),
        "by_agency": summarise(0, "agency"),
        "by_category": summarise(1, "category"),
    }


def _slowest(rows: list[dict], min_count: int) -> list[dict]:
    eligible = [r for r in rows if r["replied"] >= min_count and r["avg_working_days"] is not None]
    eligible.sort(key=lambda r: (-r["avg_working_days"], r["on_time_pct"], r["code"]))
    return eligible[:TOP_SLOWEST]


def satisfaction(scope: Scope, p: Period, names: dict, replied: int) -> dict:
    from rdec.petitions.models import CaseEvent, Rating

    ratings = Rating.objects.order_by().filter(scope.q("case__")).filter(_in("created_at", p))
    distribution = dict(ratings.values_list("score").annotate(n=Count("id")).values_list("score", "n"))
    total = sum(distribution.values())
    dissatisfied_q = Q(score__lte=2)
    reason_counts = ratings.filter(dissatisfied_q).aggregate(
        **{code: Count("id", filter=_any_word(words)) for code, _label, words in REASONS}
    )
    by_category = (
        ratings.filter(dissatisfied_q).values("case__category_id").annotate(n=Count("id")).order_by("-n")[:10]
    )
    reopened = (
        CaseEvent.objects.order_by()
        .filter(verb="reopened")
        .filter(scope.q("case__"))
        .filter(_in("at", p))
        .values("case_id")
        .distinct()
        .count()
    )
    dissatisfied = distribution.get(1, 0) + distribution.get(2, 0)
    weighted = sum(score * n for score, n in distribution.items())
    return {
        "ratings": total,
        "average": round(weighted / total, 2) if total else None,
        "distribution": [{"score": s, "count": distribution.get(s, 0)} for s in range(1, 6)],
        "dissatisfied": dissatisfied,
        "dissatisfied_pct": pct(dissatisfied, total),
        "reasons": [
            {"code": code, "name": label, "count": reason_counts[code]} for code, label, _w in REASONS
        ],
        "dissatisfied_by_category": [
            {
                "code": names["category"].get(row["case__category_id"], ("", ""))[0],
                "name": names["category"].get(row["case__category_id"], ("", ""))[1],
                "count": row["n"],
            }
            for row in by_category
        ],
        "reopened": reopened,
        "reopen_pct": pct(reopened, replied),
    }


def _any_word(words) -> Q:
    cond = Q()
    for word in words:
        cond |= Q(comment__contains=word)
    return cond


def repeats(scope: Scope, p: Period, names: dict, repeat_min: int) -> dict:
    qs = _cases().filter(scope.q()).filter(_in("received_at", p))
    people = list(
        qs.exclude(petitioner_phone="")
        .values("petitioner_phone")
        .annotate(n=Count("id"), kinds=Count("category_id", distinct=True), cat=Max("category_id"))
        .filter(n__gte=repeat_min)
        .order_by("-n", "petitioner_phone")
        .values_list("petitioner_phone", "n", "kinds", "cat")
    )
    places = list(
        qs.filter(lat__isnull=False, lon__isnull=False)
        .annotate(rlat=Round("lat", 3), rlon=Round("lon", 3))
        .values("rlat", "rlon")
        .annotate(
            n=Count("id"),
            village=Min("village_id"),
            district=Min("district_id"),
            cat=Max("category_id"),
            kinds=Count("category_id", distinct=True),
        )  # fmt: skip
        .filter(n__gte=repeat_min)
        .order_by("-n", "rlat", "rlon")
    )
    return {
        "petitioners": len(people),
        "petitioner_cases": sum(n for _p, n, _k, _c in people),
        "top_petitioners": [
            {
                "id": masked_id(phone),
                "cases": n,
                "categories": kinds,
                "category": names["category"].get(cat, ("", ""))[1] if kinds == 1 else "",
            }
            for phone, n, kinds, cat in people[:TOP_REPEAT]
        ],
        "places": len(places),
        "place_cases": sum(r["n"] for r in places),
        "top_places": [
            {
                "lat": round(float(r["rlat"]), 3),
                "lon": round(float(r["rlon"]), 3),
                "place": names["village"].get(r["village"], ("", ""))[1]
                or names["district"].get(r["district"], ("", ""))[1],
                "cases": r["n"],
                "categories": r["kinds"],
                "category": names["category"].get(r["cat"], ("", ""))[1] if r["kinds"] == 1 else "",
            }
            for r in places[:TOP_REPEAT]
        ],
    }


def subjects(scope: Scope, p: Period) -> list[dict]:
    """The period's most frequent subjects, with their count in the period before."""
    qs = _cases().filter(scope.q())
    top = list(
        qs.filter(_in("received_at", p))
        .values("subject")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("-n", "subject")[:TOP_SUBJECTS]
    )
    before = dict(
        qs.filter(_in("received_at", previous_period(p)), subject__in=[r["subject"] for r in top])
        .values("subject")
        .annotate(n=Count("id"))
        .values_list("subject", "n")
    )
    return [
        {"subject": r["subject"], "current": r["n"], "previous": before.get(r["subject"], 0)} for r in top
    ]


def hotspot_rows(scope: Scope, p: Period) -> list[dict]:
    """District × category × week hotspots of the period (rdec.analytics.hotspots), in the scope."""
    from rdec.analytics import hotspots as method
    from rdec.core.models import District
    from rdec.petitions.models import Category

    # only the weeks the scoring reads: the period and the baseline weeks before it, and the same
    # weeks a year earlier with the season window around them
    first = method.monday(p.start)
    recent = Period(MONTH, first - datetime.timedelta(weeks=method.BASELINE_WEEKS), p.end)
    season = Period(
        MONTH,
        method.history_start(p.start),
        method.monday(p.end)
        - datetime.timedelta(weeks=52 - method.SEASON_WEEKS)
        + datetime.timedelta(days=6),
    )
    rows = (
        _cases()
        .filter(scope.q())
        .filter(_in("received_at", recent) | _in("received_at", season), district__isnull=False)
        .annotate(week=TruncWeek("received_at", output_field=DateField()))
        .values_list("district_id", "category_id", "week")
        .annotate(n=Count("id"))
    )
    first = _cases().filter(scope.q()).aggregate(first=Min("received_at"))["first"]
    data_since = timezone.localdate(first) if first else p.start
    found = method.score(method.weekly_counts(rows), p.start, p.end, data_since)[:TOP_HOTSPOTS]
    districts = {
        d.pk: d.name for d in District.objects.defer("geometry").filter(pk__in={h.district_id for h in found})
    }
    categories = {c.pk: c.name for c in Category.objects.filter(pk__in={h.category_id for h in found})}
    return [
        {
            "district": districts.get(h.district_id, ""),
            "category": categories.get(h.category_id, ""),
            "week": h.period_start.isoformat(),
            "count": h.count,
            "expected": round(h.expected, 1),
            "score": round(h.score, 1),
        }
        for h in found
    ]


def compute(kind: str, day: datetime.date, *, agency=None, district=None, progress=None, today=None) -> dict:
    """Every figure of the report for the period of `kind` containing `day`, in the scope."""
    from rdec.analytics import rules

    step = progress or (lambda _pct, _stage: None)
    p = period_of(kind, day)
    scope = scope_of(agency, district)
    rule = rules.report_rule_for(p.end)
    today = today or timezone.localdate()
    names = _names()
    step(10, _("Counting cases"))
    figures = {
        "period": p.as_dict(),
        "previous": previous_period(p).as_dict(),
        "last_year": same_period_last_year(p).as_dict(),
        "scope": {"kind": scope.kind, "name": scope.name},
        "rule": rules.rule_dict(rule),
    }
    figures.update(volumes(scope, p, names))
    step(25, _("Monthly trend"))
    figures["monthly"] = monthly(scope, p)
    step(35, _("Timeliness"))
    figures["timeliness"] = timeliness(scope, p, names, today)
    prev = timeliness(scope, previous_period(p), names, today)
    figures["timeliness"]["previous"] = {
        k: prev[k] for k in ("replied", "on_time", "on_time_pct", "avg_working_days")
    }
    before = {r["code"]: r for r in prev["by_agency"]}
    for row in figures["timeliness"]["by_agency"]:
        b = before.get(row["code"])
        row["previous_replied"] = b["replied"] if b else 0
        row["previous_on_time"] = b["on_time"] if b else 0
        row["previous_on_time_pct"] = b["on_time_pct"] if b else None
        row["previous_avg_working_days"] = b["avg_working_days"] if b else None
    figures["timeliness"]["slowest_agencies"] = _slowest(figures["timeliness"]["by_agency"], rule.min_count)
    figures["timeliness"]["slowest_categories"] = _slowest(
        figures["timeliness"]["by_category"], rule.min_count
    )
    step(55, _("Satisfaction"))
    figures["satisfaction"] = satisfaction(scope, p, names, figures["timeliness"]["replied"])
    step(65, _("Repeat petitioners and places"))
    figures["repeat"] = repeats(scope, p, names, rule.repeat_min)
    step(72, _("Hot issues"))
    from rdec.analytics import summary

    figures["hot"] = {
        "rising": summary.rising_categories(figures, rule),
        "subjects": subjects(scope, p),
    }
    figures["timeliness"]["slowdowns"] = summary.slowdowns(figures, rule)
    step(80, _("Hotspots"))
    figures["hotspots"] = hotspot_rows(scope, p)
    return figures
