"""The first rule version: §84's 30 days with the §48 roll-forward; the MOU figures are defaults."""

import datetime

from django.db import migrations

SOURCE = (
    "政府採購法施行細則第84條：決標結果應於決標之日起30日內刊登政府採購公報；期間計算依行政程序法第48條"
    "（始日不計入，期間末日為假日者以次日代之）。合作備忘錄公開期限、到期提醒與主動公開項目更新週期："
    "開發團隊預設值，未經研考會確認（「臺中市政府合作備忘錄公開實施要點」全文未取得）。"
)


def forwards(apps, schema_editor):
    TransparencyRule = apps.get_model("transparency", "TransparencyRule")
    if not TransparencyRule.objects.exists():
        TransparencyRule.objects.create(
            effective_from=datetime.date(2005, 12, 28),  # 政府資訊公開法 in force
            source=SOURCE,
            award_publication_days=30,
            roll_forward_holidays=True,
            mou_publication_days=30,
            mou_expiry_reminder_days=60,
            disclosure_update_months=12,
            confirmed=False,
        )


class Migration(migrations.Migration):
    dependencies = [("transparency", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
