"""The first rule versions: join.gov.tw's figures (Taichung's were not retrieved), not confirmed."""

import datetime

from django.db import migrations

PROPOSAL_SOURCE = (
    "開發團隊預設值，未經研考會確認：臺中市之附議門檻、期間與回應期限未取得，暫採國家發展委員會"
    "公共政策網路參與平臺（join.gov.tw）之規定：成案門檻 5,000 人附議、附議期間 60 日、成案後 2 個月內回應；"
    "檢核期間 5 個工作日採高雄市公共政策網路參與平臺專區要點（https://outlaw.kcg.gov.tw/LawContent.aspx?id=GL001951）。"
    "臺中市政府公共政策網路參與平臺作業規範：https://lawsearch.taichung.gov.tw/GLRSout/LawContent.aspx?id=GL003651"
)
CONSULTATION_SOURCE = (
    "開發團隊預設值，未經研考會確認：眾開講之最短開放期間與回應報告期限，臺中市作業規範未取得明文。"
)


def forwards(apps, schema_editor):
    ProposalRule = apps.get_model("participation", "ProposalRule")
    ConsultationRule = apps.get_model("participation", "ConsultationRule")
    if not ProposalRule.objects.exists():
        ProposalRule.objects.create(
            effective_from=datetime.date(2019, 5, 22),
            source=PROPOSAL_SOURCE,
            check_working_days=5,
            endorse_days=60,
            threshold=5000,
            response_months=2,
            confirmed=False,
        )
    if not ConsultationRule.objects.exists():
        ConsultationRule.objects.create(
            effective_from=datetime.date(2019, 5, 22),
            source=CONSULTATION_SOURCE,
            min_open_days=14,
            report_working_days=30,
            confirmed=False,
        )


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
