"""Fieldwork and target files of the research's worked examples (§3.7.3 and §3.7.4)."""

from __future__ import annotations

from rdec.polls import services

# §3.7.3: 12 completes, sex × age × region, y = (1,0,1,0,0,1,1,0,1,1,0,0) as Q1 (1 = yes, 2 = no)
TWELVE = [
    ("M", "20-39", "city", 1),
    ("M", "20-39", "other", 0),
    ("M", "40-59", "city", 1),
    ("M", "60+", "other", 0),
    ("M", "60+", "other", 0),
    ("F", "20-39", "city", 1),
    ("F", "40-59", "city", 1),
    ("F", "40-59", "other", 0),
    ("F", "40-59", "other", 1),
    ("F", "60+", "city", 1),
    ("F", "60+", "other", 0),
    ("F", "60+", "other", 0),
]
TWELVE_WEIGHTS = [
    1.379009,
    1.615608,
    1.189655,
    0.847864,
    0.847864,
    1.085384,
    0.936348,
    1.096999,
    1.096999,
    0.569605,
    0.667333,
    0.667333,
]


def twelve_csv(*, phone: bool = True, district: str = "") -> bytes:
    header = "case_id,frame,district,disposition,sex,age_band,region,Q1,Q2"
    if phone:
        header += ",tel"
    lines = [header]
    for i, (sex, age, region, y) in enumerate(TWELVE, start=1):
        row = f"C{i:02d},mobile,{district},1.1,{sex},{age},{region},{1 if y else 2},{1 + i % 3}"
        if phone:
            row += f",0912-345-{i:03d}"
        lines.append(row)
    # a refusal and a non-contact with no answers (they do not enter the weighting)
    lines.append("C13,landline,,2.11,M,60+,city,,")
    lines.append("C14,landline,,2.20,,,,,")
    if phone:
        lines[-2] += ",04-2228-9111"
        lines[-1] += ",0422289111"
    return ("\n".join(lines) + "\n").encode()


TWELVE_TARGETS_CSV = (
    "variable,category,share,vintage,source\n"
    "sex,M,0.49,115/09,內政部戶政司\n"
    "sex,F,0.51,115/09,內政部戶政司\n"
    "age_band,20-39,0.34,115/09,內政部戶政司\n"
    "age_band,40-59,0.36,115/09,內政部戶政司\n"
    "age_band,60+,0.30,115/09,內政部戶政司\n"
    "region,city,0.43,115/09,內政部戶政司\n"
    "region,other,0.57,115/09,內政部戶政司\n"
).encode()

# §3.7.4: the outcomerate example at the detailed AAPOR level
AAPOR_CODES = [
    "1.1",
    "1.2",
    "1.1",
    "2.20",
    "3.10",
    "1.1",
    "2.11",
    "4.10",
    "3.20",
    "3.90",
    "1.1",
    "2.30",
    "1.2",
    "1.1",
]


def aapor_csv() -> bytes:
    lines = ["case_id,disposition,sex,Q1"]
    for i, code in enumerate(AAPOR_CODES, start=1):
        answer = "1" if code in ("1.1", "1.2") else ""
        lines.append(f"A{i:02d},{code},{'M' if i % 2 else 'F'},{answer}")
    return ("\n".join(lines) + "\n").encode()


DISCLOSURE = {
    "disclosure_data_collection": "電話訪問（CATI），市話與手機雙底冊",
    "disclosure_sponsor": "臺中市政府研究發展考核委員會委託，○○民調公司執行",
    "disclosure_wording": "見問卷全文",
    "disclosure_population": "設籍本市年滿18歲市民",
    "disclosure_sample": "市話RDD末二碼隨機，手機隨機撥號",
    "disclosure_modes": "電話訪問",
    "disclosure_dates": "115年10月1日至10月5日",
    "disclosure_sample_sizes": "市話 534 份、手機 534 份；最大抽樣誤差 ±3.0%",
    "disclosure_weighting": "依性別、年齡、行政區、教育程度多變數反覆比例加權",
    "disclosure_processing": "複查10%樣本，邏輯檢查",
    "disclosure_limitations": "未涵蓋無電話者",
}


def make_twelve(officer, slug="twelve", **kw):
    result = services.import_responses(
        slug, twelve_csv(**kw), "fieldwork.csv", actor=officer, create=True, title="十二人範例"
    )
    services.load_targets(result.survey, TWELVE_TARGETS_CSV, "targets.csv", actor=officer)
    return result.survey
