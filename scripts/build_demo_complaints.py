#!/usr/bin/env python
"""Build rdec/petitions/data/demo_complaints.json from the real Kaohsiung 1999 cases (shared data).

Keeps complaint texts that name no place (the demo adds Taichung addresses itself), maps the
Kaohsiung dispatch categories to rdec's category codes, replaces Kaohsiung-only names, dedupes and
caps each category. Run once by a developer; the product never reads ../shared.

    .venv/bin/python scripts/build_demo_complaints.py /work/shared/data/kaohsiung-1999/open1999-2016-2017.csv
"""

from __future__ import annotations

import csv
import html
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "rdec/petitions/data/demo_complaints.json"
PER_CATEGORY = 260

MAPPING = {
    "路燈故障(一)": "light-out",
    "養工-路燈故障(二)": "light-out",
    "養工-路燈白天未熄(二)": "light-day",
    "路燈白天未熄(一)": "light-day",
    "髒亂清除": "litter",
    "號誌故障": "signal-fault",
    "空氣污染": "air",
    "噪音": "noise",
    "妨害安寧": "noise",
    "路面坑洞(一)": "pothole",
    "路面坑洞(二)": "pothole",
    "縣、鄉道破損": "pothole",
    "省道破損": "pothole",
    "溝蓋破損(一)": "manhole",
    "人孔、溝蓋鬆動(一)": "manhole",
    "人孔蓋凹陷坑洞(一)": "manhole",
    "人孔蓋鬆動": "manhole",
    "人手孔凹陷": "manhole",
    "人手孔破損": "manhole",
    "台電-孔蓋鬆動": "manhole",
    "路樹傾倒(一)": "tree",
    "養工-路樹傾倒(二)": "tree",
    "公所-路樹傾倒(二)": "tree",
    "公園、綠地設施損毀(一)": "park-facility",
    "養工-公園、綠地設施損毀(二)": "park-facility",
    "攻擊性流浪犬捕捉": "stray-dog",
    "攻擊性流浪犬捕捉、動物受傷": "injured-animal",
    "動物受困": "injured-animal",
    "垃圾清運": "garbage",
    "污水管阻塞(一)": "sewer",
    "人行道破損(一)": "sidewalk",
    "人行道設施損壞(一)": "sidewalk",
    "養工-人行道設施損壞(二)": "sidewalk",
    "公園髒亂、佔用(一)": "park-dirty",
    "養工-公園髒亂、佔用(二)": "park-dirty",
    "路面油漬": "road-oil",
    "違規停車": "illegal-parking",
    "號誌秒差調整": "signal-timing",
    "小廣告、旗幟": "ads",
    "暴雨積水(一)": "flooding",
    "暴雨積水(二)": "flooding",
    "地下道、路面積水(一)": "flooding",
    "路面下陷(一)": "road-sinking",
    "路面塌陷(一)": "road-sinking",
    "路面掏空(一)": "road-sinking",
    "台電-孔蓋路面下陷": "road-sinking",
    "佔用道路": "road-occupied",
    "怠速": "idling",
}
REPLACE = {"養工處": "建設局", "高雄市": "本市", "高市": "本市", "&nbsp;": " "}
GENERIC = {"道路", "馬路", "小路", "此路", "該路", "大馬路", "整條路", "這條路", "巷道", "一條路", "同條路"}
PLACE = re.compile(r"[\u4e00-\u9fff]{1,4}(?:路|街|大道)(?:[一二三四五六七八九十]段)?")


def split(code: str, text: str) -> str:
    if code == "noise":
        if re.search(r"工地|施工|工程|打樁|機具", text):
            return "noise-construction"
        if re.search(r"改裝|排氣管|機車|汽車|飆車|車輛|車聲|引擎", text):
            return "noise-vehicle"
        return "noise-business"
    if code == "tree":
        return "tree-trim" if re.search(r"修剪|枝葉茂密|遮蔽|遮住", text) else "tree-fallen"
    if code in ("litter", "garbage") and re.search(r"屍", text):
        return "dead-animal"
    if code == "stray-dog" and re.search(r"受傷|受困|困住|掉落|救援", text):
        return "injured-animal"
    return code


def main(source: str) -> None:
    rows = list(csv.DictReader(open(source, encoding="utf-8")))  # noqa: SIM115
    places = set()
    for r in rows:
        for m in PLACE.findall(r["address"]):
            if m not in GENERIC:
                places.add(m)
        places.add(r["district"])
        places.add(r["district"].removesuffix("區"))
    places = {p for p in places if len(p) >= 2}
    pattern = re.compile("|".join(sorted(map(re.escape, places), key=len, reverse=True)))
    buckets: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        code = MAPPING.get(r["category"])
        text = html.unescape(r["description"]).replace("\r", "").replace("\n", "").strip()
        if not code or not 10 <= len(text) <= 160:
            continue
        if pattern.search(text) or re.search(r"\d+\s*號|\d+巷|\d+弄|＊|INS|高雄|[A-Z]{2,}-\d", text):
            continue
        for old, new in REPLACE.items():
            text = text.replace(old, new)
        buckets[split(code, text)].add(text)
    rng = random.Random(1999)  # noqa: S311 - a reproducible sample, not a secret
    out = {}
    for code, texts in sorted(buckets.items()):
        texts = sorted(texts)
        rng.shuffle(texts)
        out[code] = sorted(texts[:PER_CATEGORY])
    payload = {
        "source": "高雄市政府 Open1999派工受理案件資料 (2016-09..2017-08), 政府資料開放授權條款第1版; "
        "complaint texts only, texts naming places removed, 養工處→建設局. See NOTICE.md.",
        "complaints": out,
    }
    OUT.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print({k: len(v) for k, v in out.items()}, sum(len(v) for v in out.values()))


if __name__ == "__main__":
    main(sys.argv[1])
