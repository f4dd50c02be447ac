"""PostgreSQL only: the character pairs stored as a tsvector column kept by a trigger, indexed with
GIN, instead of a GIN index over an expression. Checking a stored tsvector row by row is cheap, so a
common word answered by walking the newest cases no longer recomputes each row's pairs; and the
column has statistics of its own. SQLite (the embedded default) is unchanged: it searches by
substring. The model does not declare the column: the trigger fills it on every insert and on every
change of search_text (COPY and bulk inserts included)."""

from django.db import migrations

OLD_INDEX = "petitions_case_search_gin"
INDEX = "petitions_case_search_vector_gin"
TRIGGER = "petitions_case_search_vector"

FORWARD = [
    "ALTER TABLE petitions_case ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "UPDATE petitions_case SET search_vector = to_tsvector('simple'::regconfig, search_text)",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON petitions_case USING gin (search_vector)",
    f"DROP INDEX IF EXISTS {OLD_INDEX}",
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON petitions_case",
    f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF search_text ON petitions_case FOR EACH ROW "
    "EXECUTE FUNCTION tsvector_update_trigger(search_vector, 'pg_catalog.simple', search_text)",
    "ANALYZE petitions_case",
]
BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON petitions_case",
    f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON petitions_case USING gin (to_tsvector('simple'::regconfig, search_text))",
    f"DROP INDEX IF EXISTS {INDEX}",
    "ALTER TABLE petitions_case DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0004_submission"),
    ]

    operations = [migrations.RunPython(forward, backward)]
