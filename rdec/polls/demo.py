"""Demo content of 民意調查 (`rdec demo` calls `seed(stdout)`): two published waves of a city
satisfaction poll, 115年第1次 and 第2次臺中市市政滿意度調查.

Each wave is made from the shipped population table (rdec/polls/data, 內政部戶政司 115/09) with a
seeded random generator, so the demo is the same at every start: the completes are drawn from the
adult population by district × age band × sex with a plausible non-response bias (older people and
women answer more, the young less, the mountain district 和平區 is under-covered), and the
non-interviews carry realistic AAPOR detailed dispositions of a dual-frame CATI poll. Both waves go
through the real services: questionnaire with two filtered questions, fieldwork import, targets with
vintage and source, raking (sex, age band, district), the eleven disclosure items, publication.
The second wave re-words one question (air quality), which the wave comparison flags."""

from __future__ import annotations

import datetime

import numpy as np
from django.utils.translation import gettext as _

from rdec.polls import formulas
from rdec.polls.population import VINTAGE, districts

SERIES = "臺中市市政滿意度調查"
SLUGS = ("satisfaction-115-1", "satisfaction-115-2")
SEED = 115

AGE_BANDS = ("18-24", "25-44", "45-64", "65+")
SEXES = ("男", "女")
# Share of women by age band among registered adults: a demo assumption (the shipped table has no sex
# split; 內政部 ODRP014 has it), close to Taiwan's pattern of more women among the old.
FEMALE_SHARE = {"18-24": 0.48, "25-44": 0.50, "45-64": 0.51, "65+": 0.55}
EDUCATION = ("國中及以下", "高中職", "專科", "大學", "研究所及以上")
EDUCATION_BY_AGE = {
    "18-24": (0.02, 0.28, 0.03, 0.60, 0.07),
    "25-44": (0.04, 0.22, 0.10, 0.49, 0.15),
    "45-64": (0.18, 0.38, 0.16, 0.22, 0.06),
    "65+": (0.52, 0.25, 0.09, 0.11, 0.03),
}
# relative chances of completing an interview (the non-response bias the weighting corrects)
AGE_PROPENSITY = {"18-24": 0.55, "25-44": 0.75, "45-64": 1.05, "65+": 1.45}
SEX_PROPENSITY = {"男": 1.0, "女": 1.3}
DISTRICT_PROPENSITY = {"和平區": 0.45, "新社區": 0.8, "石岡區": 0.85, "東勢區": 0.85}

SATISFACTION = {"1": "非常滿意", "2": "還算滿意", "3": "不太滿意", "4": "非常不滿意", "9": "無意見／不知道"}
YES_NO = {"1": "有", "2": "沒有"}
# code, wording, options, filter, share satisfied (wave 1, wave 2), "don't know" share
QUESTIONS = [
    (
        "Q1",
        "整體而言，請問您對臺中市政府最近一年來的施政表現滿不滿意？",
        SATISFACTION,
        None,
        (0.62, 0.64),
        0.08,
    ),
    (
        "Q2",
        "請問您對臺中市的交通建設，例如捷運、公車、道路，滿不滿意？",
        SATISFACTION,
        None,
        (0.50, 0.57),
        0.06,
    ),
    ("Q3", "請問您最近三個月內，有沒有搭過臺中市的市區公車？", YES_NO, None, (0.42, 0.44), 0.0),
    (
        "Q4",
        "請問您對臺中市公車的服務，包括班次、準點和司機的服務態度，滿不滿意？",
        SATISFACTION,
        ("Q3", ["1"]),
        (0.66, 0.68),
        0.04,
    ),
    ("Q5", "請問您對您居住地區的治安滿不滿意？", SATISFACTION, None, (0.70, 0.69), 0.05),
    ("Q6", "請問您對臺中市的空氣品質滿不滿意？", SATISFACTION, None, (0.38, 0.45), 0.05),
    (
        "Q7",
        "請問您對住家附近的環境清潔，例如垃圾清運、街道整潔，滿不滿意？",
        SATISFACTION,
        None,
        (0.74, 0.75),
        0.03,
    ),
    ("Q8", "請問您最近一年內，有沒有打過1999臺中市民當家熱線？", YES_NO, None, (0.18, 0.19), 0.0),
    (
        "Q9",
        "請問您對1999臺中市民當家熱線的服務滿不滿意？",
        SATISFACTION,
        ("Q8", ["1"]),
        (0.71, 0.76),
        0.03,
    ),
    (
        "Q10",
        "請問您對臺中市的社會福利，例如敬老愛心卡、育兒津貼，滿不滿意？",
        SATISFACTION,
        None,
        (0.68, 0.69),
        0.10,
    ),
    ("Q11", "請問您對臺中市的公園綠地和休閒設施滿不滿意？", SATISFACTION, None, (0.72, 0.73), 0.05),
    (
        "Q12",
        "整體而言，請問您覺得臺中市適不適合居住？",
        {"1": "非常適合", "2": "還算適合", "3": "不太適合", "4": "非常不適合", "9": "無意見／不知道"},
        None,
        (0.84, 0.85),
        0.03,
    ),
    (
        "Q13",
        "請問您覺得臺中市政府未來一年最應該優先改善的是哪一項？",
        {
            "1": "交通",
            "2": "治安",
            "3": "空氣品質",
            "4": "經濟與就業",
            "5": "社會福利",
            "6": "其他",
            "9": "不知道",
        },
        None,
        None,
        0.0,
    ),
]
# the second wave asks Q6 in other words: the comparison flags it as not comparable
REWORDED = {"Q6": "請問您對臺中市的空氣品質和空氣污染防制工作滿不滿意？"}
PRIORITIES = (0.34, 0.12, 0.22, 0.20, 0.07, 0.03, 0.02)

# the non-interviews of a dual-frame CATI poll: detailed AAPOR code → cases (wave 1)
DISPOSITIONS = {
    "1.2": 18,  # partial: broke off after Q5
    "2.111": 820,  # household-level refusal
    "2.112": 260,  # known-respondent refusal
    "2.12": 60,  # break-off before the partial threshold
    "2.21": 110,  # respondent never available
    "2.22": 90,  # message left on a known household's machine
    "2.32": 25,  # physically or mentally unable
    "2.33": 15,  # language problem
    "3.12": 150,  # always busy
    "3.13": 900,  # no answer
    "3.14": 220,  # answering machine, unknown if household
    "3.15": 20,  # call blocking
    "3.16": 60,  # technical phone problems
    "3.20": 120,  # household reached, eligible respondent unknown (screener not completed)
    "3.90": 15,  # other unknown
    "4.20": 40,  # fax or data line
    "4.30": 620,  # non-working or disconnected number
    "4.51": 130,  # business or government number
    "4.70": 190,  # no eligible respondent (not registered in the city, under 18)
}
COMPLETES = (1074, 1081)
FIELD_DATES = (
    (datetime.date(2026, 3, 9), datetime.date(2026, 3, 13)),
    (datetime.date(2026, 9, 7), datetime.date(2026, 9, 11)),
)


def adult_population() -> dict[tuple[str, str, str], float]:
    """Registered adults by (district, age band, sex) from the shipped table: 18–24 taken as 7/10 of
    the 15–24 band, the sex split by FEMALE_SHARE."""
    cells = {}
    for row in districts():
        bands = {
            "18-24": 0.7 * row["age_15_24"],
            "25-44": row["age_25_44"],
            "45-64": row["age_45_64"],
            "65+": row["age_65_plus"],
        }
        for band, people in bands.items():
            women = FEMALE_SHARE[band]
            cells[(row["district"], band, "女")] = people * women
            cells[(row["district"], band, "男")] = people * (1 - women)
    return cells


def targets_csv() -> bytes:
    cells = adult_population()
    total = sum(cells.values())
    shares: dict[tuple[str, str], float] = {}
    for (district, band, sex), people in cells.items():
        for key in (("sex", sex), ("age_band", band), ("district", district)):
            shares[key] = shares.get(key, 0.0) + people / total
    age_source = "內政部戶政司 ODRP014（115年9月），18–24歲以15–24歲之十分之七估計"
    sources = {
        "sex": "示範假設：各年齡層女性比例（內政部戶政司 ODRP014 可取得實際值）",
        "age_band": age_source,
        "district": "內政部戶政司 ODRP014（115年9月）年滿18歲人口",
    }
    lines = ["variable,category,share,vintage,source"]
    for (variable, category), share in shares.items():
        lines.append(f"{variable},{category},{share:.10f},{VINTAGE},{sources[variable]}")
    return ("\n".join(lines) + "\n").encode()


def _answers(rng, respondents: list[tuple[str, str, str]], wave: int) -> list[dict[str, str]]:
    """Answers by a simple model: the old are more satisfied and answer 「不知道」 more often, the young
    less satisfied; the second wave's shares move as QUESTIONS says."""
    n = len(respondents)
    age_shift = {"18-24": -0.12, "25-44": -0.05, "45-64": 0.03, "65+": 0.10}
    dk_factor = {"18-24": 0.6, "25-44": 0.8, "45-64": 1.0, "65+": 1.8}
    shift = np.array([age_shift[a] for _d, a, _s in respondents])
    dk_scale = np.array([dk_factor[a] for _d, a, _s in respondents])
    out: list[dict[str, str]] = [{} for _i in range(n)]
    for code, _wording, options, condition, satisfied, dont_know in QUESTIONS:
        u = rng.random(n)
        if code == "Q13":
            values = np.array(list(options))[np.searchsorted(np.cumsum(PRIORITIES), u * 0.999999)]
        elif options is YES_NO:
            p_yes = np.clip(satisfied[wave] + (0.05 if code == "Q3" else 0.0) - shift * 0.3, 0.02, 0.98)
            values = np.where(u < p_yes, "1", "2")
        else:
            dk = np.clip(dont_know * dk_scale, 0, 0.3)
            positive = np.clip(satisfied[wave] + shift, 0.05, 0.95) * (1 - dk)
            edges = np.stack(
                [positive * 0.3, positive, positive + (1 - dk - positive) * 0.65, 1 - dk], axis=1
            )
            values = np.array(["1", "2", "3", "4", "9"])[(u[:, None] >= edges).sum(axis=1)]
        missing = rng.random(n) < (0.015 if code == "Q9" else 0.0)  # item nonresponse
        for i in range(n):
            if condition is not None and out[i].get(condition[0]) not in condition[1]:
                continue
            if not missing[i]:
                out[i][code] = str(values[i])
    return out


def fieldwork_csv(wave: int) -> bytes:
    """The wave's fieldwork file (0: 第1次, 1: 第2次): completes, one partial group and the other
    non-interviews, in the shape `rdec import_poll_responses` reads."""
    rng = np.random.default_rng(SEED + wave)
    cells = adult_population()
    n = COMPLETES[wave]
    partial = DISPOSITIONS["1.2"]
    # completes by district: the proportional allocation, thinned where coverage is poor (和平區 gets
    # about half its share, at least 2), then within each district by age × sex with the response bias
    adults: dict[str, float] = {}
    for (district, _band, _sex), people in cells.items():
        adults[district] = adults.get(district, 0.0) + people * DISTRICT_PROPENSITY.get(district, 1.0)
    quotas = formulas.allocate(adults, n + partial, floor=2)
    respondents = []
    for district, quota in quotas.items():
        keys = [k for k in cells if k[0] == district]
        weight = np.array([cells[k] * AGE_PROPENSITY[k[1]] * SEX_PROPENSITY[k[2]] for k in keys])
        drawn = rng.choice(len(keys), size=quota, p=weight / weight.sum())
        respondents.extend(keys[i] for i in drawn)
    order = rng.permutation(len(respondents))
    respondents = [respondents[i] for i in order]
    answers = _answers(rng, respondents, wave)
    education = [
        EDUCATION[rng.choice(len(EDUCATION), p=EDUCATION_BY_AGE[band])] for _d, band, _s in respondents
    ]
    header = "case_id,frame,district,disposition,sex,age_band,education," + ",".join(q[0] for q in QUESTIONS)
    lines = [header]
    codes = [q[0] for q in QUESTIONS]
    prefix = f"115{wave + 1}"
    number = 0
    for i, (district, band, sex) in enumerate(respondents):
        number += 1
        frame = "landline" if rng.random() < 0.65 else "mobile"
        disposition = "1.1" if i < n else "1.2"
        given = answers[i]
        if disposition == "1.2":  # broke off after Q5
            given = {k: v for k, v in given.items() if codes.index(k) < 5}
        row = [f"{prefix}-{number:05d}", frame, district, disposition, sex, band, education[i]]
        lines.append(",".join(row + [given.get(c, "") for c in codes]))
    empty = "," * len(codes)
    scale = 1.0 + 0.04 * wave
    for code, count in DISPOSITIONS.items():
        if code == "1.2":
            continue
        for _k in range(int(round(count * scale * rng.uniform(0.95, 1.05)))):
            number += 1
            frame = "landline" if rng.random() < 0.65 else "mobile"
            lines.append(f"{prefix}-{number:05d},{frame},,{code},,,{empty}")
    return ("\n".join(lines) + "\n").encode()


def _disclosure(wave: int, completes: int, run, rates: dict) -> dict:
    start, end = FIELD_DATES[wave]
    roc = f"{start.year - 1911}年{start.month}月{start.day}日至{end.month}月{end.day}日"
    return {
        "disclosure_data_collection": "電腦輔助電話訪問（CATI），市話與手機雙底冊；每一號碼至少撥打3次。",
        "disclosure_sponsor": "臺中市政府研究發展考核委員會委託並出資，示範民意調查股份有限公司執行（示範資料）。",
        "disclosure_wording": "各題完整題目與選項見本頁問卷；訪問開場說明調查單位與目的，未提示任何機關或人物立場。",
        "disclosure_population": "設籍臺中市、年滿18歲之市民。",
        "disclosure_sample": (
            "市話以中華電信住宅電話號碼簿為底冊，末二碼隨機撥號；手機依國家通訊傳播委員會核配字首隨機產生。"
            "未涵蓋無電話者；山地行政區（和平區）涵蓋不足，已以加權調整。"
        ),
        "disclosure_modes": "電話訪問（市話、手機）。",
        "disclosure_dates": roc,
        "disclosure_sample_sizes": (
            f"有效樣本{completes}份（市話約65%、手機約35%）；以95%信心水準估計，最大抽樣誤差約為正負3個百分點，"
            f"考慮加權設計效果 {run.deff:.3f}（有效樣本數 {run.n_eff:.0f}）為正負"
            f"{100 * 1.959964 * (run.deff * 0.25 / completes) ** 0.5:.2f}個百分點。"
            f"AAPOR RR3 = {100 * rates['RR3']:.1f}%（e 依已知合格率估計）。"
        ),
        "disclosure_weighting": (
            "依行政區母體比例之設計權數，再以性別、年齡、行政區進行多變數反覆比例加權，"
            f"母體資料為內政部戶政司 {VINTAGE} 人口統計。"
        ),
        "disclosure_processing": "訪問過程全程錄音並抽查10%樣本複核；資料經邏輯與跳題檢查，不保留電話號碼。",
        "disclosure_limitations": (
            "電話調查未涵蓋無電話者；性別母體比例為示範假設；各題「無意見／不知道」列入百分比分母。"
        ),
    }


def seed(stdout=None, **kwargs) -> int:
    """Make the two published waves; returns how many polls were made (0 when they exist)."""
    from rdec.core.context import acting_as
    from rdec.core.models import Agency, User
    from rdec.polls.models import Survey

    if Survey.objects.filter(slug__in=SLUGS).exists():
        return 0
    officer = User.objects.filter(username="rdec").first()
    if officer is None:
        return 0
    sponsor = Agency.objects.filter(code="rdec").first()
    targets = targets_csv()
    with acting_as(officer):
        for wave, slug in enumerate(SLUGS):
            _make_wave(wave, slug, officer, sponsor, targets)
    if stdout is not None:
        stdout.write(_("%(count)s opinion polls published.") % {"count": len(SLUGS)})
    return len(SLUGS)


def _make_wave(wave: int, slug: str, officer, sponsor, targets: bytes) -> None:
    from rdec.polls import selectors, services

    start, end = FIELD_DATES[wave]
    questions = [
        {
            "code": code,
            "wording": REWORDED.get(code, wording) if wave else wording,
            "options": options,
            "filter": {"question": condition[0], "codes": condition[1]} if condition else None,
        }
        for code, wording, options, condition, _satisfied, _dk in QUESTIONS
    ]
    survey = services.create_survey(
        actor=officer,
        slug=slug,
        title=f"115年第{wave + 1}次{SERIES}",
        questions=questions,
        purpose="了解市民對市政各面向的滿意度，作為施政參考。",
        sponsor=sponsor,
        contractor="示範民意調查股份有限公司（示範資料）",
        procurement=f"示範標案 115-RDEC-POLL-{wave + 1:02d}",
        target_population="設籍本市年滿18歲",
        frames="市話隨機撥號、手機",
        modes="電腦輔助電話訪問（CATI）",
        field_start=start,
        field_end=end,
        series=SERIES,
        wave=wave + 1,
    )
    result = services.import_responses(slug, fieldwork_csv(wave), f"{slug}.csv", actor=officer)
    services.load_targets(survey, targets, "targets.csv", actor=officer)
    run = services.weight_survey(survey, actor=officer)
    survey.refresh_from_db()
    rates = selectors.response_rates(survey)
    services.update_survey(survey, actor=officer, **_disclosure(wave, result.completes, run, rates))
    services.mark_reported(survey, actor=officer)
    services.publish_survey(survey, actor=officer)
