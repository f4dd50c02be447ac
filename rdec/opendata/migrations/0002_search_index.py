from django.db import migrations

INDEX = "opendata_dataset_search_gin"


def create_index(apps, schema_editor):
    """PostgreSQL only: a GIN index over the character pairs (see rdec/opendata/search.py)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON opendata_dataset "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
