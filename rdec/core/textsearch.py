"""Word search in Chinese text: two-character words found inside long texts through an index.

Chinese has no spaces and two-character words are common (鋪面, 路燈), so neither word splitting nor
trigrams (pg_trgm) work. A row stores its *pairs*: every overlapping pair of CJK characters of its
text (交通事故 → 交通 通事 事故; a lone CJK character is kept as itself) plus its Latin words and
numbers, lower-cased, space-separated (`pairs_text`). Text runs are cut at anything that is not a CJK
character, so a word split across two fields (joined by a newline or space) is no pair.

On PostgreSQL a stored generated column, `to_tsvector('simple', <pairs column>)` with a GIN index,
answers "all of a word's pairs occur" (`PairsMatch`): a word that is one pair or one Latin word is
answered by the index alone; a longer word's candidates are confirmed by a substring test on the
phrase fields. On SQLite (the embedded default) every word is a substring match.

Used by the open data catalog (rdec/opendata/search.py) and the transparency registers
(rdec/transparency/selectors.py).
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN = re.compile(r"[0-9A-Za-z]+")
MAX_WORDS = 5  # words of one query that are matched (the rest is ignored)
MAX_WORD_LENGTH = 50  # characters of a word that are matched


class PairsMatch(Func):
    """`<vector column> @@ to_tsquery('simple', 'a & b')` on PostgreSQL, where the vector column is the
    stored `to_tsvector('simple', <pairs column>)` with a GIN index (created by a migration; not a model
    field). Given `F(<pairs column>)`, it writes the same table alias (inside subqueries too) with the
    vector column's name."""

    arity = 2
    output_field = BooleanField()

    def __init__(
        self, pairs, query, *, pairs_column: str = "search_text", vector_column: str = "search_vector"
    ):
        super().__init__(pairs, query)
        self.pairs_column = pairs_column
        self.vector_column = vector_column

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[1])
        suffix = connection.ops.quote_name(self.pairs_column)
        if not column.endswith(suffix):
            raise ValueError(f"PairsMatch expects F({self.pairs_column!r})")
        vector = column[: -len(suffix)] + connection.ops.quote_name(self.vector_column)
        return f"{vector} @@ to_tsquery('simple'::regconfig, {query})", (*params, *query_params)


def bigrams(*texts: str) -> list[str]:
    """Every pair of neighbouring CJK characters, lone CJK characters, and Latin words and numbers
    (lower-cased) of `texts`, sorted, each once."""
    found: set[str] = set()
    for text in texts:
        for run in CJK_RUN.findall(text or ""):
            if len(run) == 1:
                found.add(run)
            else:
                found.update(run[i : i + 2] for i in range(len(run) - 1))
        found.update(word.lower() for word in LATIN.findall(text or ""))
    return sorted(found)


def pairs_text(*texts: str) -> str:
    """What a row stores for the index: its `bigrams`, space-separated."""
    return " ".join(bigrams(*texts))


def query_words(q: str, *, max_words: int = MAX_WORDS, max_length: int = MAX_WORD_LENGTH) -> list[str]:
    """The whitespace-separated words of `q`: the first `max_words`, each cut to `max_length`
    characters (a longer query is shortened, never refused)."""
    return [w[:max_length] for w in (q or "").split()[:max_words]]


def indexed_terms(word: str) -> list[str]:
    """The index terms all of which a text containing `word` has (empty: the index cannot help,
    e.g. a single CJK character or punctuation)."""
    return [t for t in bigrams(word) if len(t) > 1 or not CJK_RUN.fullmatch(t)]


def _substring(word: str, fields: tuple[str, ...], *, exact_case: bool) -> Q:
    lookup = "contains" if exact_case else "icontains"
    cond = Q()
    for f in fields:
        cond |= Q(**{f"{f}__{lookup}": word})
    return cond


def split_match(
    qs: QuerySet,
    q: str,
    *,
    phrase_fields: tuple[str, ...] = ("search_text",),
    pairs_column: str = "search_pairs",
    vector_column: str = "search_vector",
    max_words: int = MAX_WORDS,
) -> tuple[QuerySet, Q | None]:
    """`match_words` in two parts: the rows the index (or, off PostgreSQL, the substring match) finds,
    and the condition that confirms them — None when the index answers alone (every word one pair or
    one Latin word, or not on PostgreSQL)."""
    postgres = connection.vendor == "postgresql"
    terms: list[str] = []  # every word's index terms, in one index lookup
    confirm: list[str] = []  # the words the index does not answer alone
    for word in query_words(q, max_words=max_words):
        word_terms = indexed_terms(word) if postgres else []
        if not word_terms:
            qs = qs.filter(_substring(word, phrase_fields, exact_case=False))
            continue
        terms += [t for t in word_terms if t not in terms]
        if word_terms != [word.lower()]:
            confirm.append(word)
    if terms:
        qs = qs.filter(
            PairsMatch(
                F(pairs_column),
                Value(" & ".join(terms)),
                pairs_column=pairs_column,
                vector_column=vector_column,
            )
        )
    if not confirm:
        return qs, None
    condition = Q()
    for word in confirm:
        # a longer word: its pairs occur, does the word? Chinese has no case, so a word without
        # letters is compared as it is (LIKE), not upper-cased (UPPER of a whole contract's text)
        condition &= _substring(word, phrase_fields, exact_case=word.lower() == word.upper())
    return qs, condition


def match_words(
    qs: QuerySet,
    q: str,
    *,
    phrase_fields: tuple[str, ...] = ("search_text",),
    pairs_column: str = "search_pairs",
    vector_column: str = "search_vector",
    max_words: int = MAX_WORDS,
) -> QuerySet:
    """Rows of `qs` in which every word of `q` occurs inside one of `phrase_fields` (a substring,
    case-insensitive). On PostgreSQL through the pairs index (`vector_column` over `pairs_column`,
    which must hold `pairs_text` of the phrase fields); elsewhere a substring match."""
    found, confirm = split_match(
        qs,
        q,
        phrase_fields=phrase_fields,
        pairs_column=pairs_column,
        vector_column=vector_column,
        max_words=max_words,
    )
    return found if confirm is None else found.filter(confirm)


class Matches:
    """The rows of an ordered queryset that match a search, in its order, found only as far as they
    are read: the first page, or the first `cap` + 1 to say "more than `cap`".

    A word the index answers alone costs one index lookup whatever the number of matches. A longer
    word (道路改善) found in most of 50,000 contracts would, confirmed row by row with its substring,
    read every contract's text (5 s, bench/transparency_search.py); here the index's candidates are
    listed in the queryset's order (ids only) and confirmed in batches sized by the share confirmed so far until enough are found.
    A word whose pairs are common but which is itself rare still reads every candidate's text.

    Slicing (`matches[0:21]`) gives model instances, so a `WindowPaginator` pages through it."""

    FIRST_BATCH = 200
    MAX_BATCH = 5_000

    def __init__(self, qs: QuerySet, q: str, **options):
        self.qs = qs
        self.candidates, self.confirm = split_match(qs, q, **options)
        self._ids: list[int] = []
        self._complete = False
        self._pending: list[int] | None = None  # candidates not yet confirmed, in order
        self._examined = 0

    def ids(self, n: int) -> list[int]:
        """The first `n` matches' ids (fewer when there are fewer)."""
        if len(self._ids) >= n or self._complete:
            return self._ids[:n]
        if self.confirm is None:
            self._ids = list(self.candidates.values_list("pk", flat=True)[:n])
            self._complete = len(self._ids) < n
            return self._ids
        if self._pending is None:
            self._pending = list(self.candidates.values_list("pk", flat=True))
        batch = self.FIRST_BATCH
        while len(self._ids) < n and self._pending:
            chunk, self._pending = self._pending[:batch], self._pending[batch:]
            confirmed = set(
                self.qs.model._base_manager.filter(pk__in=chunk)
                .filter(self.confirm)
                .values_list("pk", flat=True)
            )
            self._ids += [pk for pk in chunk if pk in confirmed]
            self._examined += len(chunk)
            # the next batch: as many as the share confirmed so far says are needed, and a fifth more
            share = max(len(self._ids), 1) / self._examined
            batch = max(self.FIRST_BATCH, min(self.MAX_BATCH, round((n - len(self._ids)) / share * 1.2)))
        self._complete = not self._pending
        return self._ids[:n]

    def count_upto(self, cap: int) -> tuple[int, bool]:
        """(the number of matches, at most `cap`; whether there are more than `cap`)."""
        found = len(self.ids(cap + 1))
        return min(found, cap), found > cap

    def rows(self, ids: list[int]) -> list:
        by_pk = {row.pk: row for row in self.qs.filter(pk__in=ids)}
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("Matches supports slices only")
        start, stop = item.start or 0, item.stop
        if stop is None:
            raise TypeError("Matches needs a slice with an end")
        return self.rows(self.ids(stop)[start:stop])
