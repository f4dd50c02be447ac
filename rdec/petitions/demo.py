"""Demo content for petitions (`rdec demo` calls `seed(stdout)`): the categories, duty contacts, a
knowledge base, reply templates and a year of petitions (30,000 by default) up to today.

Idempotent: does nothing when any petition exists. Fast: cases, tenures, events, replies,
extensions and ratings are written with bulk inserts, not through the services (the data is made,
not lived). Complaint texts come from real Kaohsiung 1999 cases (data/demo_complaints.json, see
NOTICE.md) or, for categories the source lacks, from templates; addresses are Taichung roads;
points are random inside the district's boundary and resolved to the village. Petitioners are
fictional: made-up names, 0900-000-xxx phone numbers, example.com addresses; a share is anonymous
or asked for confidentiality.
"""

from __future__ import annotations

import datetime
import json
import random
import secrets
from importlib import resources
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit, geo, workdays
from rdec.core.models import Agency, District, Role, User, Village
from rdec.petitions import deadlines, numbering
from rdec.petitions.catalogue import load_catalogue
from rdec.petitions.models import (
    AgencyTenure,
    Article,
    ArticleVersion,
    Case,
    CaseEvent,
    Category,
    DutyContact,
    Extension,
    Rating,
    Reply,
    ReplyTemplate,
)
from rdec.petitions.reference import load_categories
from rdec.petitions.search import search_text
from rdec.petitions.tracking import CODE_ALPHABET, hash_code

DATA = Path(str(resources.files("rdec.petitions") / "data"))
DEFAULT_SIZE = 30_000
DEMO_TRACKING_CODE = (
    "RDEC2345"  # one replied demo case's code, printed by seed() so the tracking page can be tried
)

# Population in thousands (2024, rounded) — the weights of where petitions come from.
POPULATION = {
    "北屯區": 300, "西屯區": 233, "大里區": 213, "太平區": 201, "南屯區": 180, "豐原區": 164,
    "北區": 141, "南區": 127, "西區": 110, "潭子區": 110, "沙鹿區": 97, "大雅區": 96, "清水區": 88,
    "烏日區": 79, "東區": 77, "龍井區": 78, "大甲區": 75, "霧峰區": 64, "神岡區": 64, "梧棲區": 60,
    "大肚區": 57, "后里區": 54, "東勢區": 47, "外埔區": 32, "新社區": 23, "中區": 18, "大安區": 18,
    "石岡區": 14, "和平區": 11,
}  # fmt: skip

ROADS = {
    "中區": ["中山路", "自由路二段", "民族路", "成功路", "繼光街", "電子街", "公園路"],
    "東區": ["復興路四段", "進化路", "東英路", "旱溪東路", "十甲路", "建成路"],
    "南區": ["復興路二段", "國光路", "五權南路", "忠明南路", "建國北路", "興大路", "美村南路"],
    "西區": ["五權路", "美村路一段", "公益路", "向上路一段", "精誠路", "英才路", "民權路"],
    "北區": ["三民路三段", "進化北路", "雙十路二段", "學士路", "太原路一段", "中清路一段", "崇德路一段"],
    "西屯區": [
        "臺灣大道三段",
        "河南路二段",
        "福星路",
        "西屯路二段",
        "逢甲路",
        "文華路",
        "市政路",
        "朝富路",
        "永福路",
        "青海路二段",
    ],
    "南屯區": [
        "公益路二段",
        "大墩路",
        "黎明路二段",
        "向上路二段",
        "五權西路二段",
        "文心南五路",
        "永春東路",
        "大進街",
    ],
    "北屯區": [
        "崇德路二段",
        "文心路四段",
        "北屯路",
        "松竹路二段",
        "旅順路二段",
        "東山路一段",
        "軍福十八路",
        "太原路三段",
        "敦富路",
        "環中東路",
    ],
    "豐原區": ["中正路", "圓環東路", "豐原大道", "三豐路", "向陽路", "南陽路", "水源路"],
    "東勢區": ["豐勢路", "第一橫街", "東關路", "中山路", "東蘭路"],
    "大甲區": ["中山路一段", "蔣公路", "經國路", "文武路", "順天路"],
    "清水區": ["中山路", "中華路", "鰲峰路", "五權路", "民族路"],
    "沙鹿區": ["中山路", "光華路", "中清路", "英才路", "鎮南路"],
    "梧棲區": ["中和街", "文化路", "臺灣大道十段", "自強路", "大智路"],
    "后里區": ["甲后路", "三豐路", "公安路", "廣福路"],
    "神岡區": ["中山路", "大豐路", "神清路", "神林路"],
    "潭子區": ["中山路", "潭興路", "崇德路五段", "大豐路", "勝利路"],
    "大雅區": ["中清路四段", "學府路", "雅潭路", "神林南路", "民生路"],
    "新社區": ["興社街", "中和街", "協中街", "華豐街"],
    "石岡區": ["明德路", "豐勢路", "石岡街"],
    "外埔區": ["甲后路", "中山路", "六分路"],
    "大安區": ["中山南路", "大安港路", "海墘路"],
    "烏日區": ["中山路", "三民街", "高鐵東一路", "環中路八段", "光明路"],
    "大肚區": ["沙田路", "遊園路", "自由路", "華南路"],
    "龍井區": ["中央路", "臺灣大道五段", "沙田路", "新興路"],
    "霧峰區": ["中正路", "林森路", "民生路", "吉峰路", "中投西路"],
    "太平區": ["中山路", "太平路", "樹孝路", "東平路", "永豐路", "中興東路", "長億六街"],
    "大里區": ["中興路二段", "國光路二段", "大明路", "塗城路", "東榮路", "爽文路", "德芳南路"],
    "和平區": ["東關路三段", "中興路", "台8線", "大甲溪橋旁產業道路"],
}

CHANNELS = [
    (Case.Channel.PHONE, 55),
    (Case.Channel.WEB, 25),
    (Case.Channel.EMAIL, 10),
    (Case.Channel.COUNTER, 3),
    (Case.Channel.COUNCILLOR, 3),
    (Case.Channel.OPEN311, 2),
    (Case.Channel.MEETING, 2),
]

# Share of petitions per category (relative), and the months each one peaks in (factor).
CATEGORY_WEIGHT = {
    "light-out": 120, "light-day": 20, "light-damaged": 8, "litter": 70, "garbage": 40, "bulky-waste": 30,
    "pothole": 70, "manhole": 35, "sidewalk": 20, "road-sinking": 8, "road-oil": 12, "road-occupied": 15,
    "tree-fallen": 20, "tree-trim": 25, "park-facility": 25, "park-dirty": 15, "ads": 15, "dead-animal": 15,
    "air": 45, "water-pollution": 8, "idling": 5, "noise-construction": 30, "noise-business": 35,
    "noise-vehicle": 25, "signal-fault": 45, "signal-dark": 6, "signal-timing": 15, "sign-damaged": 12,
    "bus": 20, "illegal-parking": 90, "abandoned-vehicle": 15, "parking-fee": 15, "stray-dog": 25,
    "injured-animal": 12, "animal-abuse": 5, "bees": 10, "illegal-building": 15, "arcade": 12,
    "signboard": 4, "flooding": 12, "ditch": 20, "sewer": 15, "policy": 25, "service-attitude": 12,
    "household": 6, "social-welfare": 10, "education": 10, "labor": 8, "food-safety": 8,
}  # fmt: skip
SEASON = {
    "tree-fallen": {6: 2, 7: 3, 8: 3.5, 9: 3},
    "flooding": {5: 2, 6: 3, 7: 3.5, 8: 4, 9: 3},
    "ditch": {4: 1.5, 5: 2, 6: 2, 7: 1.5},
    "noise-business": {6: 1.4, 7: 1.6, 8: 1.6, 9: 1.3},
    "noise-vehicle": {6: 1.4, 7: 1.5, 8: 1.5},
    "bees": {7: 2.5, 8: 3, 9: 3, 10: 2.5},
    "air": {1: 1.4, 2: 1.6, 3: 1.4, 11: 1.3, 12: 1.4},
    "garbage": {2: 1.8},
    "bulky-waste": {1: 1.8, 2: 1.6},
    "park-dirty": {7: 1.3, 8: 1.3},
}
NIGHT_CATEGORIES = {"noise-business", "noise-vehicle", "noise-construction", "light-out"}
URGENT_DUTY_AGENCIES = None  # computed from the categories

SURNAMES = (
    "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴"
)
GIVEN = "志明 淑芬 家豪 怡君 俊傑 雅婷 建宏 美玲 宗翰 佳蓉 文雄 麗華 冠宇 淑惠 承恩 欣怡 明德 秀英 政達 惠如 信宏 郁婷 國榮 玉珍".split()

# Texts for categories the Kaohsiung data does not cover (or covers thinly).
TEMPLATE_TEXTS = {
    "light-damaged": [
        "路燈桿{x}傾斜，擔心颱風來時倒下，請派員檢查。",
        "路燈桿底座鏽蝕{x}，燈罩也快掉下來，建請查處。",
        "車禍撞到路燈桿，燈桿已經歪斜，請盡快處理。",
    ],
    "bulky-waste": [
        "巷口被丟了{x}，已經放了一個禮拜，請清潔隊清運。",
        "想預約大型廢棄物清運，有{x}要丟，請告知時間。",
        "空地上有人棄置{x}，疑似搬家後丟棄，建請查處。",
    ],
    "water-pollution": [
        "附近排水溝流出{x}的廢水，顏色異常並有臭味，疑似工廠排放，建請稽查。",
        "河道出現大量泡沫及{x}，懷疑有人偷排，請環保局查處。",
    ],
    "idling": [
        "遊覽車在{x}長時間怠速等客，廢氣很重，建請查處。",
        "每天早上有貨車停在{x}怠速超過十分鐘，請派員稽查。",
    ],
    "noise-vehicle": [
        "每晚十一點後都有改裝機車在{x}飆車，排氣管聲音非常大，嚴重影響睡眠，請加強取締。",
        "改裝車輛在{x}反覆催油門，噪音擾人，建請派員稽查並通知到檢。",
        "深夜常有重機群在{x}呼嘯而過，請警方與環保局聯合稽查。",
    ],
    "signal-dark": [
        "{x}路口號誌全部不亮，車輛互不相讓非常危險，請立即派員。",
        "停電後{x}的紅綠燈全滅，請盡速修復並派員指揮交通。",
    ],
    "sign-damaged": [
        "{x}的交通標誌被撞歪，轉向看不清楚，請修復。",
        "路口斑馬線及停止線已經磨損看不到了，{x}，建請重新標繪。",
        "{x}的反光鏡破掉，轉彎看不到來車，請更換。",
    ],
    "bus": [
        "{x}的公車過站不停，等了半小時才來一班，請督導業者改善。",
        "公車司機{x}，開車很急，乘客差點跌倒，請查明。",
        "站牌的動態資訊不準，{x}，請改善。",
    ],
    "abandoned-vehicle": [
        "{x}有一台車停了好幾個月都沒移動，輪胎已經沒氣，疑似廢棄車，請處理。",
        "路邊一台機車{x}，佔用停車格很久，建請認定是否為廢棄車輛。",
    ],
    "parking-fee": [
        "路邊停車被重複開單，{x}，請協助撤銷。",
        "停車格已經繳費但又收到催繳通知，{x}，請查明。",
        "建議{x}的路邊停車開放行動支付繳費，現在只能到超商很不方便。",
    ],
    "animal-abuse": [
        "鄰居長期把狗關在{x}的小籠子裡，日曬雨淋，疑似虐待，請動保處查看。",
        "看到有人在{x}踢打流浪貓，請派員了解。",
    ],
    "bees": [
        "家門口屋簷下有一個{x}大小的蜂窩，進出很危險，請協助移除。",
        "公園樹上有虎頭蜂窩，{x}，小朋友常在旁邊玩，請盡快處理。",
        "陽台鐵窗內有蜂群築巢，{x}，請派員摘除。",
    ],
    "illegal-building": [
        "隔壁正在施工頂樓加蓋，{x}，疑似違建，請派員勘查。",
        "{x}有人在騎樓外推加蓋鐵皮屋，影響通行，請查處。",
        "空地上新搭鐵皮屋，{x}，未見建照，請都發局查明。",
    ],
    "arcade": [
        "{x}的騎樓被店家擺滿貨物和機車，行人只能走到馬路上，請改善。",
        "騎樓高低不平，{x}，推嬰兒車很危險，建請整平。",
    ],
    "signboard": [
        "{x}的大型招牌鐵架鏽蝕鬆動，風一吹就晃，擔心掉下來砸到人，請盡快處理。",
        "颱風後發現{x}招牌半掛在牆上，非常危險，請派員。",
    ],
    "ditch": [
        "家門前水溝{x}，積滿淤泥，夏天蚊蟲很多，請安排清淤。",
        "側溝長期未清，{x}，下雨就溢出到路面，建請清疏。",
        "排水溝蓋下堆滿落葉垃圾，{x}，請派員清理。",
    ],
    "policy": [
        "建議在{x}增設公共自行車站，方便上下班通勤。",
        "希望市府在{x}附近增設親子公園或遊戲場。",
        "建議延長{x}周邊公車班次到晚上十點以後。",
        "{x}附近學童上下學路段缺乏人行道，建議規劃通學步道。",
    ],
    "service-attitude": [
        "到{d}公所洽公時承辦人員態度不佳，說明也不清楚，希望改善。",
        "打電話到{d}清潔隊詢問大型廢棄物清運，轉了三次都沒人接，請檢討。",
        "{d}戶政事務所櫃台人員講話很不耐煩，希望加強服務訓練。",
    ],
    "household": [
        "想詢問在{d}戶政事務所辦理戶籍謄本需要帶哪些證件。",
        "{d}戶政事務所等候時間太久，建議增開櫃台或網路預約。",
        "請問搬家到{d}後戶籍遷入要準備什麼文件？",
    ],
    "social-welfare": [
        "家中長輩失能需要長照服務，住在{d}，請問如何申請？",
        "想詢問{d}地區的托育補助申請資格。",
        "{x}附近有獨居長者，最近身體不好，請社工關懷訪視。",
    ],
    "education": [
        "{x}附近國小上下課時段交通混亂，建議增派導護。",
        "孩子就讀{d}的國中，學校午餐品質不佳，請教育局了解。",
        "想詢問{d}學區劃分的依據與今年的招生名額。",
    ],
    "labor": [
        "公司已經兩個月沒發薪水，地點在{x}，請勞工局協助。",
        "雇主要求加班卻不給加班費，{x}，想申請勞資調解。",
    ],
    "food-safety": [
        "在{x}的小吃店用餐後全家腹瀉，懷疑食物不潔，請衛生局稽查。",
        "{x}的餐廳廚房環境髒亂，看到蟑螂，請派員檢查。",
    ],
    "road-occupied": [
        "{x}有店家把商品擺到路面，車輛無法通行，請取締。",
        "工程施工圍籬佔用車道，{x}，施工完畢仍未撤除，請查處。",
    ],
    "injured-animal": [
        "{x}有一隻狗被車撞到躺在路邊，還有呼吸，請盡快救援。",
        "在{x}發現一隻受傷的鳥，翅膀無法飛，請動保處協助。",
    ],
    "tree-trim": [
        "{x}的行道樹枝葉太茂密，遮住路燈和號誌，請安排修剪。",
        "颱風季快到了，{x}的大樹樹枝伸到住家屋頂，請協助修剪。",
    ],
    "flooding": [
        "只要下大雨{x}就會積水到膝蓋，機車都過不去，請改善排水。",
        "豪雨後{x}的地下道積水，請派抽水機。",
    ],
}
FILLERS = {
    "bulky-waste": ["一張舊沙發", "兩張床墊", "衣櫃和書桌", "一台舊冰箱", "一堆裝潢廢料"],
    "bees": ["籃球", "臉盆", "西瓜", "拳頭"],
    "water-pollution": ["暗紅色", "乳白色", "黑色", "油膩"],
}
REPLY_TEXTS = {
    "construction": "本局已派員至現場勘查，並於{date}完成{what}。感謝您的反映，如仍有問題歡迎再透過1999通報。",
    "environment": "本局稽查人員已於{date}至現場查察，{what}，後續將持續加強巡查。感謝您的反映。",
    "transportation": "本局已於{date}通知維護廠商到場檢修，{what}。造成不便敬請見諒。",
    "police-precincts": "本分局已於{date}派員前往處理，並加強該路段巡邏取締。感謝您協助維護交通秩序。",
    "animal-protection": "本處已於{date}派員至現場，{what}。如再發現請即通報。",
    "water-resources": "本局已於{date}派員勘查並完成{what}，汛期前將再加強巡檢。",
    "default": "您的陳情本機關已於{date}處理完畢：{what}。感謝您的寶貴意見。",
}
WHAT = {
    "light-out": "燈具更換，路燈已恢復正常照明",
    "light-day": "點滅器更換",
    "light-damaged": "燈桿扶正及補強",
    "pothole": "坑洞修補",
    "manhole": "孔蓋調整固定",
    "sidewalk": "人行道鋪面修復",
    "road-sinking": "下陷路面刨除重鋪",
    "tree-fallen": "倒伏路樹移除及現場清理",
    "tree-trim": "路樹修剪",
    "park-facility": "設施修繕",
    "litter": "現場已清除完畢",
    "garbage": "已通知清潔隊加強清運",
    "signal-fault": "號誌已修復並恢復正常運作",
    "flooding": "排水設施清疏",
    "ditch": "側溝清淤",
    "sewer": "污水管疏通",
}


def _weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


def _load_json(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _district_points(rng: random.Random, districts: list[District], per_district: int) -> dict:
    """Random points inside each district (rejection sampling in its boundary), resolved to the village."""
    import numpy as np
    import shapely
    from shapely.geometry import shape

    points: dict[int, list[tuple[float, float, int | None]]] = {}
    for d in districts:
        geom = shape(d.geometry)
        shapely.prepare(geom)
        minx, miny, maxx, maxy = geom.bounds
        found: list[tuple[float, float]] = []
        while len(found) < per_district:
            xs = np.array([rng.uniform(minx, maxx) for _ in range(per_district * 3)])
            ys = np.array([rng.uniform(miny, maxy) for _ in range(per_district * 3)])
            inside = shapely.contains_xy(geom, xs, ys)
            found.extend(zip(ys[inside].tolist(), xs[inside].tolist(), strict=True))
        pts = []
        for lat, lon in found[:per_district]:
            place = geo.resolve(lat, lon)
            if place is not None and place.district_id == d.pk:
                pts.append((round(lat, 6), round(lon, 6), place.village_id))
        points[d.pk] = pts
    return points


def _texts_for(code: str, complaints: dict, rng: random.Random, place: str, district: str) -> str:
    real = complaints.get(code)
    if real and (code not in TEMPLATE_TEXTS or rng.random() < 0.7):
        return rng.choice(real)
    template = rng.choice(TEMPLATE_TEXTS.get(code) or ["{x}的問題請相關單位協助處理。"])
    filler = rng.choice(FILLERS[code]) if code in FILLERS else place
    return template.replace("{x}", filler).replace("{d}", district)


def _address(rng: random.Random, district: str, road: str) -> str:
    roads = ROADS.get(district) or ["中山路"]
    form = rng.random()
    if form < 0.55:
        return f"臺中市{district}{road}{rng.randrange(1, 800)}號"
    if form < 0.75:
        return f"臺中市{district}{road}{rng.randrange(1, 400)}巷{rng.randrange(1, 60)}號前"
    if form < 0.9:
        other = rng.choice([r for r in roads if r != road] or roads)
        return f"臺中市{district}{road}與{other}口"
    return f"臺中市{district}{road}（近{rng.randrange(1, 800)}號）"


def _person(rng: random.Random, n: int) -> dict:
    roll = rng.random()
    if roll < 0.18:
        return {"petitioner_name": "", "petitioner_phone": "", "petitioner_email": "", "confidential": False}
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    if rng.random() < 0.15:
        name = rng.choice(SURNAMES) + rng.choice(["先生", "小姐"])
    phone = f"0900000{n % 1000:03d}"
    email = f"citizen{n % 5000:04d}@example.com" if rng.random() < 0.4 else ""
    return {
        "petitioner_name": name,
        "petitioner_phone": phone,
        "petitioner_email": email,
        "confidential": rng.random() < 0.1,
    }


def _ensure_reference_content(stdout) -> dict:
    if not Category.objects.exists():
        load_categories()
    # The whole service catalogue (the 1999 categories keep their codes; a reload writes nothing).
    load_catalogue()
    leaves = {
        c.code: c for c in Category.objects.filter(parent__isnull=False).select_related("default_agency")
    }
    agencies = {a.code: a for a in Agency.objects.all()}
    # Duty contacts for the agencies urgent categories go to.
    if not DutyContact.objects.exists():
        urgent_agencies = sorted(
            {c.default_agency.code for c in leaves.values() if c.urgent and c.default_agency}
            | {"water-resources", "fire", "environment"}
        )
        contacts = []
        for i, code in enumerate(urgent_agencies):
            agency = agencies.get(code)
            if agency is None:
                continue
            contacts.append(
                DutyContact(
                    agency=agency,
                    name=f"{SURNAMES[i * 3 % len(SURNAMES)]}值班（{agency.short_name}）",
                    phone=f"04-2228-{9100 + i * 10:04d}",
                    email=f"duty-{code}@example.gov.tw",
                    hours="24小時",
                    primary=True,
                )
            )
            contacts.append(
                DutyContact(
                    agency=agency,
                    name=f"{SURNAMES[(i * 3 + 1) % len(SURNAMES)]}副值班（{agency.short_name}）",
                    phone=f"04-2228-{9101 + i * 10:04d}",
                    email=f"duty2-{code}@example.gov.tw",
                    hours="週一至週五 08:00–17:00",
                    primary=False,
                )
            )
        DutyContact.objects.bulk_create(contacts)
    # Knowledge base: some articles past their review date.
    if not Article.objects.exists():
        today = timezone.localdate()
        rng = random.Random(42)  # noqa: S311 - demo data, not a secret
        articles = []
        for i, row in enumerate(_load_json("demo_articles.json")["articles"]):
            overdue = i % 6 == 0
            review_due = today - datetime.timedelta(days=rng.randrange(5, 90) if overdue else 0)
            if not overdue:
                review_due = today + datetime.timedelta(days=rng.randrange(20, 180))
            articles.append(
                Article(
                    question=row["q"],
                    answer=row["a"],
                    agency=agencies[row["agency"]],
                    tags=row["tags"],
                    source_document=row.get("source", ""),
                    valid_from=today - datetime.timedelta(days=rng.randrange(200, 900)),
                    review_due=review_due,
                    reviewed_at=timezone.now() - datetime.timedelta(days=rng.randrange(30, 200)),
                )
            )
        Article.objects.bulk_create(articles)
        ArticleVersion.objects.bulk_create(
            ArticleVersion(article=a, version=1, question=a.question, answer=a.answer)
            for a in Article.objects.all()
        )
    if not ReplyTemplate.objects.exists():
        templates = []
        for code, cat in leaves.items():
            what = WHAT.get(code, "已依權責處理")
            templates.append(
                ReplyTemplate(
                    category=cat,
                    title=f"{cat.name}：已處理完成",
                    body=f"您好：有關您反映「{cat.name}」一案，本機關已派員至現場處理，{what}。"
                    "感謝您的反映，如仍有問題，歡迎再透過1999或網路陳情告知。",
                )
            )
            templates.append(
                ReplyTemplate(
                    category=cat,
                    title=f"{cat.name}：已列管追蹤",
                    body=f"您好：有關您反映「{cat.name}」一案，經查需會同相關單位辦理，本機關已列入追蹤，"
                    "預計於完成後再行通知。造成不便，敬請見諒。",
                )
            )
        ReplyTemplate.objects.bulk_create(templates)
    return {"leaves": leaves, "agencies": agencies}


def _handlers(agencies: dict) -> dict[int, User]:
    """One fictional handler per agency that gets cases (existing demo staff where there is one)."""
    handlers: dict[int, User] = {}
    for user in User.objects.filter(role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR]).order_by("role"):
        if user.agency_id and user.agency_id not in handlers:
            handlers[user.agency_id] = user
    return handlers


def _handler_for(agency: Agency, handlers: dict) -> User:
    user = handlers.get(agency.pk)
    if user is None:
        user = User(
            username=f"demo-{agency.code}"[:150],
            role=Role.AGENCY_STAFF,
            agency=agency,
            display_name=f"{agency.short_name} 承辦人",
        )
        user.set_unusable_password()
        user.save()
        handlers[agency.pk] = user
    return user


def seed(
    stdout=None, *, size: int = DEFAULT_SIZE, today: datetime.date | None = None, seed: int = 2026
) -> int:
    """Seed the demo petitions; returns how many cases were made (0 when petitions exist)."""
    if Case.objects.exists():
        return 0
    started = timezone.now()
    with transaction.atomic():
        made = _seed(size=size, today=today or timezone.localdate(), rng_seed=seed, stdout=stdout)
    if stdout is not None:
        seconds = (timezone.now() - started).total_seconds()
        stdout.write(
            _("Petitions: %(count)s demo cases over the past year (%(seconds).1f s).")
            % {"count": f"{made:,}", "seconds": seconds}
        )
    return made


def _received_times(rng: random.Random, size: int, today: datetime.date, codes: list[str]):
    """(received_at, category code) pairs over the year up to now: weekday and seasonal shapes,
    two typhoon days with a burst of fallen trees, flooding and dark lights."""
    first = today - datetime.timedelta(days=365)
    days = [first + datetime.timedelta(days=i) for i in range(1, 366)]
    typhoon_days = {d for d in days if (d.month, d.day) in {(7, 24), (9, 2)}}
    day_weight = []
    for d in days:
        w = 0.62 if d.weekday() >= 5 else 1.0
        if d in typhoon_days or d - datetime.timedelta(days=1) in typhoon_days:
            w *= 2.5
        day_weight.append(w)
    base = [CATEGORY_WEIGHT.get(c, 5) for c in codes]
    now = timezone.localtime()
    picked_days = rng.choices(days, weights=day_weight, k=size)
    out = []
    month_cache: dict[tuple[int, bool], list[float]] = {}
    for day in picked_days:
        storm = day in typhoon_days or day - datetime.timedelta(days=1) in typhoon_days
        key = (day.month, storm)
        if key not in month_cache:
            weights = []
            for code, w in zip(codes, base, strict=True):
                w *= SEASON.get(code, {}).get(day.month, 1.0)
                if storm and code in {"tree-fallen", "flooding", "light-out", "signal-dark", "signal-fault"}:
                    w *= 12
                weights.append(w)
            month_cache[key] = weights
        code = rng.choices(codes, weights=month_cache[key])[0]
        if code in NIGHT_CATEGORIES and rng.random() < 0.6:
            hour = rng.choice([20, 21, 22, 23, 0, 1])
        else:
            hour = int(min(23, max(0, rng.gauss(13, 4))))
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60), rng.randrange(60)))
        )
        if moment > now:
            moment = now - datetime.timedelta(minutes=rng.randrange(5, 600))
        out.append((moment, code))
    out.sort()
    return out


# The demo's emerging issue: a row of street lights out along 塗城路 in 大里區塗城里 (a failed feeder
# circuit), reported a few times two weeks ago, many times last week and still this week — a cell the
# hotspot detection flags, a place reported again and again, an issue one link away from 列管.
EMERGING = {
    "district": "大里區",
    "village": "66000280016",  # 塗城里
    "road": "塗城路",
    "code": "light-out",
    "per_week": (6, 16),  # two weeks ago, last week; this week: two a day before today, at most 6
    "texts": [
        "塗城路{n}巷口到{m}巷整排路燈都不亮，晚上一片漆黑，騎機車經過很危險，請儘速派員檢修。",
        "塗城里塗城路近{n}號一帶路燈連續好幾天沒亮，疑似線路故障，附近住戶都很擔心安全。",
        "上週已經有人反映塗城路路燈不亮，到現在還是一整段都是暗的，請加快處理。",
        "塗城路{n}號前到路口的路燈全部熄滅，長輩晚上出門散步很危險，麻煩盡快修復。",
        "塗城路{n}巷附近路燈一到晚上就不亮，學生補習下課回家都要摸黑，請相關單位處理。",
        "塗城路靠近{n}號整段路燈全暗已經一個禮拜，是不是電路有問題？請派人查看。",
    ],
}


def _emerging_issue(rng: random.Random, today: datetime.date) -> list[tuple]:
    """(received_at, category code, place) for the emerging issue's cases: the points lie along a
    300 m stretch of road inside the village, the times in the evening."""
    import shapely
    from shapely.geometry import shape

    village = Village.objects.filter(code=EMERGING["village"]).first()
    if village is None:  # another city's reference data
        return []
    geom = shape(village.geometry)
    start = geom.representative_point()
    line = [(start.y + 0.0003 * k, start.x + 0.0002 * k) for k in range(-5, 6)]
    line = [pt for pt in line if shapely.contains_xy(geom, pt[1], pt[0])] or [(start.y, start.x)]
    this_monday = today - datetime.timedelta(days=today.weekday())
    days: list[datetime.date] = []
    for weeks_ago, count in zip((2, 1), EMERGING["per_week"], strict=True):
        monday = this_monday - datetime.timedelta(weeks=weeks_ago)
        # rising through the week: later days get more reports
        days += rng.choices(
            [monday + datetime.timedelta(days=d) for d in range(7)], weights=range(1, 8), k=count
        )
    for d in range(today.weekday()):
        days += [this_monday + datetime.timedelta(days=d)] * 2
    days = days[: sum(EMERGING["per_week"]) + 6]
    out = []
    for day in days:
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.choice([19, 20, 21, 22]), rng.randrange(60)))
        )
        lat, lon = rng.choice(line)
        lat, lon = round(lat + rng.uniform(-0.0001, 0.0001), 6), round(lon + rng.uniform(-0.0001, 0.0001), 6)
        n = rng.randrange(10, 400)
        text = rng.choice(EMERGING["texts"]).format(n=n, m=n + rng.randrange(2, 30))
        out.append(
            (moment, EMERGING["code"], {"lat": lat, "lon": lon, "village_id": village.pk, "text": text})
        )
    return out


def _seed(*, size: int, today: datetime.date, rng_seed: int, stdout) -> int:
    rng = random.Random(rng_seed)  # noqa: S311 - demo data, not a secret
    ref = _ensure_reference_content(stdout)
    leaves, agencies = ref["leaves"], ref["agencies"]
    complaints = _load_json("demo_complaints.json")["complaints"]
    districts = list(District.objects.all())
    by_name = {d.name: d for d in districts}
    district_weights = [POPULATION.get(d.name, 20) for d in districts]
    points = _district_points(rng, districts, per_district=max(20, min(300, size // 60)))
    handlers = _handlers(agencies)
    citizen = User.objects.filter(username="citizen", role=Role.CITIZEN).first()
    agent = User.objects.filter(role=Role.CALL_AGENT).first()
    fallback = agencies.get("rdec")
    codes = [c for c in leaves if c in CATEGORY_WEIGHT]
    now = timezone.now()
    cal_first, cal_last = workdays.calendar_range()
    due_cache: dict[tuple[datetime.date, int], datetime.date] = {}

    def due_for(moment, working_days):
        key = (timezone.localtime(moment).date(), working_days)
        if key not in due_cache:
            due_cache[key] = deadlines.due_date_for(moment, working_days)
        return due_cache[key]

    def local_end_of(day: datetime.date, rng=rng) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randrange(9, 17), rng.randrange(60)))
        )

    numbers: dict[int, int] = {}
    plans = []
    emerging = _emerging_issue(random.Random(rng_seed + 1), today) if EMERGING["code"] in leaves else []  # noqa: S311
    received_times = [(m, c, None) for m, c in _received_times(rng, size - len(emerging), today, codes)]
    received_times = sorted(received_times + emerging, key=lambda t: t[0])
    for n, (received, code, forced) in enumerate(received_times):
        cat = leaves[code]
        district = rng.choices(districts, weights=district_weights)[0]
        if forced is not None:
            district = by_name[EMERGING["district"]]
        agency = cat.default_agency or fallback
        transferred_from = None
        if rng.random() < 0.04:  # 移文: first routed to the wrong agency
            transferred_from = rng.choice([agencies["construction"], agencies["environment"], fallback])
            if transferred_from.pk == agency.pk:
                transferred_from = None
        due = due_for(received, cat.working_days)
        year = timezone.localtime(received).year - 1911
        numbers[year] = numbers.get(year, 0) + 1
        number = f"{year}-{numbers[year]:07d}"
        # Outcome, by age: most replied on time, some extended, some late, some still open.
        local_received = timezone.localtime(received).date()
        age_working = workdays.working_days_between(local_received, today)
        roll = rng.random()
        status, replied_at, closed_at, extended_due = Case.Status.ASSIGNED, None, None, None
        if roll < 0.015 and age_working > 1:
            status = Case.Status.WITHDRAWN
            closed_at = received + datetime.timedelta(hours=rng.randrange(2, 48))
        else:
            if roll < 0.08:
                extra = rng.randrange(5, 16)
                extended_due = workdays.add_working_days(due, extra)
            effective_due = extended_due or due
            if rng.random() < 0.06:  # late
                reply_day = min(today, workdays.add_working_days(effective_due, rng.randrange(1, 8)))
            else:
                span = max(0, workdays.working_days_between(local_received, effective_due))
                reply_day = (
                    workdays.add_working_days(local_received, rng.randrange(0, span + 1))
                    if span
                    else local_received
                )
            if reply_day < today or (reply_day == today and rng.random() < 0.3):
                replied_at = max(
                    received + datetime.timedelta(minutes=rng.randrange(30, 240)), local_end_of(reply_day)
                )
                if replied_at > now:
                    replied_at = None
            if replied_at is not None:
                status = Case.Status.REPLIED
                close_day = workdays.add_working_days(
                    timezone.localtime(replied_at).date(), rng.randrange(1, 6)
                )
                if close_day < today and rng.random() < 0.92:
                    status = Case.Status.CLOSED
                    closed_at = local_end_of(close_day)
            else:
                status = rng.choice([Case.Status.ASSIGNED, Case.Status.IN_PROGRESS, Case.Status.IN_PROGRESS])
                if age_working == 0 and rng.random() < 0.3:
                    status = Case.Status.RECEIVED
        place = rng.choice(points[district.pk]) if points[district.pk] else None
        with_point = place is not None and rng.random() < 0.75
        if forced is not None:
            place, with_point = (forced["lat"], forced["lon"], forced["village_id"]), True
        person = _person(rng, n)
        plans.append(
            {
                "n": n,
                "number": number,
                "received": received,
                "cat": cat,
                "district": by_name.get(district.name),
                "agency": agency,
                "transferred_from": transferred_from,
                "due": due,
                "extended_due": extended_due,
                "status": status,
                "replied_at": replied_at,
                "closed_at": closed_at,
                "place": place if with_point else None,
                "person": person,
                "channel": _weighted(rng, CHANNELS) if cat.code != "signal-dark" else Case.Channel.PHONE,
                "road": (
                    road := EMERGING["road"] if forced else rng.choice(ROADS.get(district.name, ["中山路"]))
                ),
                "text": forced["text"]
                if forced
                else _texts_for(code, complaints, rng, district.name + road, district.name),
                "address": _address(rng, district.name, road),
            }
        )
    if cal_first > min(p["received"] for p in plans).date() or cal_last < today:
        raise workdays.CalendarRangeError("The office calendar does not cover the demo year.")

    sample_code = DEMO_TRACKING_CODE
    sample = next((p["n"] for p in reversed(plans) if p["status"] == Case.Status.CLOSED), plans[-1]["n"])
    cases = []
    for p in plans:
        cat = p["cat"]
        code = sample_code if p["n"] == sample else "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))
        lat, lon, village_id = p["place"] if p["place"] else (None, None, None)
        holder = p["agency"]
        handler = None
        if p["status"] != Case.Status.RECEIVED and p["status"] != Case.Status.ASSIGNED:
            handler = _handler_for(holder, handlers)
        cases.append(
            Case(
                number=p["number"],
                tracking_code_hash=hash_code(p["number"], code),
                channel=p["channel"],
                category=cat,
                subject=f"{p['district'].name}{p['road']} {cat.name}"[:200],
                description=p["text"],
                search_text=search_text(f"{p['district'].name}{p['road']} {cat.name}", p["text"]),
                address=p["address"] if (p["place"] is None or rng.random() < 0.6) else "",
                lat=lat,
                lon=lon,
                district=p["district"],
                village_id=village_id,
                agency=holder,
                handler=handler,
                status=p["status"],
                urgent=cat.urgent,
                received_at=p["received"],
                due_date=p["extended_due"] or p["due"],
                original_due_date=p["due"],
                ack_due_at=p["received"] + datetime.timedelta(hours=cat.ack_hours)
                if cat.urgent and cat.ack_hours
                else None,
                acknowledged_at=p["received"] + datetime.timedelta(minutes=rng.randrange(10, 150))
                if cat.urgent
                else None,
                replied_at=p["replied_at"],
                closed_at=p["closed_at"],
                citizen=citizen if citizen is not None and p["n"] % 3000 == 7 else None,
                created_by=agent if p["channel"] == Case.Channel.PHONE and p["n"] % 50 == 0 else None,
                **p["person"],
            )
        )
    Case.objects.bulk_create(cases, batch_size=2000)
    if any(c.pk is None for c in cases):
        ids = dict(Case.objects.values_list("number", "id"))
        for c in cases:
            c.pk = c.id = ids[c.number]

    tenures, events, replies, extensions, ratings = [], [], [], [], []
    for c, p in zip(cases, plans, strict=True):
        received = p["received"]
        first_agency = p["transferred_from"] or c.agency
        ended = c.closed_at if c.status in (Case.Status.CLOSED, Case.Status.WITHDRAWN) else None
        events.append(
            CaseEvent(
                case_id=c.pk,
                at=received,
                verb="received",
                agency=first_agency,
                public=True,
                data={"channel": c.channel},
            )
        )
        events.append(
            CaseEvent(
                case_id=c.pk,
                at=received,
                verb="assigned",
                agency=first_agency,
                to_agency=first_agency,
                public=True,
                data={"agency_code": first_agency.code},
            )
        )
        if p["transferred_from"] is not None:
            moved = received + datetime.timedelta(hours=rng.randrange(2, 30))
            if c.replied_at and moved > c.replied_at:
                moved = received + (c.replied_at - received) / 2
            tenures.append(
                AgencyTenure(case_id=c.pk, agency=first_agency, started_at=received, ended_at=moved)
            )
            tenures.append(AgencyTenure(case_id=c.pk, agency=c.agency, started_at=moved, ended_at=ended))
            events.append(
                CaseEvent(
                    case_id=c.pk,
                    at=moved,
                    verb="transferred",
                    agency=first_agency,
                    to_agency=c.agency,
                    public=True,
                    note="非本機關權責，移請權責機關辦理。",
                    data={"from_agency_code": first_agency.code, "agency_code": c.agency.code},
                )
            )
        else:
            tenures.append(AgencyTenure(case_id=c.pk, agency=c.agency, started_at=received, ended_at=ended))
        if c.handler_id:
            events.append(
                CaseEvent(
                    case_id=c.pk,
                    at=received + datetime.timedelta(hours=rng.randrange(1, 20)),
                    verb="started",
                    actor_id=c.handler_id,
                    agency=c.agency,
                    public=True,
                )
            )
        if p["extended_due"]:
            asked = min(
                timezone.make_aware(datetime.datetime.combine(p["due"], datetime.time(10)))
                - datetime.timedelta(days=1),
                now,
            )
            asked = max(asked, received)
            requester = _handler_for(c.agency, handlers)
            extensions.append(
                Extension(
                    case_id=c.pk,
                    reason="需會同管線單位及相關機關現場會勘，申請展期。",
                    requested_due_date=p["extended_due"],
                    previous_due_date=p["due"],
                    status=Extension.Status.APPROVED,
                    requested_by=requester,
                    requested_at=asked,
                    decided_by=requester,
                    decided_at=asked + datetime.timedelta(hours=3),
                )
            )
            events.append(
                CaseEvent(
                    case_id=c.pk,
                    at=asked,
                    verb="extension_requested",
                    actor=requester,
                    agency=c.agency,
                    note="需會同相關機關會勘。",
                    data={"requested_due_date": p["extended_due"].isoformat()},
                )
            )
            events.append(
                CaseEvent(
                    case_id=c.pk,
                    at=asked + datetime.timedelta(hours=3),
                    verb="extension_approved",
                    actor=requester,
                    agency=c.agency,
                    public=True,
                    data={"due_date": p["extended_due"].isoformat()},
                )
            )
        if c.replied_at:
            author = _handler_for(c.agency, handlers)
            text = REPLY_TEXTS.get(c.agency.code, REPLY_TEXTS["default"]).format(
                date=f"{timezone.localtime(c.replied_at).month}月{timezone.localtime(c.replied_at).day}日",
                what=WHAT.get(c.category.code, "已依權責妥處"),
            )
            replies.append(
                Reply(
                    case_id=c.pk,
                    body=text,
                    status=Reply.Status.APPROVED,
                    author=author,
                    created_at=c.replied_at - datetime.timedelta(hours=2),
                    approved_by=author,
                    approved_at=c.replied_at,
                )
            )
            events.append(
                CaseEvent(
                    case_id=c.pk,
                    at=c.replied_at,
                    verb="replied",
                    actor=author,
                    agency=c.agency,
                    public=True,
                    data={"on_time": timezone.localtime(c.replied_at).date() <= c.original_due_date},
                )
            )
            if rng.random() < 0.35:
                score = _weighted(rng, [(5, 45), (4, 30), (3, 13), (2, 7), (1, 5)])
                rated = c.replied_at + datetime.timedelta(hours=rng.randrange(1, 72))
                if rated < now:
                    ratings.append(Rating(case_id=c.pk, score=score, created_at=rated, comment=""))
                    events.append(
                        CaseEvent(case_id=c.pk, at=rated, verb="rated", public=True, data={"score": score})
                    )
        if c.status == Case.Status.CLOSED:
            events.append(
                CaseEvent(
                    case_id=c.pk,
                    at=c.closed_at,
                    verb="closed",
                    actor=_handler_for(c.agency, handlers),
                    agency=c.agency,
                    public=True,
                )
            )
        elif c.status == Case.Status.WITHDRAWN:
            events.append(
                CaseEvent(
                    case_id=c.pk,
                    at=c.closed_at,
                    verb="withdrawn",
                    agency=c.agency,
                    public=True,
                    note="陳情人來電表示問題已自行解決，撤回陳情。",
                )
            )
    AgencyTenure.objects.bulk_create(tenures, batch_size=5000)
    CaseEvent.objects.bulk_create(events, batch_size=5000)
    Reply.objects.bulk_create(replies, batch_size=5000)
    Extension.objects.bulk_create(extensions, batch_size=5000)
    Rating.objects.bulk_create(ratings, batch_size=5000)
    for year, last in numbers.items():
        numbering.advance_to(year, last)
    audit.record("petition.demo_seeded", cases[0], count=len(cases))
    if stdout is not None:
        stdout.write(
            _("Try the tracking page with case %(number)s and code %(code)s (demo only).")
            % {"number": cases[sample].number, "code": sample_code}
        )
    return len(cases)
