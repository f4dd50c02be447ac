"""The default inspection rules with their sources (docs/tenders.md says which are unconfirmed), and
the bundled deficiency list (rdec/tenders/data/deficiencies.json)."""

import datetime
from decimal import Decimal

from django.db import migrations

CITATION = (
    "臺中市政府研究發展考核委員會施政計畫「10-2-3加強公共工程施工品質查核」：查核件數將達到本府執行件數之10%，"
    "達到200件以上；施工品質優良案件協助各機關參加工程會金質獎評選。\n"
    "工程施工查核小組作業辦法：查核成績甲等80分以上、乙等70分以上未滿80分、丙等未滿70分（me-rules.md §3.3，未核對現行條文）。\n"
    "查核優先對象（金門縣例，me-rules.md §3.5）：施工進度落後10%以上、前次查核成績未達75分；"
    "查核金額新臺幣5,000萬元（臺中市政府重大工程品質推動委員會設置要點）。"
)
NOTES = (
    "未經研考會確認：等第分界（未核對工程施工查核小組作業辦法現行條文，是否另有優等）；「執行件數」之定義"
    "（本平臺：當年度施工中之工程標案）；缺失改善期限30日（本平臺預設）；規劃建議之門檻（參考金門縣）；"
    "金質獎候選分數85分（本平臺預設）。"
)


def add_defaults(apps, schema_editor):
    from rdec.tenders import deficiency_list

    InspectionRule = apps.get_model("tenders", "InspectionRule")
    InspectionRule.objects.get_or_create(
        effective_from=datetime.date(2022, 1, 1),
        defaults={
            "source_citation": CITATION,
            "grade_a_min": Decimal(80),
            "grade_b_min": Decimal(70),
            "coverage_pct": Decimal(10),
            "yearly_target": 200,
            "improvement_days": 30,
            "planning_amount": Decimal(50_000_000),
            "planning_lag_pct": Decimal(10),
            "planning_low_score": Decimal(75),
            "award_min_score": Decimal(85),
            "notes": NOTES,
        },
    )
    deficiency_list.load_bundled(apps.get_model("tenders", "Deficiency"))


class Migration(migrations.Migration):
    dependencies = [("tenders", "0004_inspections")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
