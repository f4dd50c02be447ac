"""A published poll in the open data catalog (issue 19, item 5; research §3.6): one dataset per poll
(rdec.opendata), with two UTF-8 CSV resources, each with its Table Schema:

1. the de-identified microdata: one row per complete interview, numbered 1…n in an order that owes
   nothing to the fieldwork file (so no row leads back to a case id), with frame, sex, age band (an
   exact age in the file is turned into a ten-year band), education, district, the answers of the
   closed questions and the weight. A district with fewer completes than
   RDEC_POLLS_MICRODATA_MIN_DISTRICT (k, default 30) is merged into 「其他行政區（合併）」 together with
   the other small ones; when that group itself is under k or holds one district only, the next
   smallest districts join it. No case id, no phone-like or other weighting column, no free text
   (a question enters only when every answer is one of its option codes), and the non-completes'
   dispositions are not in it.
2. the frequency tables: per closed question and option the unweighted n, weighted % and its 95 %
   confidence interval, the same numbers as the results API (selectors.question_results), rounded
   to 4 decimals.

`publish_survey_data(survey)` is the background job queued when a poll is published (or published
again after a correction, tasks.publish_open_data): the first run makes the dataset, later runs
update its metadata and give each resource a new version when its content changed — never a second
dataset. It acts as the platform's service account `system.polls` (role SYSTEM, of the RDEC), as the
transparency registers' job does, so the catalog's audit trail names who published.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rdec.core.context import acting_as
from rdec.core.models import Agency, Role, User
from rdec.core.spreadsheets import to_csv
from rdec.polls import selectors
from rdec.polls.models import Case, Question, Survey

SERVICE_USERNAME = "system.polls"
RDEC_AGENCY_CODE = "rdec"
MERGED_DISTRICT = "其他行政區（合併）"
LICENCE = "ogdl-tw-1.0"  # 政府資料開放授權條款第1版 (rdec.opendata.vocab.License.OGDL_TW)
EXACT_AGE = re.compile(r"^\d{1,3}$")
FIELD_TEXT = re.compile(r"[()（）、,，\s]+")  # what 主要欄位說明 cannot hold inside an item

MICRODATA_FIXED = [
    ("seq", "序號", "integer", "1起之流水號，與原始樣本編號無關"),
    ("frame", "抽樣底冊", "string", "市話或手機等"),
    ("sex", "性別", "string", "受訪者性別"),
    ("age_band", "年齡組", "string", "年齡分組，不含確切年齡"),
    ("education", "教育程度", "string", "受訪者教育程度"),
    ("district", "行政區", "string", "完成數少於門檻之行政區併為其他行政區合併"),
]
FREQUENCY_FIELDS = [
    ("question", "題號", "string", "題目代碼"),
    ("wording", "題目", "string", "題目文字"),
    ("code", "選項代碼", "string", "答案代碼"),
    ("label", "選項", "string", "答案標籤"),
    ("n", "未加權樣本數", "integer", "選此答案之完成訪問數"),
    ("weighted_pct", "加權百分比", "number", "加權後百分比0至100"),
    ("ci_low", "信賴區間下限", "number", "95%信賴區間下限百分比"),
    ("ci_high", "信賴區間上限", "number", "95%信賴區間上限百分比"),
]


def min_district_size() -> int:
    return int(getattr(settings, "RDEC_POLLS_MICRODATA_MIN_DISTRICT", 30))


def _clean_text(text: str, limit: int = 60) -> str:
    return FIELD_TEXT.sub(" ", str(text or "")).strip()[:limit] or "—"


def age_band(value: str) -> str:
    """The case's age band; an exact age (digits only) becomes its ten-year band, never itself."""
    text = str(value or "").strip()
    if not EXACT_AGE.match(text):
        return text
    age = int(text)
    if age < 20:
        return "未滿20"
    if age >= 70:
        return "70+"
    low = age // 10 * 10
    return f"{low}-{low + 9}"


def merged_districts(counts: dict[str, int], k: int) -> set[str]:
    """The districts merged into MERGED_DISTRICT: every one with fewer than k completes; while that
    group holds fewer than k completes or a single district, the next smallest district joins it."""
    named = {d: n for d, n in counts.items() if d}
    order = sorted(named, key=lambda d: (named[d], d))
    merged = [d for d in order if named[d] < k]
    if not merged:
        return set()
    rest = [d for d in order if d not in merged]
    while rest and (sum(named[d] for d in merged) < k or len(merged) < 2):
        merged.append(rest.pop(0))
    return set(merged)


def closed_questions(survey: Survey, completes: list[Case]) -> list[Question]:
    """The questions whose every answer is one of their option codes (free text never leaves)."""
    found = []
    for question in survey.questions.all():
        options = {str(code) for code in (question.options or {})}
        if not options:
            continue
        answers = {str(c.answers.get(question.code, "")) for c in completes} - {""}
        if answers <= options:
            found.append(question)
    return found


def _completes(survey: Survey) -> list[Case]:
    return list(survey.cases.filter(outcome="I").order_by("pk"))


def microdata(survey: Survey, *, k: int | None = None) -> tuple[list[str], list[list], dict]:
    """(headers, rows, facts) of the de-identified microdata; facts: {"k", "merged", "questions"}."""
    k = min_district_size() if k is None else k
    completes = _completes(survey)
    questions = closed_questions(survey, completes)
    merged = merged_districts(Counter(c.district for c in completes), k)
    rows = []
    for case in completes:
        district = MERGED_DISTRICT if case.district in merged else case.district
        answers = [str(case.answers.get(q.code, "")) for q in questions]
        weight = round(case.weight, 6) if case.weight is not None else None
        rows.append(
            [case.frame, case.sex, age_band(case.age_band), case.education, district, *answers, weight]
        )
    # an order of the values themselves, so that the sequence number tells nothing of the file's order
    rows.sort(key=lambda r: tuple("" if v is None else str(v) for v in r))
    headers = [name for name, *_rest in MICRODATA_FIXED] + [q.code for q in questions] + ["weight"]
    numbered = [[i, *row] for i, row in enumerate(rows, start=1)]
    return headers, numbered, {"k": k, "merged": sorted(merged), "questions": [q.code for q in questions]}


def microdata_csv(survey: Survey, *, k: int | None = None) -> bytes:
    headers, rows, _facts = microdata(survey, k=k)
    return to_csv(headers, rows)


def _pct(value):
    return None if value is None else round(value, 4)


def frequency_rows(survey: Survey) -> list[list]:
    completes = _completes(survey)
    rows = []
    for question in closed_questions(survey, completes):
        result = selectors.question_results(survey, question, cases=completes)
        for option in result["options"]:
            rows.append(
                [
                    question.code,
                    question.wording,
                    option["code"],
                    option["label"],
                    option["n"],
                    _pct(option["weighted_pct"]),
                    _pct(option["ci_low"]),
                    _pct(option["ci_high"]),
                ]
            )
    return rows


def frequencies_csv(survey: Survey) -> bytes:
    return to_csv([name for name, *_rest in FREQUENCY_FIELDS], frequency_rows(survey))


def _field(name, title, kind, description, **constraints) -> dict:
    field = {"name": name, "title": title, "type": kind, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def microdata_schema(survey: Survey, questions: list[str]) -> dict:
    by_code = {q.code: q for q in survey.questions.filter(code__in=questions)}
    fields = [
        _field(name, title, kind, text, **({"required": True, "minimum": 1} if name == "seq" else {}))
        for name, title, kind, text in MICRODATA_FIXED
    ]
    for code in questions:
        question = by_code[code]
        fields.append(
            _field(code, code, "string", question.wording or code, enum=[str(c) for c in question.options])
        )
    fields.append(_field("weight", "權數", "number", "加權後權數，完成訪問平均為1", minimum=0))
    return {"fields": fields, "missingValues": [""], "primaryKey": ["seq"]}


def frequency_schema() -> dict:
    fields = []
    for name, title, kind, text in FREQUENCY_FIELDS:
        constraints = {}
        if name == "n":
            constraints = {"required": True, "minimum": 0}
        elif kind == "number":
            constraints = {"minimum": 0, "maximum": 100}
        fields.append(_field(name, title, kind, text, **constraints))
    return {"fields": fields, "missingValues": [""]}


def _field_description(headers: list[str], survey: Survey) -> str:
    known = {name: (title, text) for name, title, _kind, text in (*MICRODATA_FIXED, *FREQUENCY_FIELDS)}
    wording = {q.code: q.wording for q in survey.questions.all()}
    items = []
    for name in headers:
        if name in known:
            title, text = known[name]
        elif name == "weight":
            title, text = "權數", "加權後權數"
        else:
            title, text = f"第{name}題答案代碼", _clean_text(wording.get(name) or name)
        items.append(f"{name}({title}, {text})")
    return "、".join(items)


def poll_url(survey: Survey) -> str:
    return settings.SITE_URL + reverse("polls:survey-detail", args=[survey.pk])


def _roc(date) -> str:
    return f"{date.year - 1911}年{date.month}月{date.day}日" if date else "—"


def _description(survey: Survey, facts: dict) -> str:
    sponsor = survey.sponsor.name if survey.sponsor_id else "臺中市政府研究發展考核委員會"
    merged = "、".join(facts["merged"]) or "無"
    return (
        f"民意調查「{survey.title}」之去識別化個別資料與次數分配表。委託機關：{sponsor}；"
        f"執行單位：{survey.contractor or '—'}；訪問期間：{_roc(survey.field_start)}至{_roc(survey.field_end)}；"
        f"調查結果與AAPOR揭露事項：{poll_url(survey)}。"
        f"個別資料每列為一份完成訪問，序號與原始樣本編號無關，年齡僅列年齡組，不含電話、開放題文字及未完成訪問之結果代碼；"
        f"完成數少於{facts['k']}份之行政區併為「{MERGED_DISTRICT}」（本次：{merged}）。"
    )


def _dataset_name(survey: Survey) -> str:
    from rdec.opendata.models import Dataset

    base = re.sub(r"[^a-z0-9_-]+", "-", f"poll-{survey.slug}".lower()).strip("-")[:90]
    name = base
    if Dataset.objects.filter(name=name).exists():
        name = f"{base}-{survey.pk}"
    return name


def service_user() -> User:
    """The platform's service account that publishes the polls' datasets (made on first use)."""
    agency = Agency.objects.get(code=RDEC_AGENCY_CODE)
    user, created = User.objects.get_or_create(
        username=SERVICE_USERNAME,
        defaults={"role": Role.SYSTEM, "agency": agency, "display_name": str(_("Opinion polls"))},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@transaction.atomic
def publish_survey_data(survey: Survey, *, actor) -> str:
    """The poll's dataset and its two resources, made or brought up to date. Returns "created",
    "updated" or "unchanged". A poll that is not published is never sent (returns "skipped")."""
    from rdec.opendata import services as catalog
    from rdec.opendata.models import Dataset

    survey = Survey.objects.select_for_update().get(pk=survey.pk)  # no join: FOR UPDATE refuses an outer join
    if survey.status != Survey.Status.PUBLISHED:
        return "skipped"
    headers, rows, facts = microdata(survey)
    micro = to_csv(headers, rows)
    freq = frequencies_csv(survey)
    micro_fields = _field_description(headers, survey)
    freq_fields = _field_description([name for name, *_rest in FREQUENCY_FIELDS], survey)
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", survey.slug)
    resources = [
        (
            f"{survey.title[:200]}：去識別化個別資料（CSV）",
            _upload(f"poll-{slug}-microdata.csv", micro),
            micro,
            micro_fields,
            microdata_schema(survey, facts["questions"]),
        ),
        (
            f"{survey.title[:200]}：次數分配表（CSV）",
            _upload(f"poll-{slug}-frequencies.csv", freq),
            freq,
            freq_fields,
            frequency_schema(),
        ),
    ]
    metadata = {
        "title": f"民意調查：{survey.title}"[:200],
        "description": _description(survey, facts),
        "field_description": micro_fields,
        "license": LICENCE,
        "landing_page": poll_url(survey),
        "temporal_from": survey.field_start,
        "temporal_to": survey.field_end,
        "spatial": "臺中市",
        "number_of_data": len(rows),
        "remarks": "個別資料之行政區合併門檻k依平臺設定RDEC_POLLS_MICRODATA_MIN_DISTRICT。",
    }
    dataset = survey.dataset
    if dataset is not None and not Dataset.objects.filter(pk=dataset.pk, state=Dataset.State.ACTIVE).exists():
        dataset = None  # withdrawn by hand from the catalog: a new publication makes a new one
    if dataset is None:
        dataset = catalog.publish_dataset(
            actor=actor,
            agency=actor.agency,
            name=_dataset_name(survey),
            category="I00",  # 公共資訊
            update_frequency="不定期",
            contact_name="研究發展考核委員會",
            contact_phone="04-22289111",
            contact_email="rdec@taichung.gov.tw",
            tags=["民意調查", "個別資料", "次數分配"],
            **metadata,
        )
        for description, upload, _content, fields, schema in resources:
            catalog.add_resource(
                dataset, actor=actor, description=description, upload=upload, format="CSV",
                encoding="UTF-8", field_description=fields, schema=schema,
            )  # fmt: skip
        Survey.objects.filter(pk=survey.pk).update(dataset=dataset)
        return "created"
    changed = False
    current = {k: getattr(dataset, k) for k in metadata}
    if current != metadata:
        catalog.update_dataset(dataset, actor=actor, **metadata)
        changed = True
    existing = list(dataset.resources.filter(state="active").order_by("number"))
    for i, (description, upload, content, fields, schema) in enumerate(resources):
        resource = existing[i] if i < len(existing) else None
        if resource is None:
            catalog.add_resource(
                dataset, actor=actor, description=description, upload=upload, format="CSV",
                encoding="UTF-8", field_description=fields, schema=schema,
            )  # fmt: skip
            changed = True
        elif (
            resource.sha256 != hashlib.sha256(content).hexdigest()
            or resource.schema != schema
            or resource.field_description != fields
        ):
            catalog.update_resource(
                resource, actor=actor, upload=upload, description=description, field_description=fields,
                schema=schema, encoding="UTF-8", format="CSV",
            )  # fmt: skip
            changed = True
    return "updated" if changed else "unchanged"


def publish(survey_id: int) -> str:
    """The background job's body: publish the poll's data as the service account."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        return "skipped"
    actor = service_user()
    with acting_as(actor):
        return publish_survey_data(survey, actor=actor)
