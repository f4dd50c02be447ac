"""The written summary of the 質量分析報告: sentences chosen by rules from the computed figures.

Every number in a sentence is a value of the figures, formatted (a test checks this): nothing is
estimated or invented here. What counts as worth a sentence:

- a category's rise: at least `rise_pct` % more cases than the period compared with, at least
  `min_count` cases, and significant — given the two counts, the share in the period is tested
  against the share of days (binomial upper tail), Benjamini–Hochberg over the categories at
  `fdr_pct` %. A category must rise on the previous period; it is a new rise when it is also up on
  the same period last year, seasonal when last year's same period was as high;
- an agency's slowdown: its on-time rate fell by at least `drop_points` points from the previous
  period, at least `min_count` replies in each, and significant (Fisher's exact test, one-sided,
  Benjamini–Hochberg over the agencies).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

MAX_RISING = 5


def fmt_int(n) -> str:
    return f"{n:,}"


def fmt_pct(x) -> str:
    return f"{x:.1f}%"


def fmt_num(x) -> str:
    return f"{x:.1f}"


def _days(block: dict) -> int:
    start = datetime.date.fromisoformat(block["start"])
    end = datetime.date.fromisoformat(block["end"])
    return (end - start).days + 1


def _bh(pvalues: list[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values, in the order given."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, pvalues[i] * m / rank)
        adjusted[i] = running
    return adjusted


def _upper_tail(now: int, before: int, share: float) -> float:
    """P(X ≥ now) for X ~ Binomial(now + before, share): how unlikely so large a share is."""
    from scipy.stats import binom

    return float(binom.sf(now - 1, now + before, share))


def rising_categories(figures: dict, rule) -> list[dict]:
    """Categories (leaves) with a significant rise on the previous period; `flag`: "last_year" (up
    on the same period last year too: a new rise), "seasonal" (up on the previous period only: last
    year's same period was as high), "previous" (no data a year earlier to tell). A rise on last
    year alone (a low year-earlier count, the level steady since) is not flagged."""
    rows = figures["by"]["category"]
    days = _days(figures["period"])
    has_last_year = figures["volume"]["last_year"] > 0
    tests = {}
    for key, other in (("previous", "previous"), ("last_year", "last_year")):
        if key == "last_year" and not has_last_year:
            continue
        share = days / (days + _days(figures[other]))
        candidates = [r for r in rows if r["current"] >= rule.min_count]
        pvalues = [_upper_tail(r["current"], r[key], share) for r in candidates]
        for r, q in zip(candidates, _bh(pvalues), strict=True):
            change = r[f"vs_{key}_pct"]
            rises = (change is None and r[key] == 0) or (change is not None and change >= rule.rise_pct)
            if rises and q < rule.fdr_pct / 100:
                tests.setdefault(r["code"], set()).add(key)
    found = []
    for r in rows:
        flags = tests.get(r["code"], set())
        if {"last_year", "previous"} <= flags:
            flag = "last_year"
        elif "previous" in flags:
            flag = "seasonal" if has_last_year else "previous"
        else:
            continue
        found.append({**r, "flag": flag})
    order = {"last_year": 0, "previous": 1, "seasonal": 2}
    found.sort(key=lambda r: (order[r["flag"]], -r["current"]))
    return found


def slowdowns(figures: dict, rule) -> list[dict]:
    """Agencies whose on-time rate fell significantly from the previous period."""
    from scipy.stats import fisher_exact

    candidates = [
        r
        for r in figures["timeliness"]["by_agency"]
        if r["replied"] >= rule.min_count
        and r["previous_replied"] >= rule.min_count
        and r["previous_on_time_pct"] is not None
        and r["previous_on_time_pct"] - r["on_time_pct"] >= rule.drop_points
    ]
    pvalues = [
        float(
            fisher_exact(
                [
                    [r["previous_on_time"], r["previous_replied"] - r["previous_on_time"]],
                    [r["on_time"], r["late"]],
                ],
                alternative="greater",
            ).pvalue
        )
        for r in candidates
    ]
    found = []
    for r, q in zip(candidates, _bh(pvalues), strict=True):
        if q < rule.fdr_pct / 100:
            found.append({**r, "drop_points": round(r["previous_on_time_pct"] - r["on_time_pct"], 1)})
    found.sort(key=lambda r: -r["drop_points"])
    return found


def _change(now_pct, before: int, *, previous: bool) -> str:
    values = {"before": fmt_int(before), "pct": fmt_pct(abs(now_pct or 0))}
    if previous:
        if not now_pct:
            return _("the same as the previous period (%(before)s)") % values
        if now_pct > 0:
            return _("%(pct)s more than the previous period (%(before)s)") % values
        return _("%(pct)s fewer than the previous period (%(before)s)") % values
    if not now_pct:
        return _("the same as a year earlier (%(before)s)") % values
    if now_pct > 0:
        return _("%(pct)s more than a year earlier (%(before)s)") % values
    return _("%(pct)s fewer than a year earlier (%(before)s)") % values


def sentences(figures: dict) -> list[str]:
    """The summary, in the active language (zh-Hant by default)."""
    out: list[str] = []
    vol = figures["volume"]
    head = _("%(period)s, %(scope)s: %(n)s cases received") % {
        "period": figures["period"]["label"],
        "scope": figures["scope"]["name"],
        "n": fmt_int(vol["current"]),
    }
    parts = []
    if vol["previous"]:
        parts.append(_change(vol["vs_previous_pct"], vol["previous"], previous=True))
    if vol["last_year"]:
        parts.append(_change(vol["vs_last_year_pct"], vol["last_year"], previous=False))
    out.append(head + ("，" + "，".join(parts) if parts else "") + "。")
    groups = figures["by"]["group"]
    if groups and vol["current"]:
        top = groups[0]
        out.append(
            _("The largest category group was %(name)s: %(n)s cases, %(share)s of the total.")
            % {"name": top["name"], "n": fmt_int(top["current"]), "share": fmt_pct(top["share_pct"])}
        )
    for r in figures["hot"]["rising"][:MAX_RISING]:
        values = {
            "name": r["name"],
            "n": fmt_int(r["current"]),
            "previous": fmt_int(r["previous"]),
            "last_year": fmt_int(r["last_year"]),
            "pct_previous": fmt_pct(r["vs_previous_pct"]) if r["vs_previous_pct"] is not None else "",
            "pct_last_year": fmt_pct(r["vs_last_year_pct"]) if r["vs_last_year_pct"] is not None else "",
        }
        if r["flag"] == "last_year":
            if r["vs_last_year_pct"] is None:
                text = _("%(name)s rose to %(n)s cases, from none in the same period last year.")
            else:
                text = _(
                    "%(name)s rose %(pct_last_year)s on the same period last year: %(n)s cases, against %(last_year)s."
                )
        elif r["flag"] == "seasonal":
            text = _(
                "%(name)s rose %(pct_previous)s on the previous period (%(n)s cases, against %(previous)s), "
                "as it did a year earlier (%(last_year)s cases): a seasonal rise."
            )
        elif r["vs_previous_pct"] is None:
            text = _("%(name)s rose to %(n)s cases, from none in the previous period.")
        else:
            text = _(
                "%(name)s rose %(pct_previous)s on the previous period: %(n)s cases, against %(previous)s."
            )
        out.append(text % values)
    t = figures["timeliness"]
    if t["replied"]:
        out.append(
            _(
                "Of %(n)s cases replied, %(rate)s were on time, in %(days)s working days on average; "
                "%(late)s replied late, %(ext)s extended; %(open)s still open past their due date."
            )
            % {
                "n": fmt_int(t["replied"]),
                "rate": fmt_pct(t["on_time_pct"]),
                "days": fmt_num(t["avg_working_days"]),
                "late": fmt_int(t["late"]),
                "ext": fmt_int(t["extended"]),
                "open": fmt_int(t["open_overdue"]),
            }
        )
    for r in t["slowdowns"]:
        out.append(
            _(
                "%(agency)s slowed down: on-time rate %(rate)s, %(points)s points below the previous "
                "period (%(before)s); %(days)s working days on average (previously %(before_days)s)."
            )
            % {
                "agency": r["name"],
                "rate": fmt_pct(r["on_time_pct"]),
                "points": fmt_num(r["drop_points"]),
                "before": fmt_pct(r["previous_on_time_pct"]),
                "days": fmt_num(r["avg_working_days"]),
                "before_days": fmt_num(r["previous_avg_working_days"])
                if r["previous_avg_working_days"] is not None
                else "—",
            }
        )
    if t["slowest_categories"]:
        r = t["slowest_categories"][0]
        out.append(
            _("The slowest category was %(name)s: %(days)s working days on average, %(rate)s on time.")
            % {"name": r["name"], "days": fmt_num(r["avg_working_days"]), "rate": fmt_pct(r["on_time_pct"])}
        )
    s = figures["satisfaction"]
    if s["ratings"]:
        out.append(
            _(
                "%(n)s ratings averaged %(avg)s; %(bad)s were dissatisfied (%(pct)s); %(reopened)s cases were reopened."
            )
            % {
                "n": fmt_int(s["ratings"]),
                "avg": f"{s['average']:.2f}",
                "bad": fmt_int(s["dissatisfied"]),
                "pct": fmt_pct(s["dissatisfied_pct"]),
                "reopened": fmt_int(s["reopened"]),
            }
        )
    rep = figures["repeat"]
    if rep["petitioners"] or rep["places"]:
        out.append(
            _(
                "Repeat petitioners (%(min)s cases or more): %(people)s, with %(cases)s cases; "
                "repeat places: %(places)s, with %(place_cases)s cases."
            )
            % {
                "min": figures["rule"]["repeat_min"],
                "people": fmt_int(rep["petitioners"]),
                "cases": fmt_int(rep["petitioner_cases"]),
                "places": fmt_int(rep["places"]),
                "place_cases": fmt_int(rep["place_cases"]),
            }
        )
    if figures["hotspots"]:
        h = figures["hotspots"][0]
        out.append(
            _(
                "Strongest hotspot: %(category)s in %(district)s, week of %(week)s: %(count)s cases "
                "where %(expected)s were expected."
            )
            % {
                "category": h["category"],
                "district": h["district"],
                "week": h["week"],
                "count": fmt_int(h["count"]),
                "expected": fmt_num(h["expected"]),
            }
        )
    return out
