"""PostgreSQL only: the queued intake's table loses the two `varchar_pattern_ops` indexes Django
adds beside a unique text column (token, idempotency_key). They serve LIKE 'prefix%' searches,
which nothing runs on these columns (both are looked up by equality, through their unique
indexes), and every submission paid for them: two index entries more per insert."""

from django.db import migrations

TABLE = "petitions_submission"


def drop_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
            "AND indexdef LIKE %s",
            [TABLE, "%varchar_pattern_ops%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def restore_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in ("token", "idempotency_key"):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(f'{TABLE}_{column}_like')} "
            f"ON {TABLE} ({column} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("petitions", "0006_case_search_vector_agency")]

    operations = [migrations.RunPython(drop_pattern_indexes, restore_pattern_indexes)]
