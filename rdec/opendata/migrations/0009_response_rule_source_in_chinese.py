"""The default answer-period rule's source note in Chinese: it is shown on the rules page (/rules/)
to zh-Hant readers; an RDEC-edited note is left as it is."""

from django.db import migrations

ENGLISH = (
    "Unconfirmed: the answer period of data.gov.tw 我有話要說 as commonly practised "
    "(7 calendar days); verify with the NDC/moda rules and edit this version."
)
CHINESE = "未確認：依政府資料開放平臺「我有話要說」一般作法，答復期限為 7 日曆天；請依國家發展委員會、數位發展部規定查證後修改此版本。"


def forwards(apps, schema_editor):
    apps.get_model("opendata", "ResponseRule").objects.filter(source=ENGLISH).update(source=CHINESE)


def backwards(apps, schema_editor):
    apps.get_model("opendata", "ResponseRule").objects.filter(source=CHINESE).update(source=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [("opendata", "0008_responserule_dated_rule_set")]

    operations = [migrations.RunPython(forwards, backwards)]
