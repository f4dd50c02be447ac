"""Demo content of participation (called by `rdec demo` through rdec.core's demo hook)."""

from __future__ import annotations


def seed(stdout=None, size: int | None = None) -> None:
    seed_conversations(stdout)
    seed_consultations(stdout)
    seed_proposals(stdout)


# --- proposals (提點子) ---------------------------------------------------------------------------


def seed_proposals(stdout=None) -> None:
    pass


# --- consultations (眾開講) -----------------------------------------------------------------------


def seed_consultations(stdout=None) -> None:
    """Two 眾開講 consultations: 公園遊戲場改善 (建設局) open, with comments, a reply and one comment
    hidden as advertising (the public moderation log); 公共自行車 iBike 站點規劃 (交通局) closed two
    months ago with its response report published (themes 採納 / 部分採納 / 不採納, PDF and .odt).
    Idempotent: a consultation already there is left as it is."""
    import datetime

    from django.utils import timezone

    from rdec.core.demo import ensure_verified_citizens
    from rdec.core.models import Agency, User
    from rdec.participation import services
    from rdec.participation.models import Comment, Consultation, HidingGround

    today = timezone.localdate()
    citizen, citizen2 = ensure_verified_citizens()[:2]
    staff = User.objects.filter(username="staff").first()
    officer = User.objects.filter(username="rdec").first()
    if staff is None or officer is None:
        return

    if not Consultation.objects.filter(slug="park-playgrounds").exists():
        c = services.create_consultation(
            actor=staff,
            slug="park-playgrounds",
            title="公園遊戲場改善：共融遊戲場第二期",
            background=(
                "本府自 108 年起推動共融遊戲場，已完成 30 處公園遊戲場改善。第二期預計於 116 年改善"
                "北屯、大里、太平、豐原等區 20 處老舊遊戲場，導入不同年齡與身心障礙兒童都能一起遊玩的設計，"
                "並檢討遮蔭、沙坑、地墊與照明。請市民提供您對遊戲場的使用經驗與改善建議。"
            ),
            questions=(
                "您最常帶孩子去哪一座公園？目前的遊戲場有哪些問題？\n"
                "您希望第二期增加哪些遊具或設施（例如沙坑、攀爬網、遮陽棚、親子廁所）？\n"
                "夏季遮蔭與夜間照明，您認為哪一項應優先改善？"
            ),
            stage=Consultation.Stage.DURING,
            agency=Agency.objects.get(code="construction"),
            opens_on=today - datetime.timedelta(days=7),
            closes_on=today + datetime.timedelta(days=21),
            topic_source="熱點：北屯區・公園綠地及遊憩設施",
            documents=[
                {"title": "臺中市共融遊戲場設計參考", "url": "https://www.taichung.gov.tw/"},
            ],
        )
        c = services.publish_consultation(c, actor=staff, today=c.opens_on)
        first = services.post_comment(
            c,
            actor=citizen,
            body="文心森林公園的遊戲場中午完全沒有遮蔭，溜滑梯燙到不能玩，希望優先加設遮陽棚或種樹。",
            question=3,
            display_name="北屯媽媽",
        )
        services.post_comment(
            c,
            actor=citizen2,
            body="同意，另外地墊破損的地方也很多，小朋友容易絆倒。",
            parent=first,
            display_name="大里爸爸",
        )
        services.post_comment(
            c,
            actor=citizen2,
            body="希望大里區的公園增加沙坑和親子廁所，推嬰兒車的家長也需要無障礙步道。",
            question=2,
            display_name="大里爸爸",
        )
        ad = services.post_comment(
            c, actor=citizen, body="團購進口遊具，價格優惠，歡迎洽詢。", display_name="北屯媽媽"
        )
        services.hide_comment(ad, actor=staff, ground=HidingGround.ADVERTISING, note="商業廣告")

    if not Consultation.objects.filter(slug="ibike-stations").exists():
        opens = today - datetime.timedelta(days=90)
        closes = today - datetime.timedelta(days=60)
        c = services.create_consultation(
            actor=officer,
            slug="ibike-stations",
            title="公共自行車 iBike 站點規劃",
            background=(
                "iBike 2.0 已在全市 29 區設站，交通局規劃下一年度新增約 100 站並調整使用率偏低的站點。"
                "請市民提出希望新設站點的位置，以及現有站點車輛與空位調度的問題。"
            ),
            questions=(
                "您希望在哪些地點新設 iBike 站點？\n現有站點有哪些借不到車或還不了車的情形？\n您對收費方式有什麼建議？"
            ),
            stage=Consultation.Stage.BEFORE,
            agency=Agency.objects.get(code="transportation"),
            opens_on=opens,
            closes_on=closes,
            topic_source="上升詞：iBike",
        )
        c = services.publish_consultation(c, actor=officer, today=opens)
        bodies = [
            (citizen, "騎車通勤族", 1, "希望在捷運綠線文心崇德站與四維國小站出口各設一站，方便轉乘。"),
            (citizen2, "逢甲學生", 2, "逢甲夜市站晚上十點後常常沒有空位可以還車，希望加派調度車。"),
            (citizen, "騎車通勤族", 3, "希望全面免費，鼓勵大家騎車。"),
            (citizen2, "逢甲學生", 1, "太平區的山區里別也希望有站點。"),
        ]
        made = []
        for n, (who, name, q, body) in enumerate(bodies):
            made.append(
                Comment.objects.create(
                    consultation=c,
                    author=who,
                    display_name=name,
                    question=q,
                    body=body,
                    created_at=timezone.make_aware(
                        datetime.datetime.combine(
                            opens + datetime.timedelta(days=3 + n), datetime.time(20, 15)
                        )
                    ),
                )
            )
        services.close_due_consultations()
        c.refresh_from_db()
        services.save_response_theme(
            c,
            actor=officer,
            title="捷運站出口新設站點",
            decision="adopted",
            reason="捷運綠線文心崇德站、四維國小站出口已列入明年新設站點，預計第二季完成。",
            comment_ids=[made[0].pk],
        )
        services.save_response_theme(
            c,
            actor=officer,
            title="熱門站點調度與擴充",
            decision="partly",
            reason="逢甲夜市站假日夜間加派調度車；擴充車柱受人行道寬度限制，改於鄰近福星路增設一站。",
            comment_ids=[made[1].pk, made[3].pk],
        )
        services.save_response_theme(
            c,
            actor=officer,
            title="全面免費",
            decision="not_adopted",
            reason="目前前 30 分鐘已由市府補助免費，全面免費將使營運經費每年增加逾億元，暫不採納。",
            comment_ids=[made[2].pk],
        )
        services.save_consultation_report(
            c,
            actor=officer,
            summary="本議題共收到 4 則意見，歸納為 3 項：新設站點、熱門站點調度、收費方式。",
            policy_changes="新增捷運綠線 2 處站點與福星路站，逢甲夜市站假日夜間加派調度車；收費維持現制。",
        )
        services.publish_consultation_report(c, actor=officer)
    if stdout is not None:
        stdout.write("participation: consultations 公園遊戲場改善 (open), iBike 站點規劃 (reported)\n")


# --- conversations (Pol.is): the vTaiwan UberX conversation ----------------------------------------


VTAIWAN_SLUG = "vtaiwan-uberx"
DEMO_SLUG = "taichung-ibike"
DEMO_STATEMENTS = [  # (statement, the opinion of each of the three planted groups: 1 agree, -1 disagree)
    ("公共自行車應維持前30分鐘免費。", (1, 1, 1)),
    ("站點應優先設在捷運站與公車轉運站旁。", (1, 1, 1)),
    ("為了財務永續，應該取消前30分鐘免費。", (-1, 1, -1)),
    ("應增加電動輔助自行車，方便上坡路段。", (1, -1, 1)),
    ("人行道上不應再設置自行車站點。", (-1, -1, 1)),
    ("市府應優先興建完整的自行車道路網。", (1, -1, 1)),
    ("公共自行車的預算應改用於公車路線。", (-1, 1, -1)),
    ("偏遠行政區也應設站，即使使用率較低。", (1, -1, -1)),
    ("租借應可直接使用電子票證，不需另外註冊。", (1, 1, 1)),
    ("應開放民間業者經營共享自行車。", (-1, 1, 1)),
    ("站點車輛調度應公開即時資料。", (1, 1, -1)),
    ("自行車道應與人行道實體分隔。", (1, -1, 1)),
]


def seed_conversations(stdout=None) -> None:
    """The vTaiwan UberX conversation (a real Pol.is export, CC BY 4.0, imported as `rdec import_polis`
    does) and a small open conversation with made-up votes, for citizens to vote on in the demo."""
    import random
    from pathlib import Path

    from rdec.participation.models import Conversation, Participant, Statement, Vote
    from rdec.participation.polis_import import POLIS_ATTRIBUTION, import_polis
    from rdec.participation.services.conversations import recompute_conversation

    if not Conversation.objects.filter(slug=VTAIWAN_SLUG).exists():
        result = import_polis(
            Path(__file__).resolve().parent / "data" / "polis-vtaiwan",
            slug=VTAIWAN_SLUG,
            title="UberX 自用車載客 — vTaiwan.tw",
            attribution=POLIS_ATTRIBUTION,
        )
        if stdout:
            stdout.write(
                f"conversations: vTaiwan UberX, {result.participants} participants, {result.votes} votes"
            )
    if Conversation.objects.filter(slug=DEMO_SLUG).exists():
        return
    conversation = Conversation.objects.create(
        slug=DEMO_SLUG,
        title="臺中公共自行車 iBike 的下一步",
        description=(
            "市府正檢討公共自行車的收費、站點與車種。請對每一則意見表示同意、不同意或略過，"
            "也可以提出新的意見（經審核後開放表態）。示範資料：表態為模擬產生。"
        ),
    )
    statements = [
        Statement.objects.create(
            conversation=conversation, text=text, moderated=Statement.Moderation.ACCEPTED
        )
        for text, _opinions in DEMO_STATEMENTS
    ]
    rng = random.Random(11)  # noqa: S311 - made-up demo votes
    participants = Participant.objects.bulk_create(
        [Participant(conversation=conversation, external_id=f"demo-{i + 1}") for i in range(90)]
    )
    votes = []
    for i, participant in enumerate(participants):
        group = i % 3
        for statement, (_text, opinions) in zip(statements, DEMO_STATEMENTS, strict=True):
            if rng.random() < 0.25:
                continue
            value = opinions[group]
            roll = rng.random()
            if roll < 0.08:
                value = 0
            elif roll < 0.15:
                value = -value
            votes.append(Vote(statement=statement, participant=participant, value=value))
    Vote.objects.bulk_create(votes)
    recompute_conversation(conversation)
    if stdout:
        stdout.write(f"conversations: {DEMO_SLUG}, {len(participants)} participants, {len(votes)} votes")
