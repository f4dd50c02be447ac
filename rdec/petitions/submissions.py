"""Storing queued submissions (POST /api/v1/submissions/): one multi-row insert, group-committed.

`insert` writes a batch of submissions with one statement; `committer` (one per process) gathers
the submissions arriving together so that they share one statement and one commit
(core/groupcommit.py). services.submit_case decides which to use: inside a transaction the caller
holds, the row goes in on the caller's connection; otherwise through the committer."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, models

from rdec.core.groupcommit import GroupCommitter
from rdec.petitions.models import Submission

_SUBMISSION_COLUMNS = (
    "token",
    "actor",
    "ip_address",
    "idempotency_key",
    "payload",
    "tracking_code",
    "received_at",
    "status",
    "error",
)


def insert(submissions: list[Submission]) -> list[bool]:
    """One INSERT … ON CONFLICT DO NOTHING RETURNING id, token for the whole batch (PostgreSQL and
    SQLite ≥ 3.35), on this thread's connection, in one commit unless a transaction is open. One
    flag per submission: True when it is stored (its id set), False when another submission holds
    its idempotency key. Safe to repeat: a submission already stored by an earlier try of the same
    batch is found by its token and counts as stored.

    On PostgreSQL the statement goes through a psycopg cursor with server-side binding (prepared
    after a few runs) rather than Django's client-side quoting, which costs more than the insert
    itself for a JSON payload; Django's connection handling stays in charge (opening, error
    wrapping, the transaction the caller may be in). There is no health check before the insert:
    a lost connection fails the insert, and the committer tries again on a new one."""
    fields = [Submission._meta.get_field(name) for name in _SUBMISSION_COLUMNS]
    qn = connection.ops.quote_name
    table, columns = qn(Submission._meta.db_table), ", ".join(qn(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(submissions))} "  # noqa: S608 - names from the model
        f"ON CONFLICT DO NOTHING RETURNING {qn('id')}, {qn('token')}"
    )
    if connection.vendor == "postgresql":
        import psycopg
        from psycopg.types.json import Jsonb

        params = [
            Jsonb(v) if isinstance(f, models.JSONField) else v
            for submission in submissions
            for f, v in zip(fields, [f.pre_save(submission, True) for f in fields], strict=True)
        ]
        connection.ensure_connection()  # no health check first: the committer retries on a lost one
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params)
            ids = {token: pk for pk, token in cursor.fetchall()}
    else:
        params = [
            f.get_db_prep_save(f.pre_save(submission, True), connection)
            for submission in submissions
            for f in fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = {token: pk for pk, token in cursor.fetchall()}
    missing = [s.token for s in submissions if s.token not in ids]
    if missing:  # a key held by another submission, or stored by an earlier try of this batch
        ids.update(
            (token, pk)
            for pk, token in Submission.objects.filter(token__in=missing).values_list("id", "token")
        )
    stored = []
    for submission in submissions:
        pk = ids.get(submission.token)
        if pk is not None:
            submission.pk = pk
            submission._state.adding = False
        stored.append(pk is not None)
    return stored


# the queued intake's group commit (one per process): concurrent submissions share a commit
committer = GroupCommitter(
    insert,
    name="petitions-submissions",
    delay=settings.RDEC_INTAKE_COMMIT_DELAY_US / 1_000_000,
)
