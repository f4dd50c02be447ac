"""A revitalisation call, district offices' accounts and proposals for the tests (through the
services)."""

from __future__ import annotations

import datetime

from rdec.core.models import Agency, District, Role
from rdec.core.tests.factories import UserFactory
from rdec.programs import services_revitalisation as rv
from rdec.programs.tests.factories import DURING, TAX_IDS, make_call

CRITERIA = [
    {"code": "fit", "name": "地方特色與創生效益", "weight": 50},
    {"code": "feasibility", "name": "可行性", "weight": 50},
]
# Taichung's districts by their MOI TOWNCODE (rdec/core/data/taichung-districts.geojson)
DONGSHI, HEPING = "66000100", "66000290"


def district(code: str) -> District:
    return District.objects.get(code=code)


def office(code: str) -> Agency:
    return Agency.objects.get(level=Agency.Level.DISTRICT_OFFICE, district__code=code)


def office_user(code: str, username: str | None = None):
    return UserFactory(username=username or f"office-{code}", role=Role.AGENCY_STAFF, agency=office(code))


def revitalisation_call(officer, *, slug="revitalisation-2022", **kw):
    return make_call(
        officer,
        slug=slug,
        title=kw.pop("title", "111年地方創生事業提案"),
        programme="revitalisation",
        criteria=CRITERIA,
        tie_break="fit",
        **kw,
    )


REQUESTED = [
    {"ministry": "國家發展委員會", "amount": "12450000", "kind": "subsidy"},
    {"ministry": "交通部觀光署", "amount": "7230000", "kind": "investment"},
]


def file(call, actor, *, type="district_office", code=DONGSHI, at=DURING, with_office=True, **kw):
    values = {
        "title": "東勢山城客家慢遊創生",
        "vision": "以客庄產業與山城觀光帶回青年。",
        "proposers": ["東勢區公所", "山城文化創生有限公司"],
        "businesses": ["客庄小旅行", "柑橘加工品牌"],
        "partners": [{"kind": "csr", "name": "中部電力公司"}, {"kind": "usr", "name": "逢甲大學 USR 團隊"}],
        "requested": REQUESTED,
        "organisation": "臺中市東勢區公所",
        "tax_id": TAX_IDS[0],
    }
    values.update(kw)
    return rv.file_proposal(
        call,
        actor=actor,
        type=type,
        district=district(code),
        district_office=office(code) if type == "district_office" and with_office else None,
        now=at,
        **values,
    )


def approve(proposal, officer, *, lines=None, on=datetime.date(2023, 8, 10), decision="approved", reason=""):
    """Forward the proposal to the working meeting and record its approval with `lines`."""
    rv.screen_proposal(proposal, actor=officer, eligible=True)
    rv.decide_for_meeting(proposal, actor=officer, forward=True)
    return rv.record_meeting(
        proposal,
        actor=officer,
        meeting_date=on,
        decision=decision,
        reason=reason,
        approvals=lines
        if lines is not None
        else [
            {"ministry": "國家發展委員會", "amount": "12450000", "kind": "subsidy"},
            {"ministry": "國家發展委員會", "amount": "7230000", "kind": "investment"},
        ],
    )
