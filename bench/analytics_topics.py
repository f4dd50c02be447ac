"""Hot words, spikes and topics on real texts: the Kaohsiung 1999 cases (bench/data/kaohsiung-1999.csv.gz,
資料來源：高雄市政府 Open1999派工受理案件資料, OGDL-Taiwan-1.0 — see NOTICE.md and bench/analytics_kaohsiung.py).

1. Segmentation speed: rdec.analytics.topics.words over every text (texts/s), after the one-off load.
2. Rising words and spikes of the typhoon weeks (12 Sep – 9 Oct 2016: 莫蘭蒂, 馬勒卡, 梅姬) against
   the calm weeks (17 Oct – 25 Dec 2016), with topics.rising_words (binomial test, BH FDR 5 %).
   A check without events: the calm weeks 28 Nov – 25 Dec against 17 Oct – 27 Nov.
3. The topics of the typhoon weeks (NMF, 8 topics) with representative texts.
4. A hand check: 30 real texts (a fixed sample), each segmented, and the local names and key terms
   in them (Kaohsiung's district names of the data, which join the user dictionary as a city's
   own names would, the everyday terms of data/topics-words.txt and the demo's category words)
   counted as kept whole or cut. The 30 segmentations are printed to be read by eye.

No database is needed.   .venv/bin/python bench/analytics_topics.py
"""

from __future__ import annotations

import csv
import datetime
import gzip
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rdec.settings")
os.environ.setdefault("SECRET_KEY", "bench-topics-0123456789-0123456789-0123456789-0123456789-0123")
DATA = ROOT / "bench" / "data" / "kaohsiung-1999.csv.gz"
SPEED_FLOOR = 5_000  # texts/s: 10,000 texts "in a few seconds" (2 s)


def load() -> list[dict]:
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def day_of(row) -> datetime.date:
    return datetime.date.fromisoformat(row["received_at"][:10])


def between(rows, docs, first, last):
    return [d for r, d in zip(rows, docs, strict=True) if first <= day_of(r) <= last]


def trend_line(t) -> str:
    ratio = f"×{t.ratio}" if t.ratio else "new"
    return f"{t.word} {t.count} ({t.share:.1%}, before {t.baseline_share:.2%}, {ratio})"


def main() -> None:
    import django

    django.setup()
    from rdec.analytics import topics

    rows = load()
    started = time.monotonic()
    seg = topics.segmenter()
    loaded = time.monotonic() - started
    for name in sorted({r["district"] for r in rows if r["district"]}):
        seg.add_word(name)
    saved = topics.CACHE_BLOCKS
    topics.CACHE_BLOCKS = 0  # every clause cut afresh
    started = time.monotonic()
    for r in rows:
        seg.words(r["description"])
    cold = time.monotonic() - started
    topics.CACHE_BLOCKS = saved
    seg._cache.clear()
    started = time.monotonic()
    docs = [seg.words(r["description"]) for r in rows]
    seconds = time.monotonic() - started
    chars = sum(len(r["description"]) for r in rows)
    speed = len(rows) / seconds
    print(
        f"1. segmentation: dictionary loaded in {loaded:.1f} s; {len(rows):,} texts ({chars / len(rows):.0f} "
        f"characters on average) in {seconds:.1f} s = {speed:,.0f} texts/s "
        f"({chars / seconds / 1000:,.0f} k characters/s; every clause cut afresh: {len(rows) / cold:,.0f} "
        f"texts/s); floor {SPEED_FLOOR:,} texts/s, ratio {speed / SPEED_FLOOR:.1f}"
    )
    rng = random.Random(4)  # noqa: S311 - a reproducible sample, not a secret
    long_texts = ["".join(r["description"] for r in rng.sample(rows, 4)) for _ in range(10_000)]
    seg._cache.clear()
    started = time.monotonic()
    for text in long_texts:
        seg.words(text)
    seconds_long = time.monotonic() - started
    print(
        f"   10,000 longer texts (4 real texts joined, {sum(map(len, long_texts)) / 10_000:.0f} characters): "
        f"{seconds_long:.1f} s = {10_000 / seconds_long:,.0f} texts/s"
    )

    d = datetime.date
    storm = between(rows, docs, d(2016, 9, 12), d(2016, 10, 9))
    calm = between(rows, docs, d(2016, 10, 17), d(2016, 12, 25))
    trends = topics.rising_words(storm, calm)
    rising = [t for t in trends if t.rising]
    spikes = [t for t in rising if t.spike]
    print(
        f"2. typhoon weeks 12 Sep – 9 Oct 2016 ({len(storm):,} texts) against calm weeks 17 Oct – 25 Dec "
        f"({len(calm):,} texts): {len(trends):,} words tested, {len(rising)} rising, {len(spikes)} spikes"
    )
    print("    top rising: " + "; ".join(trend_line(t) for t in sorted(rising, key=lambda t: -t.count)[:15]))
    print("    spikes (rare or absent before): " + "; ".join(trend_line(t) for t in spikes[:15]))
    storm_tuples = [
        (day_of(r), r["description"], r["category"], r["district"])
        for r in rows
        if d(2016, 9, 12) <= day_of(r) <= d(2016, 10, 9)
    ]
    topics._where(spikes, storm_tuples, storm)
    print(
        "    where the first spikes were: "
        + "; ".join(
            f"{t.word}: {', '.join(f'{n} {c}' for n, c in t.where['district'][:2])} / {t.where['category'][0][0]}"
            for t in spikes[:8]
        )
    )
    quiet_now = between(rows, docs, d(2016, 11, 28), d(2016, 12, 25))
    quiet_before = between(rows, docs, d(2016, 10, 17), d(2016, 11, 27))
    quiet = topics.rising_words(quiet_now, quiet_before)
    q_rising = [t for t in quiet if t.rising]
    q_spikes = [t for t in q_rising if t.spike]
    print(
        f"    check without events (28 Nov – 25 Dec, {len(quiet_now):,} texts, against 17 Oct – 27 Nov): "
        f"{len(quiet):,} words tested, {len(q_rising)} rising, {len(q_spikes)} spikes"
        + (": " + "; ".join(trend_line(t) for t in q_rising[:10]) if q_rising else "")
    )

    storm_rows = [r for r in rows if d(2016, 9, 12) <= day_of(r) <= d(2016, 10, 9)]
    started = time.monotonic()
    found = topics.topics(storm, 8)
    print(f"3. topics of the typhoon weeks ({time.monotonic() - started:.1f} s):")
    for i, topic in enumerate(found, 1):
        print(f"    {i}. {topic.size:,} texts — {' '.join(topic.words)}")
        for j in topic.representatives:
            print(f"         「{storm_rows[j]['description'][:60]}」")

    terms = set(topics._word_list(topics.DATA / "topics-words.txt"))
    terms |= {r["district"] for r in rows if r["district"]}
    terms |= {p for p in topics.everyday_phrases() if seg._word_parts(p) is None}
    print("4. hand check, 30 real texts segmented (| between segments):")
    kept, total = hand_check(seg, terms, random.Random(1999).sample(rows, 30), show=True)
    print(
        f"    local names and key terms kept whole: {kept} of {total} ({kept / max(total, 1):.0%}) — "
        "a sample read while the term list was written"
    )
    kept, total = hand_check(seg, terms, random.Random(2017).sample(rows, 30), show=False)
    print(
        f"    on a second sample of 30 not read while tuning: {kept} of {total} ({kept / max(total, 1):.0%})"
    )


def hand_check(seg, terms, sample, show: bool) -> tuple[int, int]:
    """(terms kept whole, terms found) in the sample; a term counts once per text, and a term
    inside a longer one found in the same text is not counted again."""
    from rdec.analytics import topics

    kept = total = 0
    for r in sample:
        text = topics._normalise(r["description"])
        cut = seg.cut(text)
        found_terms = [t for t in terms if t in text]
        found_terms = [t for t in found_terms if not any(t != u and t in u for u in found_terms)]
        whole = [t for t in found_terms if any(t in c for c in cut)]
        kept += len(whole)
        total += len(found_terms)
        missed = sorted(set(found_terms) - set(whole))
        if show:
            print(f"    {'|'.join(cut)[:110]}")
        if missed:
            print(f"        cut: {' '.join(missed)}")
    return kept, total


if __name__ == "__main__":
    main()
