"""Case numbers: <ROC year>-<7 digits>, unique and sequential per year.

On PostgreSQL each year has a sequence (petitions_case_no_<year>), so concurrent intakes never wait
for each other (a sequence does not lock until commit; a failed intake may leave a gap). On SQLite
(one writer at a time anyway) the year's row in CaseNumber is incremented inside the transaction.
CaseNumber also records the highest number imported or seeded, from which a new sequence starts.
"""

from __future__ import annotations

from django.db import DatabaseError, connection, transaction
from django.db.models import F

from rdec.petitions.models import CaseNumber

_known: set[int] = set()


def _seq(year: int) -> str:
    return f"petitions_case_no_{int(year)}"


def _ensure_sequence(year: int) -> None:
    row = CaseNumber.objects.filter(year=year).first()
    start = (row.last if row else 0) + 1
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {_seq(year)} START {start}")


def next_number(year: int) -> int:
    if connection.vendor != "postgresql":
        CaseNumber.objects.get_or_create(year=year)
        CaseNumber.objects.filter(year=year).update(last=F("last") + 1)
        return CaseNumber.objects.get(year=year).last
    for attempt in range(3):
        if year not in _known:
            try:
                _ensure_sequence(year)
            except DatabaseError:
                if attempt == 2:
                    raise
                continue  # another process created it at the same moment
            _known.add(year)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT nextval(%s)", [_seq(year)])
                return cursor.fetchone()[0]
        except DatabaseError:
            _known.discard(year)  # created in a transaction that rolled back: create again
    raise DatabaseError(f"cannot allocate a case number for {year}")


def next_numbers(year: int, count: int) -> list[int]:
    """`count` numbers of `year` at once (one statement on PostgreSQL)."""
    if connection.vendor != "postgresql" or count == 1:
        return [next_number(year) for _i in range(count)]
    next_number_value = next_number(year)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [_seq(year), count - 1])
        rest = [row[0] for row in cursor.fetchall()]
    return [next_number_value, *rest]


def advance_to(year: int, last: int) -> None:
    """After an import or the demo seed: later numbers of `year` come after `last`."""
    row, _created = CaseNumber.objects.select_for_update().get_or_create(year=year)
    if row.last < last:
        row.last = last
        row.save(update_fields=["last"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [_seq(year)])
            if cursor.fetchone()[0] is not None:
                cursor.execute(
                    f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {_seq(year)})))",  # noqa: S608 - int year
                    [_seq(year), last],
                )
