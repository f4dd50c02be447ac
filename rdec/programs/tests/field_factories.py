"""A field-validation call, needs, fields, proposals and validations for the tests (through the
services)."""

from __future__ import annotations

import datetime

from rdec.programs import services, services_fields
from rdec.programs.tests.factories import CLOSES, DURING, OPENS, TAX_IDS, make_call

FIELD_CRITERIA = [
    {"code": "feasibility", "name": "可行性", "weight": 40},
    {"code": "innovation", "name": "創新性", "weight": 30},
    {"code": "landing", "name": "落地潛力", "weight": 30},
]
THEMES = ["智慧交通", "智慧環境", "智慧安防", "智慧生活", "智慧經濟", "智慧教育"]


def field_call(officer, *, slug="field-2022", **kw):
    return make_call(
        officer,
        slug=slug,
        title=kw.pop("title", "111年場域驗證與服務合作計畫"),
        programme="field_validation",
        criteria=FIELD_CRITERIA,
        tie_break="landing",
        themes=kw.pop("themes", THEMES),
        **kw,
    )


def need(actor, agency, *, title="水湳智慧路口車流偵測", year=2022):
    return services_fields.post_need(
        actor=actor,
        agency=agency,
        title=title,
        description="尖峰時段路口壅塞，需即時車流資料。",
        survey_year=year,
    )


def field(actor, agency, *, name="水湳經貿園區智慧路口", published=True, **kw):
    values = {
        "latitude": "24.178693",
        "longitude": "120.647350",
        "address": "臺中市西屯區經貿路一段",
        "available_from": datetime.date(2022, 7, 1),
        "available_until": datetime.date(2023, 6, 30),
        "data_offered": "路口號誌時制、CCTV 影像",
        "infrastructure_offered": "路側電力與光纖",
        "constraints": "施工須避開上下班尖峰",
    }
    values.update(kw)
    return services_fields.post_field(actor=actor, agency=agency, name=name, published=published, **values)


def draft(call, actor, *, need=None, theme="", at=DURING, title="AI 路口車流偵測"):
    return services_fields.save_proposal(
        call,
        actor=actor,
        title=title,
        solution="以邊緣運算攝影機即時計算車流與排隊長度。",
        technology="AI 影像辨識、邊緣運算",
        kpis=[{"name": "車流辨識準確率", "target": "95", "unit": "%"}],
        budget="1200000",
        funding="subsidised",
        privacy_security_plan="影像於邊緣端去識別化，不留存原始影像。",
        need=need,
        theme=theme if need is None else "",
        now=at,
    )


def propose(call, actor, reference, *, need=None, theme="智慧交通", at=DURING, tax_id=None):
    proposal = draft(call, actor, need=need, theme=theme, at=at)
    services_fields.submit_proposal(
        proposal,
        actor=actor,
        reference=reference,
        organisation="臺中智慧科技股份有限公司",
        tax_id=tax_id or TAX_IDS[0],
        now=at,
    )
    proposal.refresh_from_db()
    return proposal


def validating(officer, proposal, site, *, starts_on=datetime.date(2022, 8, 1)):
    """Select the proposal, match it to the field and start a validation."""
    services.decide_submission(proposal.submission, actor=officer, selected=True)
    proposal.refresh_from_db()
    match = services_fields.match_proposal(proposal, site, actor=officer, agreed_on=starts_on)
    return services_fields.start_validation(match, actor=officer, starts_on=starts_on)


__all__ = ["CLOSES", "OPENS", "DURING"]
