"""Case text search that finds two-character Chinese words inside longer text.

Chinese has no spaces, so words cannot be indexed as such. Each case stores `search_text`: every
overlapping pair of CJK characters of its subject and description (路燈不亮 → 路燈 燈不 不亮) plus
its Latin words and numbers, lower-cased. On PostgreSQL a trigger keeps them as a tsvector column,
search_vector (migration 0005), whose GIN index answers "all the query's pairs occur" quickly on
millions of cases; the exact phrase is then confirmed on those rows. On SQLite (the embedded
default) the search is a plain substring match.
"""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from rdec.core.textsearch import CJK_RUN, LATIN, bigrams

CASE_NUMBER = re.compile(r"^\d{2,3}-\w{7,8}$")
# the pairs of CJK characters and the Latin words: one implementation for every module (rdec.core.textsearch)
tokens = bigrams


def search_text(subject: str, description: str) -> str:
    return " ".join(tokens(subject, description))


WINDOW = 20_000  # the newest cases a common phrase must fill a page from, to be walked
PAGE = 50
MATCH_CAP = 20_000  # at most this many matches of a word that is common elsewhere are listed
SCOPED_CAP = 2_000  # more matches than this in an agency's cases: walking its newest cases is quicker
SCOPED_WINDOW = 5_000  # an agency's newest cases checked for a page of matches before the lookup
STATS_TTL = 600.0  # seconds between reads of the pair statistics
_stats: dict = {"at": -1e9, "common": frozenset()}


def common_pairs() -> frozenset[str]:
    """The pairs PostgreSQL's statistics list as most common in cases (ANALYZE keeps about a
    thousand, each in roughly 0.1 % of cases or more), read once per STATS_TTL per process."""
    import time

    now = time.monotonic()
    if now - _stats["at"] > STATS_TTL:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[] FROM pg_stats "
                "WHERE tablename = 'petitions_case' AND attname = 'search_vector'"
            )
            row = cursor.fetchone()
        _stats.update(at=now, common=frozenset(row[0] or ()) if row else frozenset())
    return _stats["common"]


def filter_cases(qs: QuerySet, query: str, *, agency_ids=None) -> QuerySet:
    """Cases whose number is the query, or whose subject or description contains it.

    Callers order the result newest first (`-received_at`). On PostgreSQL:
    - a two-character word is one pair: the pair index answers it exactly, and the planner knows
      how common one pair is, so it walks the received_at index for common words and the pair
      index for rare ones;
    - a longer phrase is several pairs, and the planner, multiplying their frequencies as if they
      were independent, takes a common phrase for a rare one. The phrase is at most as common as
      its rarest pair, so: when every pair is among the statistics' most common ones
      (`common_pairs`) and the newest WINDOW cases of the user's scope hold a page of matches, the
      newest cases are walked with the phrase test, which finds a page at once; otherwise the
      phrase is rare (or rare in that scope), and the pair index gives the candidates, confirmed
      with the phrase test and sorted.

    `agency_ids`: the agencies whose cases the user sees (None: all). The search vector holds each
    case's agency as a token (migration 0006), so a word common in the city but absent from those
    agencies' cases is one index lookup (the pairs and one of the agencies); their co-agency (協辦)
    cases are few and checked directly.
    """
    query = query.strip()
    if not query:
        return qs
    if CASE_NUMBER.match(query):
        return qs.filter(number=query)
    if LATIN.search(query):
        phrase = Q(subject__icontains=query) | Q(description__icontains=query)
    else:  # Chinese has no case: a plain LIKE spares upper-casing every row walked
        phrase = Q(subject__contains=query) | Q(description__contains=query)
    wanted = [t for t in tokens(query) if len(t) > 1 or not CJK_RUN.fullmatch(t)]
    if connection.vendor != "postgresql" or not wanted:
        return qs.filter(phrase)
    indexed = qs.extra(  # noqa: S610 - the tokens are CJK pairs or [0-9a-z] words, passed as a parameter
        where=["petitions_case.search_vector @@ to_tsquery('simple'::regconfig, %s)"],
        params=[" & ".join(wanted)],
    )
    common = common_pairs().issuperset(wanted)
    if not common:
        # rare: the planner reads the pair index for these (its estimate is right or too low)
        return indexed if wanted == [query.lower()] else indexed.filter(phrase)
    if agency_ids:
        # an agency's staff: when their newest cases hold a page, walking them finds it at once;
        # otherwise the pairs-and-agency lookup lists the matches in their agencies' cases (and
        # their co-agency cases are checked directly), unless there are many after all
        if LATIN.search(query) or not _fills_a_page_recently(qs, query, window=SCOPED_WINDOW):
            matches = _scoped_matches(qs, wanted, phrase, agency_ids)
            if len(matches) < SCOPED_CAP:
                return qs.filter(pk__in=matches)
    elif LATIN.search(query) or not _fills_a_page_recently(qs, query):
        # common in the city but not among the newest cases (pairs that seldom meet): walking would
        # read every case, so take the matches from the pair index, index walks off for that query
        return qs.filter(pk__in=_matches_by_pair_index(indexed.filter(phrase)))
    # common and present among the user's newest cases: walking the newest cases finds the page
    return indexed if wanted == [query.lower()] else qs.filter(phrase)


def _scoped_matches(qs: QuerySet, wanted: list[str], phrase: Q, agency_ids) -> list[int]:
    agencies = " | ".join(f"agency{int(a)}" for a in sorted(agency_ids))
    by_index = qs.model.objects.extra(  # noqa: S610 - pairs, [0-9a-z] words and integer ids only
        where=["petitions_case.search_vector @@ to_tsquery('simple'::regconfig, %s)"],
        params=[" & ".join(wanted) + f" & ({agencies})"],
    ).filter(phrase)
    co_cases = qs.model.co_agencies.through.objects.filter(agency_id__in=agency_ids).values("case_id")
    found = _matches_by_pair_index(by_index, limit=SCOPED_CAP)
    if len(found) < SCOPED_CAP:
        found += list(
            qs.model.objects.filter(pk__in=co_cases).filter(phrase).values_list("pk", flat=True)[:SCOPED_CAP]
        )
    return found


def _matches_by_pair_index(qs: QuerySet, limit: int = MATCH_CAP) -> list[int]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")  # exact bitmaps: a lossy one rechecks whole pages
        return list(qs.order_by().values_list("pk", flat=True)[:limit])


def _fills_a_page_recently(qs: QuerySet, query: str, window: int = 0) -> bool:
    """Whether the newest WINDOW cases in `qs` hold a page of matches: then walking the newest cases
    finds the page at once. A phrase made of common pairs may itself be rare, or rare in one
    agency's cases; walking would then read every case, so the pair index answers instead."""
    recent = qs.order_by("-received_at", "-id").values("subject", "description")[: window or WINDOW]
    sql, params = recent.query.sql_with_params()
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM ({sql}) AS recent "  # noqa: S608 - Django's own SQL, parameters bound
            "WHERE recent.subject LIKE %s OR recent.description LIKE %s LIMIT %s) AS hits",
            [*params, pattern, pattern, PAGE],
        )
        return cursor.fetchone()[0] >= PAGE
