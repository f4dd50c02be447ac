"""Benchmark: public full-text search of the transparency registers in PostgreSQL (issue 17).

Floor: 50,000 contracts with 200,000 PDF pages of text, full-text search p95 < 200 ms.

A throwaway database (default postgres://postgres@127.0.0.1:5432/rdec_bench_transparency_search,
dropped and created each run unless --reuse) is migrated and filled with bulk inserts: --contracts
published contracts of --pages pages each of generated contract Chinese (~1,500 characters a page,
from a vocabulary of contract and public-works words with a few rare ones, punctuation and article
numbers), all of it in `search_text` as the public text is, with `search_pairs` computed as save()
would; plus 300 MOUs and 2,000 disclosure items. The GIN indexes are built after the load.

Then, for a mix of queries (common and rare two-character words, four-character words, two-word
queries, a word found nowhere), each run as the pages run it:
- the contract list: `selectors.contract_matches(q=...)` first page of 20 (21 rows read; the page
  shows no total, rdec.core.paginator);
- the cross-register search page: `selectors.search(q=...)`: contracts counted up to SEARCH_CAP (500)
  with the facets over them, MOUs and disclosure items counted, the first 10 of each register;
p50 / p95 per kind of query and over all, and the ratio p95 / 200 ms (below 1.0 meets the floor).

    .venv/bin/python bench/transparency_search.py [--contracts 50000] [--pages 4] [--runs 200] [--reuse]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "support"))

import databases  # noqa: E402 - bench/support

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rdec_bench_transparency_search"
SECRET = "bench-transparency-search-secret-key-not-for-production-0123"  # noqa: S105 - bench DB only
FLOOR_MS = 200.0
PAGE_CHARS = 1500

# Words of Taiwanese public-works and procurement contracts (工程會 templates), most common first.
COMMON = (
    "本契約 契約 機關 廠商 工程 履約 價金 給付 規定 辦理 依據 期限 項目 施工 驗收 保證金 文件 "
    "日曆天 應於 通知 書面 承攬 單價 數量 計價 工作 標準 品質 安全 損害 賠償 保險 費用 負擔 罰款 "
    "逾期 違約金 終止 解除 變更 追加 減少 延長 部分 相關 主管 監造 查驗 檢驗 材料 設備 圖說 規範 "
    "爭議 調解 仲裁 採購法 政府 法令 條款 附件 估驗 尾款 預付款 遲延 通報 職業 勞工 環境 "
    "交通 維持 臨時 設施 清理 完成 竣工 保固 期間 瑕疵 修補 責任 負責 同意 核定 審查 提出 送審"
).split()
MEDIUM = (
    "道路 路面 鋪面 人行道 排水 側溝 管線 路燈 號誌 標線 橋梁 護欄 擋土牆 混凝土 瀝青 刨除 "
    "加封 鋼筋 模板 開挖 回填 植栽 綠美化 公園 校舍 耐震 補強 污水 下水道 自來水 停車場 "
    "消防 空調 電梯 太陽光電 照明 監視器 資訊 系統 軟體 維護 清潔 保全 委託 規劃 設計 測量 "
    "地質 鑽探 水土保持 拆除 廢棄物 再生 節能 減碳 無障礙 電纜 變電 油漆 防水 屋頂 隔音"
).split()
RARE = (
    "鯉魚潭 大坑 新社 石岡 東勢 和平 梨山 谷關 后里 外埔 大甲 大安 清水 梧棲 沙鹿 龍井 "
    "大肚 烏日 霧峰 太平 大里 潭子 神岡 大雅 豐原 北屯 西屯 南屯 水湳 筏子溪 旱溪 柳川 綠川 "
    "草悟道 彩虹眷村 高美濕地 麗寶 審計 稽核 專利 著作權 原住民 客家 文化資產 古蹟 歷史建築 "
    "樹木保護 生態 溼地 螢火蟲 石虎 櫻花 落羽松 風力 氫能 儲能 智慧電表 物聯網 區塊鏈 人工智慧"
).split()
PUNCT = "，，，，、。；："
DISTRICTS = "中區 東區 南區 西區 北區 北屯區 西屯區 南屯區 太平區 大里區 霧峰區 烏日區 豐原區 后里區".split()
WORKS = "道路改善 人行道鋪面改善 路燈汰換 排水改善 校舍耐震補強 公園綠美化 停車場新建 污水下水道".split()
SUPPLIERS = "營造 工程 土木包工業 電機工程 科技 顧問 建設 實業".split()

QUERIES = {  # kind: words (each word a query; two-word queries are pairs of them)
    "common 2-char": ["契約", "廠商", "工程", "驗收", "保險", "監造"],
    "rare 2-char": ["大坑", "石虎", "梨山", "谷關", "古蹟", "氫能"],
    "4-char": ["道路改善", "履約期限", "路燈汰換", "文化資產", "人行道鋪", "螢火蟲季"],
    "two words": ["路燈 汰換", "鋪面 北屯", "石虎 生態", "工程 驗收", "排水 大里", "梨山 道路"],
    "nowhere": ["鳳梨酥", "量子電腦", "zzyzx", "貓熊"],
}


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words = COMMON + MEDIUM + RARE
    weights = (
        [40.0 / (i + 1) ** 0.6 for i in range(len(COMMON))]
        + [2.0 / (i + 1) ** 0.5 for i in range(len(MEDIUM))]
        + [0.004] * len(RARE)
    )
    return words, weights


def page_text(rng: random.Random, words: list[str], cum: list[float], article: int) -> str:
    """About PAGE_CHARS characters: articles of clauses of vocabulary words and punctuation."""
    parts: list[str] = []
    size = 0
    while size < PAGE_CHARS:
        clause = "".join(rng.choices(words, cum_weights=cum, k=rng.randint(3, 7)))
        parts.append(clause)
        parts.append(rng.choice(PUNCT))
        size += len(clause) + 1
        if rng.random() < 0.05:
            article += 1
            parts.append(f"\n第{article}條 ")
    return "".join(parts)[:PAGE_CHARS]


def build(contracts: int, pages: int) -> None:
    from itertools import accumulate

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from rdec.core import reference
    from rdec.core.models import Agency
    from rdec.core.textsearch import pairs_text
    from rdec.transparency.models import Contract, DisclosureItem, Mou

    call_command("migrate", interactive=False, verbosity=0)
    if not Agency.objects.exists():
        reference.load_bundled("66000")
    agencies = list(Agency.objects.all()[:40])
    rng = random.Random(17)
    words, weights = vocabulary(rng)
    cum = list(accumulate(weights))
    now = timezone.now()
    tables = ("transparency_contract", "transparency_mou", "transparency_disclosureitem")
    with connection.cursor() as cursor:  # faster to load without the GIN indexes, then build them
        for table in tables:
            cursor.execute(f"DROP INDEX IF EXISTS {table}_search_vector_gin")
    started = time.monotonic()
    chars = 0
    batch: list[Contract] = []
    for n in range(contracts):
        district, work = rng.choice(DISTRICTS), rng.choice(WORKS)
        title = f"臺中市{district}{work}工程（第{n % 7 + 1}期）"
        supplier = f"{rng.choice(RARE[:30])}{rng.choice(SUPPLIERS)}股份有限公司"
        tax_id = f"{rng.randrange(10**7, 10**8)}"
        texts = [page_text(rng, words, cum, article=i * 8) for i in range(pages)]
        search_text = "\n".join([title, supplier, tax_id, *texts])
        chars += len(search_text)
        signed = datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
        batch.append(
            Contract(
                agency=agencies[n % len(agencies)],
                ocid=f"ocds-bench-{n:06d}",
                title=title,
                kind=Contract.Kind.PROCUREMENT,
                pcc_case_number=f"B{n:07d}",
                supplier_name=supplier,
                supplier_tax_id=tax_id,
                award_amount=rng.randrange(10**5, 10**8),
                award_date=signed - datetime.timedelta(days=7),
                signed_on=signed,
                status=Contract.Status.PUBLISHED,
                published_at=now,
                search_text=search_text,
                search_pairs=pairs_text(title, search_text),
            )
        )
        if len(batch) == 500:
            with transaction.atomic():
                Contract.objects.bulk_create(batch)
            batch = []
            if (n + 1) % 5000 == 0:
                print(f"  {n + 1:,} contracts, {time.monotonic() - started:.0f} s", flush=True)
    with transaction.atomic():
        Contract.objects.bulk_create(batch)
        mous, items = [], []
        for n in range(300):
            text = page_text(rng, words, cum, article=0)
            title = f"臺中市政府與{rng.choice(RARE)}{rng.choice(MEDIUM)}合作備忘錄"
            search_text = f"MOU-{n}\n{title}\n{text}"
            mous.append(
                Mou(
                    number=f"MOU-{n}",
                    title=title,
                    lead_agency=agencies[n % len(agencies)],
                    signed_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n * 5),
                    status=Mou.Status.ACTIVE,
                    text=text,
                    published_at=now,
                    search_text=search_text,
                    search_pairs=pairs_text(search_text),
                )
            )
        Mou.objects.bulk_create(mous)
        for n in range(2000):
            title = f"{rng.choice(DISTRICTS)}{rng.choice(MEDIUM)}{rng.choice(COMMON)}資訊"
            summary = "".join(rng.choices(words, cum_weights=cum, k=30))
            search_text = f"{title}\n{summary}"
            items.append(
                DisclosureItem(
                    agency=agencies[n % len(agencies)],
                    category=n % 10 + 1,
                    title=title,
                    summary=summary,
                    methods=["online"],
                    published_on=datetime.date(2024, 1, 1),
                    updated_on=datetime.date(2025, 1, 1),
                    search_text=search_text,
                    search_pairs=pairs_text(search_text),
                )
            )
        DisclosureItem.objects.bulk_create(items)
    loaded = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for table in tables:
            cursor.execute(f"CREATE INDEX {table}_search_vector_gin ON {table} USING gin (search_vector)")
        indexed = time.monotonic() - started - loaded
        cursor.execute("VACUUM ANALYZE transparency_contract")  # as autovacuum would after a bulk load
        cursor.execute("ANALYZE")
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('transparency_contract')), "
            "pg_size_pretty(pg_relation_size('transparency_contract_search_vector_gin'))"
        )
        total, gin = cursor.fetchone()
    print(
        f"built {contracts:,} contracts, {contracts * pages:,} pages, {chars / 1e6:.0f} M characters: "
        f"loaded in {loaded:.0f} s, GIN indexes in {indexed:.0f} s; contract table {total}, its GIN index {gin}"
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def contract_list(q: str) -> int:
    """The contract list page's work: its first page of 20 (21 rows read, to know of a next page),
    no count (the page pages without one, rdec.core.paginator). Returns the contracts found (counted
    apart, outside the timing)."""
    from rdec.transparency import selectors

    list(selectors.contract_matches(q=q)[0:21])
    return -1


def search_page(q: str) -> int:
    """The search page's work: contracts counted up to SEARCH_CAP with their facets, MOUs and
    disclosure items counted, the first 10 of each register."""
    from rdec.transparency import selectors

    result = selectors.search(q=q)
    list(result.contracts[0:10])
    for qs in (result.mous, result.disclosures):
        list(qs[:10])
    return result.contract_count + result.mous.count() + result.disclosures.count()


def measure(runs: int) -> float:
    rng = random.Random(4)
    plan = [(kind, q) for kind, qs in QUERIES.items() for q in qs]
    # every query at least once, then drawn at random up to `runs`
    plan += [rng.choice(plan) for _ in range(max(0, runs - len(plan)))]
    rng.shuffle(plan)
    for _kind, q in plan[:5]:  # warm the cache as a running server would be
        contract_list(q)
    by_kind: dict[tuple[str, str], list[float]] = {}
    hits: dict[str, int] = {}
    for kind, q in plan:
        for page, run in (("contract list", contract_list), ("search page", search_page)):
            started = time.perf_counter()
            run(q)
            by_kind.setdefault((page, kind), []).append((time.perf_counter() - started) * 1000)
    from rdec.transparency import selectors

    for _kind, q in plan:
        if q not in hits:
            hits[q] = selectors.public_contracts(q=q).count()
    print(
        f"{len(plan)} queries, each as the contract list (its first page, uncounted) and the search page (contracts counted up to 500):"
    )
    everything: list[float] = []
    for (page, kind), times in sorted(by_kind.items()):
        everything += times
        print(
            f"  {page:13s} {kind:14s} n={len(times):3d}  p50 {statistics.median(times):7.1f} ms"
            f"  p95 {percentile(times, 95):7.1f} ms  max {max(times):7.1f} ms"
        )
    print(
        "  contracts found: " + ", ".join(f"{q} {n:,}" for q, n in sorted(hits.items(), key=lambda x: -x[1]))
    )
    p50, p95 = statistics.median(everything), percentile(everything, 95)
    print(f"all: p50 {p50:.1f} ms  p95 {p95:.1f} ms  (floor {FLOOR_MS:.0f} ms, ratio {p95 / FLOOR_MS:.2f})")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=os.environ.get("BENCH_TRANSPARENCY_SEARCH_URL", DEFAULT_URL))
    parser.add_argument("--contracts", type=int, default=50_000)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the database of an earlier run")
    args = parser.parse_args()
    reused = databases.ensure_database(args.url, fresh=not args.reuse)
    databases.setup_django(args.url, SECRET)
    if not reused:
        build(args.contracts, args.pages)
    measure(args.runs)


if __name__ == "__main__":
    main()
