"""Catalog text search that finds two-character Chinese words inside titles and descriptions.

Chinese has no spaces, so a dataset stores `search_text`: every overlapping pair of CJK characters
of its title, description, tags and agency (交通事故 → 交通 通事 事故) plus its Latin words and numbers,
lower-cased. On PostgreSQL, the stored `search_vector` (`to_tsvector('simple', search_text)`, GIN
indexed) matches all of a query's pairs and the phrase is then confirmed; on SQLite (the embedded
default) a term is a substring match. The generic part lives in rdec/core/textsearch.py.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.utils.translation import gettext as _

from rdec.core.textsearch import CJK_RUN, LATIN, PairsMatch, bigrams, pairs_text

__all__ = ["CJK_RUN", "LATIN", "PairsMatch", "QueryTooLong", "bigrams", "filter_datasets", "search_text"]

MAX_TERMS = 64  # whitespace-separated terms in one query (CKAN's q)
MAX_QUERY_LENGTH = 1000  # characters in one query


class QueryTooLong(ValueError):
    """A query with more than MAX_TERMS terms or MAX_QUERY_LENGTH characters: each term is a
    subquery, and 2,000 of them took seconds and then failed in the database (issue 13)."""


def search_text(*texts: str) -> str:
    return pairs_text(*texts)


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
