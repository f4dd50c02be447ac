"""The default tender control rules, with their sources (docs/tenders.md says which are unconfirmed)."""

import datetime
from decimal import Decimal

from django.db import migrations

CITATION = (
    "臺中市政府研究發展考核委員會111年度施政計畫「督導列管標案執行進度」：整體執行績效未達9成之機關檢討落後標案，"
    "進度落後10%以上或施工進度落後20%以上之嚴重落後案件逐案檢討。\n"
    "政府採購法施行細則第111條：巨額工程採購履約進度落後10%以上；其他採購落後20%以上且日數達10日以上。\n"
    "公共工程標案管理系統：每月10日前登錄上月執行進度（法務部工程施工查核小組作業規定第3點）。"
)
NOTES = (
    "未經研考會確認：落後門檻（預設任何落後即列「落後」）、巨額工程金額（預設新臺幣2億元，採購法巨額採購之金額）、"
    "「其他採購」之10日條件是否適用於本府管制會報、以及第111條與施政計畫10%/20%之對應方式。"
)


def add_defaults(apps, schema_editor):
    RuleVersion = apps.get_model("tenders", "RuleVersion")
    RuleVersion.objects.get_or_create(
        effective_from=datetime.date(2022, 1, 1),
        defaults={
            "source_citation": CITATION,
            "behind_pct": Decimal(0),
            "serious_large_works_pct": Decimal(10),
            "serious_other_pct": Decimal(20),
            "serious_other_min_days": 10,
            "large_works_amount": Decimal(200_000_000),
            "performance_threshold_pct": Decimal(90),
            "entry_due_day": 10,
            "notes": NOTES,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("tenders", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
