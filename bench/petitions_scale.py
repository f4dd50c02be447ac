"""Benchmark: petitions with 2 million cases in PostgreSQL.

Floors (issue 3, "Speed and scale"): agency inbox first page p95 < 150 ms; knowledge-base search and
case text search p95 < 100 ms; public tracking lookup p95 < 50 ms. Prints p50/p95 and the ratio of
p95 to its floor (below 1.0 is within it).

The database (default postgres://postgres@127.0.0.1:5432/rdec_bench_petitions_scale) is created and
filled on the first run (COPY, a few minutes) and reused afterwards; --fresh rebuilds it. Only the
cases table is filled at that scale (the lookups measured read cases only); 5,000 knowledge-base
articles are added. What is measured is what the product runs:

- inbox: `selectors.inbox_for(staff)` of 建設局 (about 40 % of all cases), first 50 rows evaluated
  with their related rows, plus the count a paginated page needs;
- case text search: `selectors.inbox_for(rdec_officer, status="all", q=...)`, first 50 rows; and
  the same words searched by 建設局 staff in their own cases (case_search_agency: several of the
  words belong to other agencies' cases, the slowest kind of search);
- knowledge-base search: `selectors.articles_search(agent, q)`;
- tracking: `selectors.case_for_tracking(number, code)` (the number lookup and the HMAC check).

    .venv/bin/python bench/petitions_scale.py [--cases 2000000] [--fresh] [--trigram]

--trigram adds pg_trgm GIN indexes on UPPER(subject) and UPPER(description) to the bench database
(not a migration) and measures case text search again.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import hmac
import io
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "support"))

import databases  # noqa: E402 - bench/support
from databases import ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rdec_bench_petitions_scale"
SECRET = "bench-petitions-scale-secret-key-not-for-production-use-0123456789"  # noqa: S105 - bench DB only
FLOORS_MS = {
    "inbox": 150.0,
    "case_search": 100.0,
    "case_search_agency": 100.0,
    "kb_search": 100.0,
    "tracking": 50.0,
}
SEARCH_TERMS = ["路燈", "坑洞", "噪音", "違規停車", "垃圾", "號誌", "流浪犬", "積水", "路樹", "人行道"]
KB_TERMS = ["路燈", "垃圾車", "大型廢棄物", "停車費", "噪音", "流浪犬", "戶籍謄本", "淹水", "蜂巢", "違建"]


def setup_django(url: str) -> None:
    databases.setup_django(url, SECRET)


def prepare_reference() -> None:
    from django.core.management import call_command

    from rdec.core import reference
    from rdec.core.models import District
    from rdec.petitions.models import Category

    call_command("migrate", interactive=False, verbosity=0)
    if not District.objects.exists():
        reference.load_bundled("66000")
    if not Category.objects.exists():
        from rdec.petitions.reference import load_categories

        load_categories()


def users():
    from rdec.core.models import Agency, Role, User

    made = {}
    for username, role, code in (
        ("bench-staff", Role.AGENCY_STAFF, "construction"),
        ("bench-officer", Role.RDEC_OFFICER, "rdec"),
        ("bench-agent", Role.CALL_AGENT, "rdec"),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, agency=Agency.objects.get(code=code))
            user.set_unusable_password()
            user.save()
        made[username] = user
    return made


def fill_articles(count: int) -> None:
    from django.utils import timezone

    from rdec.core.models import Agency
    from rdec.petitions import demo
    from rdec.petitions.models import Article

    if Article.objects.count() >= count:
        return
    demo._ensure_reference_content(None)
    base = list(Article.objects.all())
    agencies = list(Agency.objects.filter(level="first"))
    rng = random.Random(5)
    today = timezone.localdate()
    extra = []
    for i in range(count - len(base)):
        a = base[i % len(base)]
        extra.append(
            Article(
                question=f"{a.question}（{rng.choice(['補充說明', '常見問題', '例外情形', '區域差異'])}{i}）",
                answer=a.answer + f" 參考編號 KB-{i:05d}。",
                agency=rng.choice(agencies),
                tags=a.tags,
                valid_from=today - datetime.timedelta(days=400),
                review_due=today + datetime.timedelta(days=rng.randrange(-60, 200)),
            )
        )
    Article.objects.bulk_create(extra, batch_size=2000)


def fill_cases(total: int) -> float:
    """COPY `total` cases into petitions_case (only what is missing). Returns the seconds it took."""
    from django.db import connection

    from rdec.core.models import Agency, District
    from rdec.petitions.models import Case, Category
    from rdec.petitions.search import search_text

    have = Case.objects.count()
    if have >= total:
        return 0.0
    started = time.monotonic()
    rng = random.Random(11)
    leaves = list(Category.objects.filter(parent__isnull=False).select_related("default_agency"))
    weights = [30 if c.default_agency and c.default_agency.code == "construction" else 10 for c in leaves]
    districts = list(District.objects.values_list("id", flat=True))
    fallback = Agency.objects.get(code="rdec").pk
    subjects = [f"{c.name}" for c in leaves]
    texts = ["渠反映該處{n}，建請查處。", "{n}已經好幾天了，請盡快派員處理。", "民眾反映{n}，影響通行安全。"]
    columns = [
        "number",
        "tracking_code_hash",
        "channel",
        "category_id",
        "subject",
        "description",
        "search_text",
        "address",
        "district_id",
        "petitioner_name",
        "petitioner_phone",
        "petitioner_email",
        "confidential",
        "agency_id",
        "status",
        "urgent",
        "received_at",
        "due_date",
        "original_due_date",
        "replied_at",
        "closed_at",
    ]
    start_day = datetime.date(2021, 1, 1)
    span_days = (datetime.date(2026, 11, 20) - start_day).days
    key = SECRET.encode()
    per_year: dict[int, int] = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        copy_sql = f"COPY petitions_case ({', '.join(columns)}) FROM STDIN"
        batch = 200_000
        for chunk_start in range(have, total, batch):
            buf = io.StringIO()
            for i in range(chunk_start, min(total, chunk_start + batch)):
                cat_index = rng.choices(range(len(leaves)), weights=weights)[0]
                cat = leaves[cat_index]
                day = start_day + datetime.timedelta(days=int(span_days * i / total))
                year = day.year - 1911
                per_year[year] = per_year.get(year, 0) + 1
                number = f"{year}-B{i:07d}"
                code = "BENCH" + f"{i % 1000:03d}"
                digest = hmac.new(key, f"{number}:{code}".encode(), hashlib.sha256).hexdigest()
                received = f"{day.isoformat()} {rng.randrange(7, 22):02d}:{rng.randrange(60):02d}:00+08"
                due = day + datetime.timedelta(days=cat.working_days + 2)
                recent = i > total - 40_000
                status = (
                    rng.choice(["assigned", "in_progress", "received"])
                    if recent or rng.random() < 0.01
                    else "closed"
                )
                replied = "" if status != "closed" else f"{due.isoformat()} 10:00:00+08"
                subject = subjects[cat_index]
                desc = rng.choice(texts).format(n=subject)
                house = rng.randrange(1, 900)
                row = [
                    number,
                    digest,
                    "phone",
                    str(cat.pk),
                    f"{subject} {house}號附近",
                    desc,
                    search_text(f"{subject} {house}號附近", desc),
                    f"臺中市某區某路{rng.randrange(1, 900)}號",
                    str(rng.choice(districts)),
                    "",
                    "",
                    "",
                    "f",
                    str(cat.default_agency_id or fallback),
                    status,
                    "t" if cat.urgent else "f",
                    received,
                    due.isoformat(),
                    due.isoformat(),
                    replied or "\\N",
                    replied or "\\N",
                ]
                buf.write("\t".join(row) + "\n")
            with raw.copy(copy_sql) as copy:
                copy.write(buf.getvalue())
            print(f"  … {min(total, chunk_start + batch):,} cases", flush=True)
        cursor.execute("ANALYZE petitions_case")
    return time.monotonic() - started


def timed(fn, runs: int) -> list[float]:
    out = []
    for i in range(runs):
        started = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - started) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def measure(args, people) -> dict[str, list[float]]:
    from django.db import connection

    from rdec.petitions import selectors
    from rdec.petitions.models import Case

    staff, officer, agent = people["bench-staff"], people["bench-officer"], people["bench-agent"]
    numbers = list(
        Case.objects.order_by("?").values_list("number", flat=True)[:200]
        if args.cases <= 100_000
        else Case.objects.filter(id__in=[random.randrange(1, args.cases) for _ in range(400)]).values_list(
            "number", flat=True
        )[:200]
    )
    results: dict[str, list[float]] = {}

    def inbox(i):
        qs = selectors.inbox_for(staff)
        rows = list(qs[:50])
        assert len(rows) == 50
        [(c.category.name, c.agency.short_name, c.district_id) for c in rows]
        qs.count()

    def case_search(i):
        list(selectors.inbox_for(officer, status="all", q=SEARCH_TERMS[i % len(SEARCH_TERMS)])[:50])

    def case_search_agency(i):
        list(selectors.inbox_for(staff, status="all", q=SEARCH_TERMS[i % len(SEARCH_TERMS)])[:50])

    def kb_search(i):
        selectors.articles_search(agent, KB_TERMS[i % len(KB_TERMS)])

    def tracking(i):
        number = numbers[i % len(numbers)]
        seq = int(number.split("B")[1])
        case = selectors.case_for_tracking(number, f"BENCH{seq % 1000:03d}")
        assert case is not None

    for name, fn, runs in (
        ("inbox", inbox, args.runs),
        ("case_search", case_search, args.runs),
        ("case_search_agency", case_search_agency, args.runs),
        ("kb_search", kb_search, args.runs),
        ("tracking", tracking, args.runs * 2),
    ):
        fn(0)  # warm the caches (calendar, permissions, connection)
        results[name] = timed(fn, runs)
    if args.trigram:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS bench_case_subject_trgm ON petitions_case "
                "USING gin (UPPER(subject) gin_trgm_ops)"
            )
            cursor.execute("ANALYZE petitions_case")
        case_search(0)
        results["case_search_trigram"] = timed(case_search, args.runs)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--trigram", action="store_true")
    args = parser.parse_args()
    reused = ensure_database(args.database_url, args.fresh)
    setup_django(args.database_url)
    prepare_reference()
    people = users()
    fill_articles(5000)
    seconds = fill_cases(args.cases)
    from rdec.petitions.models import Article, Case

    print(
        f"petitions at scale (PostgreSQL): {Case.objects.count():,} cases, {Article.objects.count():,} articles"
        + (f"; generated in {seconds:.0f} s" if seconds else "; database reused")
        + ("" if reused or seconds else "")
    )
    results = measure(args, people)
    for name, values in results.items():
        floor = FLOORS_MS[name.removesuffix("_trigram")]
        print(
            f"  {name:<20} p50 {statistics.median(values):7.1f} ms  p95 {p95(values):7.1f} ms  "
            f"floor {floor:.0f} ms  ratio {p95(values) / floor:.3f}  (n={len(values)})"
        )


if __name__ == "__main__":
    main()
