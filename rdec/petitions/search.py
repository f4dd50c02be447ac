"""Case text search that finds two-character Chinese words inside longer text.

Chinese has no spaces, so words cannot be indexed as such. Each case stores `search_text`: every
overlapping pair of CJK characters of its subject and description (路燈不亮 → 路燈 燈不 不亮) plus
its Latin words and numbers, lower-cased. On PostgreSQL a GIN index on
to_tsvector('simple', search_text) answers "all the query's pairs occur" quickly on millions of
cases; the exact phrase is then confirmed on those few rows. On SQLite (the embedded default) the
search is a plain substring match.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN = re.compile(r"[0-9A-Za-z]+")
CASE_NUMBER = re.compile(r"^\d{2,3}-\w{7,8}$")


def tokens(*texts: str) -> list[str]:
    found: set[str] = set()
    for text in texts:
        for run in CJK_RUN.findall(text or ""):
            if len(run) == 1:
                found.add(run)
            else:
                found.update(run[i : i + 2] for i in range(len(run) - 1))
        found.update(word.lower() for word in LATIN.findall(text or ""))
    return sorted(found)


def search_text(subject: str, description: str) -> str:
    return " ".join(tokens(subject, description))


PROBE = 2000


def filter_cases(qs: QuerySet, query: str) -> QuerySet:
    """Cases whose number is the query, or whose subject or description contains it.

    Callers order the result newest first (`-received_at`). On PostgreSQL:
    - a two-character word is one pair: the pair index answers it exactly, and the planner knows
      how common one pair is, so it walks the received_at index for common words and the pair
      index for rare ones;
    - a longer phrase is several pairs, and the planner cannot know how often they occur together.
      So we ask the pair index for up to PROBE candidates first (cheap, unordered). Fewer than
      that: the phrase is rare, and the page comes from those rows. More: the phrase is common, and
      walking the cases newest first while checking the phrase finds a page of matches quickly.
    """
    query = query.strip()
    if not query:
        return qs
    if CASE_NUMBER.match(query):
        return qs.filter(number=query)
    phrase = Q(subject__icontains=query) | Q(description__icontains=query)
    wanted = [t for t in tokens(query) if len(t) > 1 or not CJK_RUN.fullmatch(t)]
    if connection.vendor != "postgresql" or not wanted:
        return qs.filter(phrase)
    indexed = qs.extra(  # noqa: S610 - the tokens are CJK pairs or [0-9a-z] words, passed as a parameter
        where=[
            "to_tsvector('simple'::regconfig, petitions_case.search_text) @@ to_tsquery('simple'::regconfig, %s)"
        ],
        params=[" & ".join(wanted)],
    )
    if wanted == [query.lower()]:
        return indexed
    candidates = list(indexed.order_by().values_list("pk", flat=True)[: PROBE + 1])
    if len(candidates) > PROBE:
        return qs.filter(phrase)
    # the pairs must also be adjacent and in order: confirm the phrase on the candidates
    return qs.filter(pk__in=candidates).filter(phrase)
