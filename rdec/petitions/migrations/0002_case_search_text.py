from django.db import migrations, models

INDEX = "petitions_case_search_gin"


def create_index(apps, schema_editor):
    """PostgreSQL only: a GIN index over the character pairs (see rdec/petitions/search.py)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON petitions_case "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def fill_search_text(apps, schema_editor):
    from rdec.petitions.search import search_text

    Case = apps.get_model("petitions", "Case")
    batch = []
    for case in Case.objects.only("id", "subject", "description").iterator(chunk_size=2000):
        case.search_text = search_text(case.subject, case.description)
        batch.append(case)
        if len(batch) >= 2000:
            Case.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Case.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
