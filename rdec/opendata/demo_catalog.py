"""The demo's catalog grown to several thousand datasets with real tabular files of varied quality.

`grow()` adds datasets published since 2019 (realistic titles, categories and
frequencies of the city's agencies, spread over the agencies that published in 2018, in proportion)
and gives every dataset — the 2018 ones too — one resource: a small CSV file uploaded to the
platform (served by its download view), or a link on the platform that is broken or a web page. The
defects are chosen in fixed shares (`DEFECTS`) and every resource then goes through the real
quality check (`quality.check_file`, and `fetch.fetch` for the links against a stand-in of the
platform's addresses while it is not yet serving), so the badges, the reasons and the dashboard mean
something. Bulk inserts throughout: about 2,000 datasets and 3,200 files take a few seconds.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import random
import threading
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from rdec.opendata import fetch, identifiers, quality, vocab
from rdec.opendata.models import Badge, Dataset, QualityCheck, Resource, ResourceVersion
from rdec.opendata.search import search_text

TARGET = 3200  # datasets in the grown catalog (the 2018 catalog's 1,136 plus those published since)
BATCH = 500

# (share in thousandths, kind): what is wrong with a dataset's resource. Gold ≈ 78 %, silver ≈ 12 %,
# bronze ≈ 5 %, none ≈ 5 %.
DEFECTS = [
    (700, "good"),  # UTF-8, declared fields = header: gold
    (80, "big5"),  # Big5, declared BIG5: gold
    (70, "big5-declared-utf8"),  # Big5 declared UTF-8: silver (encoding_match)
    (50, "undeclared-column"),  # a column not in 主要欄位說明: silver (desc_match)
    (30, "type-error"),  # a Table Schema whose integer column holds text: bronze (structure)
    (20, "short-row"),  # a row with a missing cell: bronze (structure)
    (30, "broken-link"),  # a link to a file that is not there (404): none
    (20, "landing-page"),  # a link to a web page, not a file: none
]

DISTRICTS = [
    "中區",
    "東區",
    "南區",
    "西區",
    "北區",
    "北屯區",
    "西屯區",
    "南屯區",
    "太平區",
    "大里區",
    "霧峰區",
    "烏日區",
]

# (title, category, 主要欄位說明, 更新頻率, tags, the agency that publishes it: a word of its name, "" = any)
TOPICS = [
    ("各區人口統計", "I00", "區域(行政區名稱)、人口數(設籍人口, 整數)、戶數(戶)", "每月", ["人口"], "民政局"),
    (
        "公有停車場資訊",
        "A00",
        "停車場名稱(名稱)、區域(行政區)、汽車格位數(格)、緯度(WGS84緯度)、經度(WGS84經度)",
        "每季",
        ["停車"],
        "交通局",
    ),
    (
        "交通事故統計",
        "A00",
        "月份(民國年月)、區域(行政區)、件數(事故件數, 整數)、死傷人數(人)",
        "每月",
        ["交通", "事故"],
        "警察局",
    ),
    (
        "公共自行車租借站",
        "A00",
        "站名(租借站名稱)、區域(行政區)、車柱數(個)、緯度(WGS84緯度)、經度(WGS84經度)",
        "每月",
        ["自行車"],
        "交通局",
    ),
    (
        "公園綠地位置",
        "E00",
        "公園名稱(名稱)、區域(行政區)、面積(平方公尺)、緯度(WGS84緯度)、經度(WGS84經度)",
        "每年",
        ["公園"],
        "建設局",
    ),
    (
        "空氣品質監測",
        "E00",
        "測站(測站名稱)、日期(監測日期, 西元年月日)、PM25(細懸浮微粒)",
        "每日",
        ["空氣品質"],
        "環境保護局",
    ),
    (
        "垃圾清運量統計",
        "E00",
        "月份(民國年月)、區域(行政區)、清運量(公噸)",
        "每月",
        ["垃圾", "清運"],
        "環境保護局",
    ),
    (
        "社會福利機構名冊",
        "300",
        "機構名稱(名稱)、區域(行政區)、地址(地址)、電話(聯絡電話)",
        "每季",
        ["社福"],
        "社會局",
    ),
    (
        "長期照顧服務據點",
        "300",
        "據點名稱(名稱)、區域(行政區)、地址(地址)、服務人數(人, 整數)",
        "每季",
        ["長照"],
        "衛生局",
    ),
    (
        "醫療院所名冊",
        "D00",
        "院所名稱(名稱)、區域(行政區)、地址(地址)、電話(聯絡電話)",
        "每月",
        ["醫療"],
        "衛生局",
    ),
    ("傳染病通報統計", "D00", "週別(西元年週)、區域(行政區)、通報數(件, 整數)", "每週", ["防疫"], "衛生局"),
    (
        "市立學校名錄",
        "600",
        "學校名稱(名稱)、區域(行政區)、學生數(人, 整數)、班級數(班)",
        "每年",
        ["學校", "教育"],
        "教育局",
    ),
    (
        "公共圖書館借閱統計",
        "600",
        "館別(圖書館名稱)、月份(民國年月)、借閱冊數(冊)",
        "每月",
        ["圖書館"],
        "文化局",
    ),
    (
        "藝文活動資訊",
        "700",
        "活動名稱(名稱)、日期(活動日期, 西元年月日)、地點(場地)",
        "每週",
        ["藝文", "活動"],
        "文化局",
    ),
    (
        "觀光景點遊客人次",
        "700",
        "景點(景點名稱)、月份(民國年月)、遊客人次(人次, 整數)",
        "每月",
        ["觀光"],
        "觀光旅遊局",
    ),
    (
        "道路工程施工資訊",
        "B00",
        "工程名稱(名稱)、區域(行政區)、開工日期(西元年月日)、完工日期(西元年月日)",
        "每週",
        ["道路", "工程"],
        "建設局",
    ),
    (
        "建築執照核發統計",
        "B00",
        "月份(民國年月)、區域(行政區)、件數(核發件數, 整數)、樓地板面積(平方公尺)",
        "每月",
        ["建築"],
        "都市發展局",
    ),
    (
        "消防安全檢查統計",
        "900",
        "月份(民國年月)、區域(行政區)、檢查家數(家)、不合格家數(家)",
        "每月",
        ["消防"],
        "消防局",
    ),
    (
        "治安案件統計",
        "900",
        "月份(民國年月)、區域(行政區)、案件類別(類別)、件數(件)",
        "每月",
        ["治安"],
        "警察局",
    ),
    (
        "市政預算執行情形",
        "G00",
        "機關(機關名稱)、預算數(千元, 整數)、執行數(千元, 整數)",
        "每季",
        ["預算"],
        "",
    ),
    ("採購案件公告", "G00", "案號(採購案號)、案名(名稱)、決標金額(元)", "每月", ["採購"], ""),
    (
        "就業服務統計",
        "C00",
        "月份(民國年月)、求職人數(人)、求才人數(人)、推介就業人數(人)",
        "每月",
        ["就業"],
        "勞工局",
    ),
    ("農產品產量統計", "F00", "作物(作物名稱)、區域(行政區)、產量(公噸)", "每年", ["農業"], "農業局"),
    ("市場攤商名冊", "F00", "市場名稱(名稱)、區域(行政區)、攤位數(攤)", "每半年", ["市場"], "經濟發展局"),
    (
        "戶政登記統計",
        "I00",
        "月份(民國年月)、區域(行政區)、出生數(人)、死亡數(人)、結婚對數(對)",
        "每月",
        ["戶政"],
        "民政局",
    ),
    (
        "里辦公處聯絡資訊",
        "H00",
        "區域(行政區)、里別(里名)、地址(地址)、電話(聯絡電話)",
        "不定期",
        ["里"],
        "民政局",
    ),
    ("陳情案件統計", "H00", "月份(民國年月)、類別(案件類別)、件數(件)", "每月", ["陳情"], ""),
    (
        "防災避難收容處所",
        "900",
        "處所名稱(名稱)、區域(行政區)、收容人數(人)、緯度(WGS84緯度)、經度(WGS84經度)",
        "每年",
        ["防災"],
        "消防局",
    ),
    ("土地登記統計", "I00", "月份(民國年月)、區域(行政區)、登記件數(件, 整數)", "每月", ["地政"], "地政局"),
    (
        "房屋稅開徵統計",
        "G00",
        "年度(民國年)、區域(行政區)、戶數(戶)、稅額(千元, 整數)",
        "每年",
        ["稅務"],
        "稅務局",
    ),
    ("消費者物價指數", "G00", "月份(民國年月)、指數(基期105年=100, 數值)", "每月", ["物價"], "主計處"),
    (
        "雨水下水道建設",
        "B00",
        "區域(行政區)、長度(公尺, 整數)、完工日期(西元年月日)",
        "每年",
        ["水利"],
        "水利局",
    ),
    (
        "1999話務統計",
        "H00",
        "月份(民國年月)、類別(案件類別)、件數(件, 整數)",
        "每月",
        ["1999"],
        "研究發展考核",
    ),
    ("員工人數統計", "G00", "機關(機關名稱)、員額(人, 整數)", "每年", ["人事"], "人事處"),
    ("市有財產清冊", "G00", "財產名稱(名稱)、區域(行政區)、面積(平方公尺)", "每年", ["財產"], "財政局"),
]


ROADS = [
    "臺灣大道二段",
    "文心路一段",
    "中清路二段",
    "五權西路一段",
    "崇德路三段",
    "東山路一段",
    "中山路",
    "民權路",
]
PRECINCTS = ["第一分局", "第二分局", "第三分局", "第四分局", "第五分局", "第六分局", "烏日分局", "霧峰分局", "太平分局", "豐原分局", "大甲分局", "清水分局", "東勢分局", "大雅分局"]  # fmt: skip
VILLAGES = ["大里里", "惠來里", "上石里", "何安里", "南屯里", "大智里", "豐原里", "忠孝里"]
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪"
GIVEN = ["志明", "淑芬", "家豪", "雅婷", "俊傑", "怡君", "建宏", "美玲"]
ORGANISATIONS = ["臺中市立中興國民中學", "臺中市北屯區公所", "臺中市政府建設局", "財團法人臺中市社會福利基金會", "臺中市立圖書館", "臺中榮民總醫院"]  # fmt: skip
# Plausible cells for the catalogue's most frequent column names (a name alone says little; these
# keep previews reading like real data instead of 「編號1」「區別1」).
BY_NAME = {
    ("地址", "住址", "廠商地址", "地點", "事故位置", "附近"): lambda row, rng: (
        f"臺中市{DISTRICTS[row % len(DISTRICTS)]}{rng.choice(ROADS)}{rng.randint(1, 600)}號"
    ),
    ("電話", "連絡電話", "聯絡電話", "傳真"): lambda row, rng: f"04-2{rng.randint(2000000, 7999999)}",
    ("行動電話",): lambda row, rng: (
        f"09{rng.randint(10, 89)}-{rng.randint(100, 999)}-{rng.randint(100, 999)}"
    ),
    ("序號", "編號", "項次", "號"): lambda row, rng: str(row + 1),
    ("年", "年度"): lambda row, rng: "115",
    ("月",): lambda row, rng: str(1 + row % 12),
    ("日",): lambda row, rng: str(1 + (row * 3) % 28),
    ("時",): lambda row, rng: str((8 + row * 2) % 24),
    ("分",): lambda row, rng: str(rng.randint(0, 59)),
    ("縣市", "市"): lambda row, rng: "臺中市",
    ("區別", "鄉鎮市區"): lambda row, rng: DISTRICTS[row % len(DISTRICTS)],
    ("里", "里別"): lambda row, rng: VILLAGES[row % len(VILLAGES)],
    ("鄰",): lambda row, rng: str(rng.randint(1, 30)),
    ("轄區分局",): lambda row, rng: PRECINCTS[row % len(PRECINCTS)],
    ("備註", "其他", "NA"): lambda row, rng: "",
    ("負責人",): lambda row, rng: rng.choice(SURNAMES) + rng.choice(GIVEN),
    ("電子郵件",): lambda row, rng: f"service{row + 1:02d}@taichung.gov.tw",
    ("網址", "相關網站"): lambda row, rng: "https://www.taichung.gov.tw/",
    ("郵遞區號",): lambda row, rng: str(rng.choice([400, 403, 404, 406, 407, 408, 411, 412, 420, 427])),
    (
        "名稱",
        "單位名稱",
        "機構名稱",
        "辦理單位",
        "主管機關",
        "學校名稱",
        "醫院名稱",
        "單位",
    ): lambda row, rng: ORGANISATIONS[row % len(ORGANISATIONS)],
    ("天候",): lambda row, rng: rng.choice(["晴", "陰", "雨"]),
    ("光線",): lambda row, rng: rng.choice(["日間自然光線", "夜間(或隧道、地下道、涵洞)有照明"]),
    ("性別",): lambda row, rng: rng.choice(["男", "女"]),
}
_BY_NAME = {name: make for names, make in BY_NAME.items() for name in names}


def _value(item: dict, row: int, rng: random.Random) -> str:
    """A plausible cell for a column, from its name (and the type its 說明 names, if any)."""
    name, said = item["name"], item.get("description") or ""
    if "整數" in said or "數值" in said:
        return str(rng.randint(1, 5000))
    if "西元年月日" in said or "YYYY-MM-DD" in said.upper():
        return f"2026-{1 + row % 12:02d}-{1 + row % 28:02d}"
    if name in ("區域", "行政區") or name.endswith("區"):
        return DISTRICTS[row % len(DISTRICTS)]
    if "緯度" in name:
        return f"{24.10 + rng.random() * 0.15:.5f}"
    if "經度" in name:
        return f"{120.60 + rng.random() * 0.15:.5f}"
    if "日期" in name:
        return f"2026-{1 + row % 12:02d}-{1 + row % 28:02d}"
    if name in ("月份",):
        return f"115/{1 + row % 12:02d}"
    if any(word in name for word in ("數", "量", "額", "面積", "人次", "PM25", "預算", "對")):
        return str(rng.randint(1, 5000))
    if name in _BY_NAME:
        return _BY_NAME[name](row, rng)
    if name.endswith("日期") or name.endswith("時間"):
        return f"2026-{1 + row % 12:02d}-{1 + row % 28:02d}"
    return rng.choice(["是", "否"]) if name.startswith("是否") else f"{name}{'甲乙丙丁戊己'[row % 6]}"


def _csv(items: list[dict], kind: str, rng: random.Random) -> bytes:
    header = [i["name"] for i in items] + (["備考"] if kind == "undeclared-column" else [])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in range(rng.randint(3, 8)):
        cells = [_value(item, row, rng) for item in items] + (["無"] if kind == "undeclared-column" else [])
        if kind == "short-row" and row == 1:
            cells = cells[:-1] or [""]
        writer.writerow(cells)
    text = out.getvalue()
    return text.encode("cp950", errors="replace") if kind.startswith("big5") else text.encode()


def _type_error(items: list[dict], content: bytes) -> tuple[bytes, dict]:
    """Declare the first count-like column integer (adding 件數 when there is none) and put text in
    the second data row's cell of it."""
    rows = list(csv.reader(io.StringIO(content.decode())))
    names = [i["name"] for i in items]
    column = next((i for i, n in enumerate(names) if any(w in n for w in ("數", "量", "額"))), None)
    if column is None:
        names.append("件數")
        column = len(names) - 1
        rows = [[*row, "件數" if i == 0 else "1"] for i, row in enumerate(rows)]
    rows[2][column] = "不詳"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    schema = {
        "fields": [{"name": n, "type": "integer" if i == column else "string"} for i, n in enumerate(names)]
    }
    return out.getvalue().encode(), schema


class _StandIn(BaseHTTPRequestHandler):
    """Answers the platform's addresses while it is not yet serving: a dataset page is a web page,
    anything else under /opendata/files/ is not there (as the platform would answer)."""

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.startswith("/opendata/datasets/"):
            body = b"<!doctype html><title>dataset</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            body = b"not found"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _pick(rng: random.Random) -> str:  # noqa: S311
    roll = rng.randrange(1000)
    for share, kind in DEFECTS:
        if roll < share:
            return kind
        roll -= share
    return "good"


def grow(*, target: int = TARGET, today: datetime.date | None = None, seed: int = 2026) -> dict[str, int]:
    """Grow the catalog to `target` datasets and give every dataset without a resource one checked
    resource. Returns the datasets' badges."""
    rng = random.Random(seed)  # noqa: S311 - demo content, not secrets
    today = today or timezone.localdate()
    now = timezone.now()
    existing = list(Dataset.objects.select_related("agency").order_by("pk"))
    by_agency = Counter(d.agency_id for d in existing)
    agencies = {d.agency_id: d.agency for d in existing}
    weighted = [agencies[a] for a, n in by_agency.items() for _ in range(n)]
    serials: dict[str, int] = defaultdict(int)
    for identifier in Dataset.objects.values_list("identifier", flat=True):
        code, _sep, serial = identifier.rpartition("-")
        serials[code] = max(serials[code], int(serial))
    first = datetime.date(2019, 1, 1)  # the 2018 catalog stays the year's real 1,136
    span = (today.replace(month=1, day=1) - first).days  # up to last year; this year's below
    made = []
    for n in range(max(0, target - len(existing))):
        agency = rng.choice(weighted) if weighted else None
        if agency is None:
            break
        code = identifiers.agency_code(agency)
        if code is None:
            continue
        serials[code] += 1
        identifier = f"{code}-{serials[code]:06d}"
        own = [t for t in TOPICS if t[5] and t[5] in agency.name]
        pool = own if own and rng.random() < 0.8 else [t for t in TOPICS if not t[5]]  # budgets etc.
        title_topic, category, fields, frequency, tags, _owner = rng.choice(pool)
        # one in ten published this year (the KPI's +200); the rest spread from 2019 to last year
        day = (
            today - datetime.timedelta(days=rng.randrange((today - today.replace(month=1, day=1)).days + 1))
            if n % 10 == 0
            else first + datetime.timedelta(days=rng.randrange(span))
        )
        short = agency.name.removeprefix("臺中市政府").removeprefix("臺中市")
        title = f"臺中市{short}{title_topic}（{day.year - 1911}年）"
        description = f"{agency.name}提供之{title_topic}，{frequency}更新。"
        stamp = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        made.append(
            Dataset(
                agency=agency,
                identifier=identifier,
                name=identifier.lower(),
                title=title,
                description=description,
                category=category,
                field_description=fields,
                update_frequency=frequency,
                contact_name="資料開放承辦人",
                contact_phone="04-22289111",
                contact_email="opendata@taichung.gov.tw",
                published_on=day,
                metadata_modified=stamp,
                created_at=stamp,
                search_text=search_text(title, description, " ".join(tags), agency.name),
            )
        )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    local = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with transaction.atomic():
            Dataset.objects.bulk_create(made, batch_size=BATCH)
            badges = _resources(rng, now, local)
    finally:
        server.shutdown()
        server.server_close()
    return badges


def _resources(rng: random.Random, now, local: str) -> dict[str, int]:
    datasets = list(Dataset.objects.filter(resources__isnull=True).order_by("pk"))
    resources, reports = [], []
    for dataset in datasets:
        kind = _pick(rng)
        items = list(
            {f["name"]: f for f in vocab.parse_field_description(dataset.field_description)}.values()
        ) or [{"name": "項目", "title": "", "description": ""}]
        resource = Resource(
            dataset=dataset,
            number=1,
            description=f"{dataset.title} CSV",
            format="CSV",
            encoding="BIG5" if kind == "big5" else "UTF-8",
            field_description="",
            modified_at=dataset.metadata_modified,
            created_at=now,
        )
        if kind in ("broken-link", "landing-page"):
            path = (
                f"/opendata/datasets/{dataset.name}/"
                if kind == "landing-page"
                else f"/opendata/files/{dataset.name}.csv"
            )
            resource.url = settings.SITE_URL + path
            fetched = fetch.fetch(local + path, allow_private=True)  # the stand-in is on 127.0.0.1
            report = quality.QualityReport()
            report.indicators["linkable"] = fetched.linkable
            report.indicators["downloadable"] = fetched.downloadable
            indicator = "linkable" if fetched.linkable != quality.PASS else "downloadable"
            report.messages.append({"indicator": indicator, "code": fetched.code, "message": fetched.message})
        else:
            content = _csv(items, kind, rng)
            if kind == "type-error":
                content, resource.schema = _type_error(items, content)
            resource.file.name = default_storage.save(
                f"opendata/demo/{dataset.name}.csv", ContentFile(content)
            )
            resource.size = len(content)
            resource.sha256 = hashlib.sha256(content).hexdigest()
            report = quality.check_file(
                io.BytesIO(content),
                format="CSV",
                declared_encoding=resource.encoding,
                declared_fields=vocab.parse_field_description(dataset.field_description),
                schema=resource.schema,
            )
        resources.append(resource)
        reports.append(report)
    Resource.objects.bulk_create(resources, batch_size=BATCH)
    saved = {r.dataset_id: r for r in Resource.objects.filter(dataset__in=datasets)}
    ResourceVersion.objects.bulk_create(
        [
            ResourceVersion(
                resource=r,
                number=1,
                url=r.url,
                file=r.file.name,
                format=r.format,
                encoding=r.encoding,
                size=r.size,
                sha256=r.sha256,
                schema=r.schema,
                created_at=r.modified_at,
            )
            for r in saved.values()
        ],
        batch_size=BATCH,
    )
    QualityCheck.objects.bulk_create(
        [
            QualityCheck(
                resource=saved[resource.dataset_id],
                checked_at=now,
                indicators=report.indicators,
                badge=report.badge,
                encoding=report.encoding,
                fields=report.fields,
                rows=report.rows,
                messages=report.messages,
            )
            for resource, report in zip(resources, reports, strict=True)
        ],
        batch_size=BATCH,
    )
    by_badge: dict[str, list[int]] = defaultdict(list)
    for resource, report in zip(resources, reports, strict=True):
        by_badge[report.badge].append(resource.dataset_id)
    for badge, ids in by_badge.items():
        for start in range(0, len(ids), BATCH):
            Dataset.objects.filter(pk__in=ids[start : start + BATCH]).update(quality_badge=badge)
    return {badge: len(by_badge.get(badge, [])) for badge in Badge.values}
