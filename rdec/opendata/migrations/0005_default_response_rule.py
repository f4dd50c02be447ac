import datetime

from django.db import migrations


def seed(apps, schema_editor):
    ResponseRule = apps.get_model("opendata", "ResponseRule")
    if not ResponseRule.objects.exists():
        ResponseRule.objects.create(
            effective_from=datetime.date(2015, 1, 1),
            response_days=7,
            remind_days_before=2,
            source_citation=(
                "Unconfirmed: the answer period of data.gov.tw 我有話要說 as commonly practised "
                "(7 calendar days); verify with the NDC/moda rules and edit this version."
            ),
            confirmed=False,
        )


class Migration(migrations.Migration):
    dependencies = [("opendata", "0004_feedback")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
