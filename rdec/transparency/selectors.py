"""What the public reads from the three registers: published contracts, published MOUs past approval,
and the disclosure items; one search across them with Chinese words matched inside titles and inside
the documents' (public) texts, and the facets (agency, type, year, status, counterparty type).

Never public: a contract not published, an MOU in draft or under approval or not yet published, an
original document, a natural person's name or data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from rdec.core.pii import mask_name
from rdec.core.textsearch import Matches, match_words
from rdec.transparency.models import Contract, Mou, MouParty
from rdec.transparency.selectors_registers import public_disclosures, public_mou_rows, public_mous

MAX_WORDS = 5
SEARCH_CAP = 500  # the search page counts contracts up to this many and sums its facets over them

__all__ = [
    "contract_matches",
    "public_contracts",
    "public_disclosures",
    "public_mou_rows",
    "public_mous",
    "search",
]


def _match(qs: QuerySet, q: str, fields: tuple[str, ...]) -> QuerySet:
    """Every word inside one of `fields` (Chinese words inside longer text: through the pairs index on
    PostgreSQL, a substring match elsewhere; rdec.core.textsearch)."""
    return match_words(qs, q, phrase_fields=fields, max_words=MAX_WORDS)


# --- contracts ---------------------------------------------------------------------------------------


def _published_contracts(*, agency: str = "", year: int | None = None, kind: str = "") -> QuerySet[Contract]:
    qs = Contract.objects.filter(status=Contract.Status.PUBLISHED).select_related("agency")
    if agency:
        qs = qs.filter(agency__code=agency)
    if year:
        qs = qs.filter(Q(signed_on__year=year) | Q(signed_on__isnull=True, award_date__year=year))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def public_contracts(
    *, q: str = "", agency: str = "", year: int | None = None, kind: str = ""
) -> QuerySet[Contract]:
    """Published contracts, newest signed first. `agency`: an agency code."""
    return _match(_published_contracts(agency=agency, year=year, kind=kind), q, ("title", "search_text"))


def contract_matches(*, q: str = "", agency: str = "", year: int | None = None, kind: str = "") -> Matches:
    """`public_contracts` for the pages: the matches found only as far as they are read (the first
    page, or the first SEARCH_CAP + 1), so that a long word found in most contracts' text is not
    confirmed in every one of them (rdec.core.textsearch.Matches)."""
    return Matches(
        _published_contracts(agency=agency, year=year, kind=kind),
        q,
        phrase_fields=("title", "search_text"),
        max_words=MAX_WORDS,
    )


def supplier_shown(contract: Contract) -> str:
    """A company's name as it is; a natural person's name masked (Art. 18 item 6)."""
    if contract.supplier_is_person:
        return mask_name(contract.supplier_name) if contract.supplier_name else ""
    return contract.supplier_name


def tax_id_shown(contract: Contract) -> str:
    return "" if contract.supplier_is_person else contract.supplier_tax_id


# --- one search across the registers ----------------------------------------------------------------


@dataclass
class SearchResult:
    contracts: Matches
    contract_count: int  # at most SEARCH_CAP
    contracts_capped: bool  # more than SEARCH_CAP contracts match: the count and the facets are of the newest
    mous: QuerySet
    disclosures: QuerySet
    facets: dict


def search(*, q: str = "", agency: str = "", year: int | None = None) -> SearchResult:
    """The three registers' matches. Contracts are counted up to SEARCH_CAP (more: "500 筆以上") and
    the facets sum the newest SEARCH_CAP matching contracts with every matching MOU and item."""
    contracts = contract_matches(q=q, agency=agency, year=year)
    count, capped = contracts.count_upto(SEARCH_CAP)
    mous = public_mous(q=q, agency=agency, year=year)
    disclosures = public_disclosures(q=q, agency=agency)
    if year:
        disclosures = disclosures.filter(updated_on__year=year)
    counted = Contract.objects.filter(pk__in=contracts.ids(SEARCH_CAP))
    return SearchResult(contracts, count, capped, mous, disclosures, facets(counted, mous, disclosures))


def facets(contracts: QuerySet, mous: QuerySet, disclosures: QuerySet) -> dict:
    """Counts by agency, contract type, year, MOU status and counterparty type, over the results."""

    def counted(qs, field):
        return list(qs.order_by().values(field).annotate(n=Count("id", distinct=True)).order_by("-n", field))

    # the contracts' three facets in one grouped query: each pass over the search's matches costs
    # (50 ms for a word in all 50,000 contracts, bench/transparency_search.py)
    agencies: dict[tuple[str, str], int] = {}
    years: dict[int, int] = {}
    contract_kinds: dict[str, int] = {}
    for row in (
        contracts.order_by()
        .annotate(y=ExtractYear("signed_on"))
        .values("agency__code", "agency__short_name", "kind", "y")
        .annotate(n=Count("id"))  # one row a contract: public_contracts joins nothing many-valued
    ):
        key = (row["agency__code"], row["agency__short_name"])
        agencies[key] = agencies.get(key, 0) + row["n"]
        contract_kinds[row["kind"]] = contract_kinds.get(row["kind"], 0) + row["n"]
        if row["y"] is not None:
            years[row["y"]] = years.get(row["y"], 0) + row["n"]
    for qs, id_field, name_field in (
        (mous, "lead_agency__code", "lead_agency__short_name"),
        (disclosures, "agency__code", "agency__short_name"),
    ):
        for row in qs.order_by().values(id_field, name_field).annotate(n=Count("id", distinct=True)):
            key = (row[id_field], row[name_field])
            agencies[key] = agencies.get(key, 0) + row["n"]
    for row in (
        mous.exclude(signed_on__isnull=True)
        .order_by()
        .annotate(y=ExtractYear("signed_on"))
        .values("y")
        .annotate(n=Count("id", distinct=True))
    ):
        years[row["y"]] = years.get(row["y"], 0) + row["n"]
    kinds = dict(Contract.Kind.choices)
    statuses = dict(Mou.Status.choices)
    party_kinds = dict(MouParty.Kind.choices)
    party_rows = (
        MouParty.objects.filter(mou__in=mous.order_by().values("id"))
        .values("kind")
        .annotate(n=Count("mou", distinct=True))
        .order_by("-n", "kind")
    )
    return {
        "agency": sorted(
            ({"id": k[0], "label": k[1], "n": n} for k, n in agencies.items()),
            key=lambda r: (-r["n"], r["label"]),
        ),
        "year": [{"id": y, "n": n} for y, n in sorted(years.items(), reverse=True)],
        "kind": [
            {"id": k, "label": kinds.get(k, k), "n": n}
            for k, n in sorted(contract_kinds.items(), key=lambda kn: (-kn[1], kn[0]))
        ],
        "status": [
            {"id": r["status"], "label": statuses.get(r["status"], r["status"]), "n": r["n"]}
            for r in counted(mous, "status")
        ],
        "party_kind": [
            {"id": r["kind"], "label": party_kinds.get(r["kind"], r["kind"]), "n": r["n"]} for r in party_rows
        ],
    }
