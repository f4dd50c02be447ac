"""The default document-timeliness rules, with their sources (docs/documents.md says which are
unconfirmed)."""

import datetime
from decimal import Decimal

from django.db import migrations

CITATION = (
    "行政院文書處理手冊第78點；臺中市政府文書流程管理稽核要點第3點（GL000140）：最速件1日、速件3日、普通件6日；"
    "限期公文依來文或法令所定期限，含假日；收文時已逾期限者依普通件。\n"
    "使用日數自收文次日起算，不含例假日，當日辦結以0.5日計（原住民族委員會公文時效管制及稽催查考作業要點第3點；"
    "新北市政府文書處理要點第92點）。限期公文於期限內辦結超過6日者以6日計（新北市政府文書處理要點第92點(二)2）。\n"
    "臺中市政府提升公文績效實施計畫（104年版）：每月15日前統計前月逾期比率並分機關組、公所組及四類公文排名；"
    "逾期比率超過3%之機關提出檢討改進措施；每半年簽報市長。\n"
    "臺中市政府研究發展考核委員會施政計畫「公文時效管考」：擇定平時績效最後5名之一級機關及區公所實地公文檢核。"
)
NOTES = (
    "未經研考會確認：限期公文6日上限之採用（新北市規定）、展期是否延後期限（預設不延後：未於原處理時限內辦結即為逾期）、"
    "逾期比率之分母（預設：當月辦結件數）、平時績效以年度累計逾期比率排名、實施計畫是否已有104年版以後之新版。"
)


def add_defaults(apps, schema_editor):
    RuleVersion = apps.get_model("documents", "RuleVersion")
    RuleVersion.objects.get_or_create(
        effective_from=datetime.date(2015, 1, 15),
        defaults={
            "source_citation": CITATION,
            "most_urgent_days": 1,
            "urgent_days": 3,
            "ordinary_days": 6,
            "time_limited_cap_days": 6,
            "extensions_extend_limit": False,
            "overdue_threshold_pct": Decimal(3),
            "ranking_due_day": 15,
            "site_check_count": 5,
            "notes": NOTES,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
