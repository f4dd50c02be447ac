"""Catalog text search that finds two-character Chinese words inside titles and descriptions.

Chinese has no spaces, so a dataset stores `search_text`: every overlapping pair of CJK characters
of its title, description, tags and agency (交通事故 → 交通 通事 事故) plus its Latin words and numbers,
lower-cased. On PostgreSQL, the stored `search_vector` (`to_tsvector('simple', search_text)`, GIN
indexed) matches all of a query's pairs and the phrase is then confirmed; on SQLite (the embedded
default) a term is a substring match.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.utils.translation import gettext as _

MAX_TERMS = 64  # whitespace-separated terms in one query (CKAN's q)
MAX_QUERY_LENGTH = 1000  # characters in one query

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN = re.compile(r"[0-9A-Za-z]+")


class QueryTooLong(ValueError):
    """A query with more than MAX_TERMS terms or MAX_QUERY_LENGTH characters: each term is a
    subquery, and 2,000 of them took seconds and then failed in the database (issue 13)."""


class PairsMatch(Func):
    """`search_vector @@ to_tsquery('simple', 'a & b')` on PostgreSQL, where `search_vector` is the
    stored `to_tsvector('simple', search_text)` column with a GIN index (migration 0007; not a model
    field). Given `F("search_text")`, it writes the same table alias (inside subqueries too) with the
    vector column's name."""

    arity = 2
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[1])
        suffix = connection.ops.quote_name("search_text")
        if not column.endswith(suffix):
            raise ValueError("PairsMatch expects F('search_text')")
        vector = column[: -len(suffix)] + connection.ops.quote_name("search_vector")
        return f"{vector} @@ to_tsquery('simple'::regconfig, {query})", (*params, *query_params)


def bigrams(*texts: str) -> list[str]:
    found: set[str] = set()
    for text in texts:
        for run in CJK_RUN.findall(text or ""):
            if len(run) == 1:
                found.add(run)
            else:
                found.update(run[i : i + 2] for i in range(len(run) - 1))
        found.update(word.lower() for word in LATIN.findall(text or ""))
    return sorted(found)


def search_text(*texts: str) -> str:
    return " ".join(bigrams(*texts))


def _phrase(term: str) -> Q:
    return (
        Q(title__icontains=term)
        | Q(description__icontains=term)
        | Q(tags__name__icontains=term)
        | Q(agency__name__icontains=term)
    )


def filter_datasets(qs: QuerySet, query: str) -> QuerySet:
    """Datasets matching every whitespace-separated term of `query` (CKAN's `q`)."""
    terms = [t for t in (query or "").split() if t and t != "*:*"]
    if len(terms) > MAX_TERMS:
        raise QueryTooLong(
            _("The query has %(found)s terms; at most %(count)s are allowed.")
            % {"found": f"{len(terms):,}", "count": MAX_TERMS}
        )
    if len(query or "") > MAX_QUERY_LENGTH:
        raise QueryTooLong(
            _("The query may be at most %(count)s characters long.") % {"count": f"{MAX_QUERY_LENGTH:,}"}
        )
    for term in terms:
        term = term.split(":", 1)[1] if term.startswith(("text:", "title:")) else term
        wanted = [t for t in bigrams(term) if len(t) > 1 or not CJK_RUN.fullmatch(t)]
        phrase = qs.model.objects.filter(_phrase(term)).values("pk")
        if connection.vendor == "postgresql" and wanted:
            indexed = qs.filter(PairsMatch(F("search_text"), Value(" & ".join(wanted))))
            # one pair or one word is answered by the index; a longer phrase is confirmed in the text
            qs = indexed if wanted == [term.lower()] else indexed.filter(pk__in=phrase)
        else:
            qs = qs.filter(pk__in=phrase)
    return qs
