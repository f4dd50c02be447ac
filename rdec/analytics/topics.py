"""Hot issues and topics: the words citizens use in a period, which of them rise, which are new,
and the topics the period's texts fall into.

Segmentation. jieba (a dictionary-and-HMM segmenter) with a Traditional Chinese dictionary:
jieba's own dictionary converted by OpenCC (s2twp, Taiwan phrasing) at build time
(scripts/build_jieba_hant.py → data/jieba-hant.txt.xz), plus a user dictionary made from rdec's
own data when the segmenter first loads: the districts and villages (core/data/*.geojson; a
district also without its 區: 西屯), the demo's road names (petitions/demo.py ROADS; a road also
without its 段: 自由路), the agencies' names and short names (core/data/taichung-agencies.json),
the everyday petition terms of data/topics-words.txt (路樹, 違停, 登革熱...), and the category
names and short everyday phrases (petitions/data/categories.json, data/vocabulary.json) unless
the dictionary already cuts them into words of two or more characters: 路燈不亮 is 路燈 / 不亮, so
that 路燈不亮, 路燈故障 and 路燈閃爍 all count under 路燈. Words are kept when they have two or
more characters (or are ASCII words such as ubike), hold no digit and are not stop words
(data/topics-stopwords.txt: petition boilerplate such as 渠反映, 建請, 查處, 該處, and function
words). The segmenter loads once per process (about 2 s), under a lock.

Keyword trends. A word's count is the number of texts that use it (document frequency). For a
period against a baseline (the period before, or the same period a year earlier), a word used in
a texts of the period's n and b texts of the baseline's m is tested with the conditional binomial
test of two Poisson rates: under "no change", a is Binomial(a + b, n / (n + m)), and
p = P(X ≥ a). The p-values of all words tested (those used in at least MIN_COUNT texts of the
period) are corrected with Benjamini–Hochberg; a word rises when q < ALPHA and its rate at least
doubled (MIN_RATIO). A rising word is a spike (a new word) when it was absent or rare before: its
baseline rate at most SPIKE_BASE_SHARE of its rate now, in every baseline given.

Topics. TF-IDF over the words, non-negative matrix factorisation (scikit-learn NMF, nndsvd start,
fixed seed: the same texts give the same topics), each text assigned to its strongest topic; a
topic's top words are its heaviest, its representative cases the texts with the highest weight
on it.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import lzma
import math
import re
import threading
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data"
CORE_DATA = Path(__file__).parent.parent / "core" / "data"
PETITIONS_DATA = Path(__file__).parent.parent / "petitions" / "data"

MIN_COUNT = 5  # a word is tested when at least this many texts of the period use it
ALPHA = 0.05  # false discovery rate of the rising words
MIN_RATIO = 2.0  # and its rate at least doubled
SPIKE_BASE_SHARE = 0.1  # a spike: the baseline rate at most this share of the rate now
TOPICS = 8  # topics of a period (fewer when there are few texts)
TOPIC_WORDS = 8
TOPIC_CASES = 3
NAME_FREQ = 1_000  # the dictionary frequency of a user word at least (a common word: 2,000–20,000)
TERM_FREQ = 5_000  # of an everyday petition term (路樹 wins over 一路 / 樹 in 有一路樹傾倒)

_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")  # what jieba cuts on its own (re_han_default)
CACHE_BLOCKS = 200_000  # blocks whose words are remembered (then forgotten all at once)
_DIGIT = re.compile(r"\d")
# a number and a measure word (一盞, 兩棵, 多處, 有多盞): says how many, not what
_COUNTED = re.compile(
    r"^有?[一二兩三四五六七八九十百多數幾每各整該此][盞棵處個支根座顆台臺輛隻位條間次排片戶家件張]$"
)
_WORDISH = re.compile(r"[A-Za-z]{2,}|[\u3400-\u9fff\uf900-\ufaff]")

# --- segmentation --------------------------------------------------------------------------------


class Segmenter:
    """A jieba tokenizer on the Traditional dictionary with rdec's user dictionary and stop words."""

    def __init__(self) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.tokenizer = jieba.Tokenizer()
        data = lzma.decompress((DATA / "jieba-hant.txt.xz").read_bytes())
        self.tokenizer.FREQ, self.tokenizer.total = self.tokenizer.gen_pfdict(io.BytesIO(data))
        self.tokenizer.initialized = True
        self.stop_words = set(_word_list(DATA / "topics-stopwords.txt"))
        self._lock = threading.Lock()
        self._cache: dict[str, list[str]] = {}
        for word in sorted(self.stop_words):  # boilerplate cut whole (建請查處), then dropped
            if len(word) >= 3 and not self.tokenizer.FREQ.get(word):
                self.tokenizer.add_word(word, NAME_FREQ)
        for word in names():
            # a two-character name (a district without its 區) only when the dictionary lacks it:
            # 西屯 is added, 清水 and 太平 keep their everyday frequency
            if len(word) > 2 or not self.tokenizer.FREQ.get(word):
                self.add_word(word, NAME_FREQ)
        for word in _word_list(DATA / "topics-words.txt"):
            if word.startswith("-"):  # a dictionary word that hides a term: -燈不亮 (燈 / 不亮)
                self.tokenizer.del_word(word[1:])
            else:
                self.add_word(word, TERM_FREQ)
        for phrase in everyday_phrases():
            parts = self._word_parts(phrase)
            if parts is None:
                self.add_word(phrase, TERM_FREQ)
            elif len(parts) > 1:
                self._prefer(phrase, parts)

    def add_word(self, word: str, freq: int = NAME_FREQ) -> None:
        """Keep `word` whole: in the dictionary with at least `freq` (and at least the frequency
        jieba suggests to keep it whole when it stands alone)."""
        word = _normalise(word).strip()
        if len(word) < 2 or word in self.stop_words:
            return
        with self._lock:
            self._cache.clear()
            current = self.tokenizer.FREQ.get(word, 0)
            self.tokenizer.add_word(word, max(current, self.tokenizer.suggest_freq(word, tune=False), freq))

    def _prefer(self, phrase: str, parts: list[str]) -> None:
        """Make jieba cut `phrase` into `parts` (路燈 / 不亮, not 路 / 燈不亮): drop the dictionary
        words that straddle the parts, then raise the parts' frequency if still needed."""
        for _attempt in range(3):
            cut = self.tokenizer.lcut(phrase, HMM=False)
            if cut == parts:
                return
            for word in cut:
                if len(word) >= 2 and word not in parts:
                    self.tokenizer.del_word(word)
        for part in parts:
            self.add_word(part, TERM_FREQ)

    def _word_parts(self, phrase: str) -> list[str] | None:
        """The fewest dictionary words of two or more characters that make up `phrase`, or None."""
        freq = self.tokenizer.FREQ
        best: list[list[str] | None] = [[]] + [None] * len(phrase)
        for end in range(2, len(phrase) + 1):
            for begin in range(end - 2, -1, -1):
                head = best[begin]
                if head is not None and freq.get(phrase[begin:end]):
                    candidate = [*head, phrase[begin:end]]
                    if best[end] is None or len(candidate) < len(best[end]):
                        best[end] = candidate
        return best[-1]

    def cut(self, text: str) -> list[str]:
        """All the segments of `text` (normalised: NFKC, ASCII lower-cased), stop words included."""
        return self.tokenizer.lcut(_normalise(text))

    def words(self, text: str) -> list[str]:
        """The content words of `text`: two characters or more (or an ASCII word), no digit, no stop word.

        jieba cuts each run of Chinese characters and letters on its own, so the words of a run
        are cached: petitions repeat the same clauses (建請查處, 路燈故障不亮) thousands of times."""
        found: list[str] = []
        cache = self._cache
        for block in _BLOCK.findall(_normalise(text)):
            block_words = cache.get(block)
            if block_words is None:
                block_words = [
                    w
                    for w in self.tokenizer.cut(block)
                    if (len(w) >= 2 or w.isascii()) and w not in self.stop_words and _is_word(w)
                ]
                if len(cache) >= CACHE_BLOCKS:
                    cache.clear()
                cache[block] = block_words
            found += block_words
        return found


def _is_word(w: str) -> bool:
    if _DIGIT.search(w) or _COUNTED.match(w):
        return False
    if w.isascii():
        return len(w) >= 2 and w.isalpha()
    return all(_WORDISH.match(ch) for ch in w)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _word_list(path: Path) -> list[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words += line.split("#", 1)[0].split()
    return words


def names() -> list[str]:
    """Local place and agency names from rdec's data: districts (also without 區), villages, the
    demo's roads (also without 段), agencies' names and short names, in 臺 and 台 spellings."""
    found: set[str] = set()
    districts = json.loads((CORE_DATA / "taichung-districts.geojson").read_text(encoding="utf-8"))
    for feature in districts["features"]:
        name = feature["properties"]["TOWNNAME"]
        found.add(name)
        if len(name) >= 3:
            found.add(name[:-1])
    villages = json.loads((CORE_DATA / "taichung-villages.geojson").read_text(encoding="utf-8"))
    found.update(f["properties"]["VILLNAME"] for f in villages["features"])
    from rdec.petitions.demo import ROADS

    for roads in ROADS.values():
        for road in roads:
            found.add(road)
            base = re.sub(r"[一二三四五六七八九十]段$", "", road)
            found.add(base)
    agencies = json.loads((CORE_DATA / "taichung-agencies.json").read_text(encoding="utf-8"))
    for agency in agencies["agencies"]:
        found.add(agency["name"])
        found.add(agency.get("short_name") or "")
        found.add(agency["name"].removeprefix(agencies["city"]))
    found.update({"臺中", "臺中市", "臺中市政府"})
    found |= {n.replace("臺", "台") for n in found if "臺" in n}
    return sorted(n for n in found if len(n) >= 2)


def everyday_phrases() -> list[str]:
    """Category names (split at 、 and 或) and the short (≤ 4 characters) everyday phrases of the
    router's vocabulary: candidates for the user dictionary."""
    phrases: set[str] = set()
    categories = json.loads((PETITIONS_DATA / "categories.json").read_text(encoding="utf-8"))
    for category in categories["categories"]:
        phrases.update(p for p in re.split(r"[、，,或與及/()（）]", category["name"]) if p)
    vocabulary = json.loads((DATA / "vocabulary.json").read_text(encoding="utf-8"))["categories"]
    for words in vocabulary.values():
        phrases.update(p for p in words if len(p) <= 4)
    return sorted(p for p in phrases if 2 <= len(p) <= 4)


_segmenter: Segmenter | None = None
_segmenter_lock = threading.Lock()


def segmenter() -> Segmenter:
    """The process's segmenter, loaded on first use (thread-safe)."""
    global _segmenter
    if _segmenter is None:
        with _segmenter_lock:
            if _segmenter is None:
                _segmenter = Segmenter()
    return _segmenter


def words(text: str) -> list[str]:
    return segmenter().words(text)


# --- keyword trends ------------------------------------------------------------------------------


@dataclass
class Trend:
    word: str
    count: int  # texts of the period that use the word
    share: float  # of the period's texts
    baseline_count: int  # texts of the (first) baseline that use it
    baseline_share: float
    p: float = 1.0
    q: float = 1.0
    rising: bool = False
    spike: bool = False
    last_year_count: int | None = None  # texts of the same period a year earlier, when there are any
    last_year_q: float | None = None
    where: dict[str, list[tuple[str, int]]] = field(
        default_factory=dict
    )  # analyse: top categories, districts

    @property
    def score(self) -> float:
        """−log10(q), for ordering and display."""
        return round(-math.log10(max(self.q, 1e-300)), 2)

    @property
    def ratio(self) -> float | None:
        """The rate now over the baseline rate (None when the word was absent)."""
        return round(self.share / self.baseline_share, 2) if self.baseline_share else None


def document_counts(docs: Iterable[Sequence[str]]) -> tuple[Counter, int]:
    """(word → number of texts that use it, number of texts) of segmented texts."""
    counts: Counter = Counter()
    n = 0
    for doc in docs:
        counts.update(set(doc))
        n += 1
    return counts, n


def hot_words(docs: Sequence[Sequence[str]], limit: int = 20) -> list[tuple[str, int]]:
    """The words used by the most texts: [(word, texts)], most first (ties by word)."""
    counts, _n = document_counts(docs)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def rising_words(
    current: Sequence[Sequence[str]],
    baseline: Sequence[Sequence[str]],
    last_year: Sequence[Sequence[str]] | None = None,
    *,
    min_count: int = MIN_COUNT,
    alpha: float = ALPHA,
) -> list[Trend]:
    """Every word used in at least `min_count` texts of `current` (segmented texts), tested
    against `baseline` (and `last_year` when given and not empty); rising words first (by q, then
    count), then the rest by count. See the module's docstring for the test."""
    now, n = document_counts(current)
    before, m = document_counts(baseline)
    trends = [
        Trend(w, a, a / n, before[w], before[w] / m if m else 0.0) for w, a in now.items() if a >= min_count
    ]
    if not trends or not m:
        return sorted(trends, key=lambda t: (-t.count, t.word))
    _test(trends, [before[t.word] for t in trends], n, m)
    year_counts, year_n = document_counts(last_year) if last_year else (Counter(), 0)
    year_q: dict[str, float] = {}
    if year_n:
        shadow = [
            Trend(t.word, t.count, t.share, year_counts[t.word], year_counts[t.word] / year_n) for t in trends
        ]
        _test(shadow, [s.baseline_count for s in shadow], n, year_n)
        year_q = {s.word: s.q for s in shadow}
    for t in trends:
        t.rising = t.q < alpha and (t.baseline_share == 0 or t.share >= MIN_RATIO * t.baseline_share)
        rare_before = t.baseline_share <= SPIKE_BASE_SHARE * t.share
        if year_n:
            t.last_year_count = year_counts[t.word]
            t.last_year_q = year_q[t.word]
            rare_before = rare_before and t.last_year_count / year_n <= SPIKE_BASE_SHARE * t.share
        t.spike = t.rising and rare_before
    trends.sort(key=lambda t: (not t.rising, t.q if t.rising else 0, -t.count, t.word))
    return trends


def _test(trends: list[Trend], baseline_counts: list[int], n: int, m: int) -> None:
    """Set p (binomial upper tail of the period's share of the word's texts) and q (BH)."""
    from scipy.stats import binom

    share = n / (n + m)
    counts = [t.count for t in trends]
    totals = [a + b for a, b in zip(counts, baseline_counts, strict=True)]
    pvalues = binom.sf([a - 1 for a in counts], totals, share)
    for t, p in zip(trends, pvalues, strict=True):
        t.p = float(p)
    ordered = sorted(trends, key=lambda t: t.p)
    running = 1.0
    total = len(ordered)
    for rank in range(total, 0, -1):
        t = ordered[rank - 1]
        running = min(running, t.p * total / rank)
        t.q = running


# --- topics --------------------------------------------------------------------------------------


@dataclass
class Topic:
    words: list[str]  # heaviest first
    size: int  # texts whose strongest topic this is
    representatives: list[int] = field(default_factory=list)  # indexes of the texts, most typical first


def topics(
    docs: Sequence[Sequence[str]],
    k: int | None = None,
    *,
    top_words: int = TOPIC_WORDS,
    representatives: int = TOPIC_CASES,
    seed: int = 0,
) -> list[Topic]:
    """The topics of segmented texts, largest first (deterministic for the same input and seed).
    `k` defaults to TOPICS, fewer for small sets (about one topic per 15 texts)."""
    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    if k is None:
        k = max(1, min(TOPICS, len(docs) // 15))
    if len(docs) < 2:
        return []
    vectorizer = TfidfVectorizer(
        analyzer=lambda doc: doc, min_df=2, max_df=0.5, sublinear_tf=True, dtype=np.float64
    )
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # no word in two texts
        return []
    k = min(k, matrix.shape[0], matrix.shape[1])
    model = NMF(n_components=k, init="nndsvd", random_state=seed, max_iter=400)
    with warnings.catch_warnings():  # small sets may stop at max_iter; the topics are still usable
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    vocabulary = vectorizer.get_feature_names_out()
    strongest = weights.argmax(axis=1)
    has_topic = weights.max(axis=1) > 0
    found = []
    for j in range(k):
        order = np.argsort(-model.components_[j], kind="stable")[:top_words]
        members = np.flatnonzero((strongest == j) & has_topic)
        ranked = members[np.argsort(-weights[members, j], kind="stable")][:representatives]
        words_j = [str(vocabulary[i]) for i in order if model.components_[j, i] > 0]
        if len(members) and words_j:
            found.append(Topic(words_j, int(len(members)), [int(i) for i in ranked]))
    found.sort(key=lambda t: (-t.size, t.words))
    return found


# --- over (date, text) rows ----------------------------------------------------------------------


def windows(start: datetime.date, end: datetime.date) -> dict[str, tuple[datetime.date, datetime.date]]:
    """The period, the period of the same length just before it, and the same dates a year earlier."""
    days = (end - start).days + 1
    previous = (start - datetime.timedelta(days=days), start - datetime.timedelta(days=1))
    return {
        "current": (start, end),
        "previous": previous,
        "last_year": (_year_before(start), _year_before(end)),
    }


def _year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def analyse(
    rows: Iterable[tuple],
    start: datetime.date,
    end: datetime.date,
    *,
    k: int | None = None,
    alpha: float = ALPHA,
) -> dict:
    """Hot words, rising words, spikes and topics of the period [start, end] from rows
    (date or datetime, text[, category[, district, ...]]) that cover the period, the period before
    and, where there is data, the same period a year earlier. Returns {"texts", "baseline_texts",
    "last_year_texts", "hot", "rising", "spikes", "topics"}; each topic {"words", "size", "cases"}
    with the rows of its representative cases; each rising word's `where` names the categories and
    districts (when the rows carry them) of most of the period's texts that use it."""
    spans = windows(start, end)
    groups: dict[str, list[tuple]] = {name: [] for name in spans}
    for row in rows:
        day = row[0].date() if isinstance(row[0], datetime.datetime) else row[0]
        for name, (first, last) in spans.items():
            if first <= day <= last:
                groups[name].append(row)
    seg = segmenter()
    docs = {name: [seg.words(r[1]) for r in group] for name, group in groups.items()}
    trends = rising_words(docs["current"], docs["previous"], docs["last_year"] or None, alpha=alpha)
    rising = [t for t in trends if t.rising]
    _where(rising, groups["current"], docs["current"])
    return {
        "texts": len(docs["current"]),
        "baseline_texts": len(docs["previous"]),
        "last_year_texts": len(docs["last_year"]),
        "hot": hot_words(docs["current"]),
        "rising": rising,
        "spikes": [t for t in rising if t.spike],
        "topics": [
            {"words": t.words, "size": t.size, "cases": [groups["current"][i] for i in t.representatives]}
            for t in topics(docs["current"], k)
        ],
    }


def _where(trends: list[Trend], rows: list[tuple], docs: list[list[str]], top: int = 3) -> None:
    """Set each trend's `where`: {"category": [(name, texts)], "district": [...]}, most first."""
    wanted = {t.word for t in trends}
    counts: dict[tuple[str, str], Counter] = {}
    for row, doc in zip(rows, docs, strict=True):
        for word in wanted.intersection(doc):
            for key, index in (("category", 2), ("district", 3)):
                if len(row) > index and row[index]:
                    counts.setdefault((word, key), Counter())[str(row[index])] += 1
    for t in trends:
        t.where = {
            key: sorted(counts.get((t.word, key), Counter()).items(), key=lambda kv: (-kv[1], kv[0]))[:top]
            for key in ("category", "district")
        }


SAMPLE_PER_WINDOW = (
    10_000  # texts read per window at most (a city month is ~35,000): shares, not counts, are compared
)


def hot_topics(
    user,
    *,
    start: datetime.date,
    end: datetime.date,
    agency=None,
    district=None,
    category=None,
    sample: int | None = SAMPLE_PER_WINDOW,
) -> dict:
    """The hot words, rising words, spikes and topics of the cases received from `start` to `end`
    (local dates) among those `user` may see, optionally of one agency, district or category (a
    parent category includes its leaves); compared with the period before and the same period a
    year earlier (see analyse). Topics' "cases" are Case rows. RDEC sees all cases, agency staff
    their agency's (rdec.petitions.selectors.cases_visible_to)."""
    from django.db.models import Q
    from django.utils import timezone

    from rdec.analytics.rules import report_rule_for, rule_dict
    from rdec.core import dates
    from rdec.core.permissions import require
    from rdec.petitions import selectors as petitions

    require(user, "analytics.view_reports")

    in_windows = Q()  # the three windows only, not the year between them
    for first, last in windows(start, end).values():
        since, until = dates.days_span(first, last)
        in_windows |= Q(received_at__gte=since, received_at__lt=until)
    qs = petitions.cases_visible_to(user).filter(in_windows)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if district is not None:
        qs = qs.filter(district=district)
    if category is not None:
        qs = qs.filter(Q(category=category) | Q(category__parent=category))
    fields = ("received_at", "subject", "description", "category__name", "district__name", "pk")
    rows = [
        (timezone.localdate(received_at), f"{subject}。{description}", category_name, district_name, pk)
        for received_at, subject, description, category_name, district_name, pk in qs.order_by()
        .values_list(*fields)
        .iterator(chunk_size=5000)
    ]
    total = sum(1 for r in rows if start <= r[0] <= end)
    if sample:
        rows = _sampled(rows, windows(start, end), sample)
    rule = report_rule_for(end)  # the false discovery rate of the report's rule in force
    result = analyse(rows, start, end, alpha=rule.fdr_pct / 100)
    result["texts_total"] = total
    ids = [row[4] for topic in result["topics"] for row in topic["cases"]]
    cases = petitions.cases_visible_to(user).in_bulk(ids)
    for topic in result["topics"]:
        topic["cases"] = [cases[row[4]] for row in topic["cases"]]
    result["rule"] = rule_dict(rule)
    return result


def _sampled(rows: list[tuple], spans: dict, size: int) -> list[tuple]:
    """At most `size` rows of each window, drawn with a fixed seed (the same period gives the same
    sample); rows in no window are dropped."""
    import random

    kept: list[tuple] = []
    for first, last in spans.values():
        group = [r for r in rows if first <= r[0] <= last]
        if len(group) > size:
            group = random.Random(f"{first}:{last}").sample(group, size)  # noqa: S311 - a sample, not a secret
        kept.extend(group)
    return kept
