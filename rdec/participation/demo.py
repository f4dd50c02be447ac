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
    pass


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
