"""PostgreSQL only: the search vector also holds the case's agency as a token (`agency<id>`), so a
search within one agency's cases is one GIN lookup (the word's pairs AND the agency) instead of
intersecting a word found across the city with the agency's million rows. The trigger now also
fires when the agency changes (移文)."""

from django.db import migrations

FUNCTION = "petitions_case_search_vector_fill"
TRIGGER = "petitions_case_search_vector"

FORWARD = [
    f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
  NEW.search_vector := to_tsvector('simple'::regconfig,
    coalesce(NEW.search_text, '') || ' agency' || coalesce(NEW.agency_id::text, ''));
  RETURN NEW;
END $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON petitions_case",
    f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF search_text, agency_id ON petitions_case "
    f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
    "UPDATE petitions_case SET search_vector = to_tsvector('simple'::regconfig, "
    "coalesce(search_text, '') || ' agency' || coalesce(agency_id::text, ''))",
    "ANALYZE petitions_case",
]
BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON petitions_case",
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
    f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF search_text ON petitions_case FOR EACH ROW "
    "EXECUTE FUNCTION tsvector_update_trigger(search_vector, 'pg_catalog.simple', search_text)",
    "UPDATE petitions_case SET search_vector = to_tsvector('simple'::regconfig, search_text)",
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
        ("petitions", "0005_case_search_vector"),
    ]

    operations = [migrations.RunPython(forward, backward)]
