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


def filter_cases(qs: QuerySet, query: str) -> QuerySet:
    """Cases whose number is the query, or whose subject or description contains it.
    Callers order the result newest first (`-received_at`), which PostgreSQL answers from the
    received_at index for common words and from the pair index for rare ones."""
    query = query.strip()
    if not query:
        return qs
    if CASE_NUMBER.match(query):
        return qs.filter(number=query)
    phrase = Q(subject__icontains=query) | Q(description__icontains=query)
    wanted = [t for t in tokens(query) if len(t) > 1 or not CJK_RUN.fullmatch(t)]
    if connection.vendor != "postgresql" or not wanted:
        return qs.filter(phrase)
    qs = qs.extra(  # noqa: S610 - the tokens are CJK pairs or [0-9a-z] words, passed as a parameter
        where=[
            "to_tsvector('simple'::regconfig, petitions_case.search_text) @@ to_tsquery('simple'::regconfig, %s)"
        ],
        params=[" & ".join(wanted)],
    )
    # A two-character word is one pair: the index match is already exact. Longer phrases are
    # confirmed on the matching rows (the pairs must also be adjacent, in order).
    return qs if wanted == [query.lower()] else qs.filter(phrase)
