"""Calls, submissions and reviews for the engine's tests (through the services)."""

from __future__ import annotations

import datetime
import zoneinfo

from rdec.core.models import Role
from rdec.core.tests.factories import UserFactory
from rdec.programs import services

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
OPENS = datetime.datetime(2022, 4, 30, 0, 0, tzinfo=TAIPEI)
CLOSES = datetime.datetime(2022, 5, 29, 23, 59, 59, tzinfo=TAIPEI)
DURING = datetime.datetime(2022, 5, 10, 10, 0, tzinfo=TAIPEI)
# the 勞動力發展署 rubric of the research (§2.2): 10/30/30/30
CRITERIA = [
    {"code": "structure", "name": "結構與文字", "weight": 10},
    {"code": "method", "name": "架構及方法", "weight": 30},
    {"code": "analysis", "name": "問題分析與發現", "weight": 30},
    {"code": "conclusions", "name": "結論及建議", "weight": 30},
]
TAX_IDS = ["04595257", "22099131", "10458575", "10000004", "10000009", "10000010", "10000015", "10000021"]


def make_call(officer, *, slug="innovation-2022", criteria=None, tie_break="method", **kw):
    return services.create_call(
        actor=officer,
        slug=slug,
        title=kw.pop("title", "111年簡政創新評選"),
        programme=kw.pop("programme", "innovation"),
        opens=kw.pop("opens", OPENS),
        closes=kw.pop("closes", CLOSES),
        criteria=criteria or CRITERIA,
        tie_break=tie_break,
        **kw,
    )


def submit(call, actor, reference, *, at=DURING, tax_id=None):
    return services.submit_to_call(
        call,
        actor=actor,
        reference=reference,
        title=f"提案 {reference}",
        organisation="臺中智慧科技股份有限公司",
        tax_id=tax_id or TAX_IDS[0],
        now=at,
    )


def reviewer(username):
    return UserFactory(username=username, role=Role.AGENCY_STAFF)


def review(submission, officer, person, scores, *, conflict=False, round_kind="written"):
    assignment = services.assign_reviewer(submission, actor=officer, reviewer=person, round_kind=round_kind)
    return services.score_submission(assignment, actor=person, scores=scores, conflict=conflict)


def flat(score):
    """The same score on every criterion (the total is that score)."""
    return {c["code"]: score for c in CRITERIA}
