"""Benchmark: the 質量分析報告's figures at 1 million cases on PostgreSQL.

Floors (issue 4, "Speed and scale"): a monthly city report's figures < 10 s, a yearly one < 30 s,
on 1 million cases. What is timed is what the background job runs before it draws the files:
`rdec.analytics.report.compute()` — volumes by channel, category, district, village and agency for
the period, the one before and a year earlier, the monthly series, timeliness of this and the
previous period, satisfaction, repeat petitioners and places, hot issues and the hotspot scoring.
The drawing of the files (PDF, .xlsx, .ods) is timed once as well, for information.

The database (default postgres://postgres@127.0.0.1:5432/rdec_bench_analytics_report) is made on
the first run with plain SQL (INSERT … SELECT over generate_series: 1 million cases over 30 months,
about 400,000 a year, ratings on 30 % of the replies, reopen events) and kept for later runs;
--fresh rebuilds it; drop it with `dropdb rdec_bench_analytics_report` when done.

--duckdb also exports the cases and ratings to Parquet and runs the report's main aggregates (the
volume GROUP BYs of three periods and the timeliness GROUP BY) in DuckDB over it, and the same SQL
on PostgreSQL, and prints the ratio (a single-node column store as the floor).

    .venv/bin/python bench/analytics_report.py [--cases 1000000] [--runs 3] [--fresh] [--duckdb]
    .venv/bin/python bench/analytics_report.py --sqlite var/bench-analytics-report.sqlite3 --runs 1
    .venv/bin/python bench/analytics_report.py [--sqlite PATH] --router var/bench-router-1m.joblib --skip-report

--sqlite copies the PostgreSQL database's cases (build it first) into an SQLite file and times the
same figures there.

Also timed on the same database (issue 4's other floors at 1 million cases): hotspot scoring for
September 2026 over all districts × categories (selectors.hotspots as an RDEC officer, < 5 s) and
route suggestion p95 through selectors.route_suggestions as a 1999 agent (< 50 ms), with the model
file given by --router (e.g. the 1 million-text model bench/analytics_train.py --keep writes; it is
registered as the database's router in use) or else the vocabulary-only router. Two users
(bench-officer, bench-agent) are added to the database for this.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "support"))

import databases  # noqa: E402 - bench/support

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rdec_bench_analytics_report"
SECRET = "bench-analytics-report-secret-key-not-for-production-use-0123456789"  # noqa: S105 - bench DB only
FLOORS = {"month": 10.0, "year": 30.0, "hotspots_month": 5.0, "route_p95_ms": 50.0}
ROUTE_TEXTS = [
    "我家巷口的路燈壞了好幾天，晚上很暗",
    "垃圾車今天沒有來收垃圾",
    "有車子每天停在我家門口紅線上",
    "路面有一個大坑洞機車差點摔倒",
    "工地一大早就開始施工很吵",
    "公園的溜滑梯壞掉了很危險",
    "颱風過後大樹倒在馬路中間",
    "下大雨路口就淹水",
]
FIRST_DAY = datetime.date(2024, 5, 1)
DAYS = 914  # 2024-05-01 … 2026-10-31: 30 months

FILL_SQL = """
WITH cats AS (
    SELECT array_agg(c.id ORDER BY c.id) AS ids,
           array_agg(COALESCE(c.default_agency_id, %(fallback)s) ORDER BY c.id) AS agencies,
           array_agg(c.working_days ORDER BY c.id) AS wds,
           array_agg(c.name ORDER BY c.id) AS names
    FROM petitions_category c WHERE c.parent_id IS NOT NULL
), vills AS (
    SELECT array_agg(v.id ORDER BY v.id) AS ids, array_agg(v.district_id ORDER BY v.id) AS districts
    FROM core_village v
), r AS (
    SELECT g,
           random() AS rc, random() AS rv, random() AS rch, random() AS rlate, random() AS rtook,
           random() AS rphone, random() AS rlat, random() AS rlon,
           (timestamptz '%(first)s 07:00:00+08' + (random() * %(days)s) * interval '1 day') AS received
    FROM generate_series(%(start)s, %(stop)s) AS g
), p AS (
    SELECT r.*, 1 + floor(r.rc * array_length(cats.ids, 1))::int AS ci,
           1 + floor(r.rv * array_length(vills.ids, 1))::int AS vi
    FROM r, cats, vills
)
INSERT INTO petitions_case (
    number, tracking_code_hash, channel, category_id, subject, description, search_text, address,
    lat, lon, district_id, village_id, petitioner_name, petitioner_phone, petitioner_email,
    confidential, agency_id, status, urgent, received_at, due_date, original_due_date, replied_at,
    closed_at
)
SELECT
    'AR-' || p.g, 'x',
    (ARRAY['phone','phone','phone','phone','web','web','email','counter','open311','councillor'])[1 + floor(p.rch * 10)::int],
    cats.ids[p.ci], cats.names[p.ci] || '陳情', '測試', '', '',
    round((24.05 + p.rlat * 0.25)::numeric, 4), round((120.55 + p.rlon * 0.25)::numeric, 4),
    vills.districts[p.vi], vills.ids[p.vi],
    '', '09' || lpad(floor(p.rphone * 300000)::text, 8, '0'), '', false,
    cats.agencies[p.ci],
    CASE WHEN p.received > timestamptz '%(open_after)s' AND p.rlate < 0.5 THEN 'in_progress' ELSE 'closed' END,
    false, p.received,
    (p.received + cats.wds[p.ci] * interval '1.4 day')::date,
    (p.received + cats.wds[p.ci] * interval '1.4 day')::date,
    CASE WHEN p.received > timestamptz '%(open_after)s' AND p.rlate < 0.5 THEN NULL
         ELSE p.received + (CASE WHEN p.rlate < 0.08 THEN cats.wds[p.ci] * 1.4 + 1 + p.rtook * 10
                                 ELSE 0.2 + p.rtook * cats.wds[p.ci] * 1.3 END) * interval '1 day' END,
    NULL
FROM p, cats, vills
"""


def fill(total: int) -> float:
    from django.db import connection

    from rdec.core.models import Agency
    from rdec.petitions.models import Case

    have = Case.objects.count()
    if have >= total:
        return 0.0
    started = time.monotonic()
    fallback = Agency.objects.get(code="rdec").pk
    last = FIRST_DAY + datetime.timedelta(days=DAYS)
    with connection.cursor() as cursor:
        step = 250_000
        for start in range(have + 1, total + 1, step):
            stop = min(total, start + step - 1)
            sql = FILL_SQL % {
                "fallback": fallback,
                "first": FIRST_DAY.isoformat(),
                "days": DAYS,
                "start": start,
                "stop": stop,
                "open_after": (last - datetime.timedelta(days=20)).isoformat() + " 00:00:00+08",
            }
            cursor.execute(sql)
            print(f"  … {stop:,} cases", flush=True)
        cursor.execute("UPDATE petitions_case SET closed_at = replied_at WHERE replied_at IS NOT NULL")
        cursor.execute(
            """
            INSERT INTO petitions_rating (case_id, score, comment, created_at)
            SELECT id, s, CASE WHEN s <= 2 AND random() < 0.5
                               THEN (ARRAY['處理太慢','問題沒解決','回覆很敷衍','態度不好'])[1 + floor(random() * 4)::int]
                               ELSE '' END,
                   replied_at + interval '1 day'
            FROM (SELECT id, replied_at, (ARRAY[1,2,3,4,4,5,5,5])[1 + floor(random() * 8)::int] AS s
                  FROM petitions_case WHERE replied_at IS NOT NULL AND random() < 0.3) AS rated
            """
        )
        cursor.execute(
            """
            INSERT INTO petitions_caseevent (case_id, at, verb, note, public, data)
            SELECT case_id, created_at + interval '2 day', 'reopened', '', true, '{}'::jsonb
            FROM petitions_rating WHERE score <= 2 AND random() < 0.2
            """
        )
        cursor.execute("ANALYZE")
    return time.monotonic() - started


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _i in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


# The report's main aggregates as plain SQL, for PostgreSQL and DuckDB alike.
AGG_SQL = [
    # volumes of three periods by category (the same shape serves channel, district, village, agency)
    """SELECT category_id,
              count(*) FILTER (WHERE received_at >= TIMESTAMPTZ '{s}' AND received_at < TIMESTAMPTZ '{e}'),
              count(*) FILTER (WHERE received_at >= TIMESTAMPTZ '{ps}' AND received_at < TIMESTAMPTZ '{pe}'),
              count(*) FILTER (WHERE received_at >= TIMESTAMPTZ '{ys}' AND received_at < TIMESTAMPTZ '{ye}')
       FROM {cases}
       WHERE (received_at >= TIMESTAMPTZ '{s}' AND received_at < TIMESTAMPTZ '{e}')
          OR (received_at >= TIMESTAMPTZ '{ps}' AND received_at < TIMESTAMPTZ '{pe}')
          OR (received_at >= TIMESTAMPTZ '{ys}' AND received_at < TIMESTAMPTZ '{ye}')
       GROUP BY category_id""",
    """SELECT village_id,
              count(*) FILTER (WHERE received_at >= TIMESTAMPTZ '{s}' AND received_at < TIMESTAMPTZ '{e}'),
              count(*) FILTER (WHERE received_at >= TIMESTAMPTZ '{ps}' AND received_at < TIMESTAMPTZ '{pe}'),
              count(*) FILTER (WHERE received_at >= TIMESTAMPTZ '{ys}' AND received_at < TIMESTAMPTZ '{ye}')
       FROM {cases}
       WHERE (received_at >= TIMESTAMPTZ '{s}' AND received_at < TIMESTAMPTZ '{e}')
          OR (received_at >= TIMESTAMPTZ '{ps}' AND received_at < TIMESTAMPTZ '{pe}')
          OR (received_at >= TIMESTAMPTZ '{ys}' AND received_at < TIMESTAMPTZ '{ye}')
       GROUP BY village_id""",
    # timeliness by agency × category
    """SELECT agency_id, category_id, count(*),
              count(*) FILTER (WHERE CAST(replied_at AT TIME ZONE 'Asia/Taipei' AS DATE) <= due_date),
              count(*) FILTER (WHERE due_date <> original_due_date)
       FROM {cases}
       WHERE replied_at >= TIMESTAMPTZ '{s}' AND replied_at < TIMESTAMPTZ '{e}'
         AND status NOT IN ('withdrawn', 'merged')
       GROUP BY agency_id, category_id""",
    # repeat petitioners
    """SELECT petitioner_phone, count(*) FROM {cases}
       WHERE received_at >= TIMESTAMPTZ '{s}' AND received_at < TIMESTAMPTZ '{e}' AND petitioner_phone <> ''
       GROUP BY petitioner_phone HAVING count(*) >= 3""",
]


def _agg_params(p, prev, last) -> dict:
    def ts(day):
        return f"{day.isoformat()} 00:00:00+08"

    one = datetime.timedelta(days=1)
    return {
        "s": ts(p.start), "e": ts(p.end + one), "ps": ts(prev.start), "pe": ts(prev.end + one),
        "ys": ts(last.start), "ye": ts(last.end + one),
    }  # fmt: skip


def duckdb_compare(periods, runs: int) -> None:
    import duckdb
    from django.db import connection

    from rdec.analytics import report

    folder = Path(tempfile.mkdtemp(prefix="rdec-bench-duckdb-"))
    csv_path = folder / "cases.csv"
    started = time.monotonic()
    columns = "id, channel, category_id, district_id, village_id, agency_id, status, petitioner_phone, received_at, replied_at, due_date, original_due_date"
    with connection.cursor() as cursor, csv_path.open("wb") as out:
        with cursor.cursor.copy(
            f"COPY (SELECT {columns} FROM petitions_case) TO STDOUT WITH (FORMAT csv, HEADER)"  # noqa: S608 - fixed text
        ) as copy:
            for data in copy:
                out.write(data)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Asia/Taipei'")
    con.execute(
        f"COPY (SELECT * FROM read_csv_auto('{csv_path}', header=true, "  # noqa: S608 - our own temp path
        "types={'received_at': 'TIMESTAMPTZ', 'replied_at': 'TIMESTAMPTZ', 'petitioner_phone': 'VARCHAR'})) "
        f"TO '{folder / 'cases.parquet'}' (FORMAT parquet)"
    )
    con.execute(f"CREATE VIEW cases AS SELECT * FROM read_parquet('{folder / 'cases.parquet'}')")  # noqa: S608
    print(f"  exported to Parquet in {time.monotonic() - started:.1f} s ({folder})")
    for kind, day in periods:
        p = report.period_of(kind, day)
        params = _agg_params(p, report.previous_period(p), report.same_period_last_year(p))
        pg_sql = [q.format(cases="petitions_case", **params) for q in AGG_SQL]
        duck_sql = [q.format(cases="cases", **params) for q in AGG_SQL]

        def run_pg(pg_sql=pg_sql):
            with connection.cursor() as cursor:
                for q in pg_sql:
                    cursor.execute(q)
                    cursor.fetchall()

        def run_duck(duck_sql=duck_sql):
            for q in duck_sql:
                con.execute(q).fetchall()

        pg_s, _r = timed(run_pg, runs)
        duck_s, _r = timed(run_duck, runs)
        print(
            f"  {kind} main aggregates: PostgreSQL {pg_s:.2f} s, DuckDB over Parquet {duck_s:.2f} s, "
            f"ratio PostgreSQL / DuckDB {pg_s / duck_s:.1f}"
        )
    con.close()
    shutil.rmtree(folder)


CASE_COLUMNS = [
    "id", "number", "tracking_code_hash", "channel", "category_id", "subject", "description", "search_text",
    "address", "lat", "lon", "district_id", "village_id", "petitioner_name", "petitioner_phone",
    "petitioner_email", "confidential", "agency_id", "status", "urgent", "received_at", "due_date",
    "original_due_date", "replied_at", "closed_at",
]  # fmt: skip


def copy_to_sqlite(pg_url: str) -> float:
    """Copy the PostgreSQL benchmark's cases, ratings and reopen events into the SQLite database
    Django is set up on (same ids; categories, agencies, districts and villages mapped by code)."""
    import psycopg
    from django.db import connection

    from rdec.core.models import Agency, District, Village
    from rdec.petitions.models import Case, Category

    if Case.objects.exists():
        return 0.0
    started = time.monotonic()
    utc = datetime.UTC

    def by_code(model, table):
        with psycopg.connect(pg_url) as pg:
            theirs = dict(pg.execute(f"SELECT id, code FROM {table}").fetchall())  # noqa: S608 - fixed names
        ours = dict(model.objects.values_list("code", "id"))
        return {pk: ours[code] for pk, code in theirs.items()}

    maps = {
        "category_id": by_code(Category, "petitions_category"),
        "agency_id": by_code(Agency, "core_agency"),
        "district_id": by_code(District, "core_district"),
        "village_id": by_code(Village, "core_village"),
    }

    def cell(name, value):
        if value is None:
            return None
        if name in maps:
            return maps[name][value]
        if isinstance(value, datetime.datetime):
            return value.astimezone(utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, bool):
            return int(value)
        return value

    connection.ensure_connection()
    db = connection.connection
    marks = ", ".join("?" for _c in CASE_COLUMNS)
    insert = f"INSERT INTO petitions_case ({', '.join(CASE_COLUMNS)}) VALUES ({marks})"  # noqa: S608 - fixed names
    with psycopg.connect(pg_url) as pg, pg.cursor(name="cases") as cur:
        cur.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM petitions_case ORDER BY id")  # noqa: S608 - fixed names
        while rows := cur.fetchmany(50_000):
            db.executemany(
                insert, [[cell(n, v) for n, v in zip(CASE_COLUMNS, row, strict=True)] for row in rows]
            )
            db.commit()
        ratings = pg.execute(
            "SELECT id, case_id, score, comment, created_at FROM petitions_rating"
        ).fetchall()
        db.executemany(
            "INSERT INTO petitions_rating (id, case_id, score, comment, created_at) VALUES (?, ?, ?, ?, ?)",
            [[i, c, s, m, cell("created_at", t)] for i, c, s, m, t in ratings],
        )
        events = pg.execute("SELECT case_id, at FROM petitions_caseevent WHERE verb = 'reopened'").fetchall()
        db.executemany(
            "INSERT INTO petitions_caseevent (case_id, at, verb, note, public, data) VALUES (?, ?, 'reopened', '', 1, '{}')",
            [[c, cell("at", t)] for c, t in events],
        )
        db.commit()
    db.execute("ANALYZE")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--duckdb", action="store_true")
    parser.add_argument(
        "--sqlite", metavar="PATH", help="run on an SQLite copy (made from the PostgreSQL database) instead"
    )
    parser.add_argument("--router", metavar="PATH", help="the model file to time route suggestions with")
    parser.add_argument("--skip-report", action="store_true", help="time only the hotspots and routing")
    args = parser.parse_args()
    if args.sqlite:
        reused = True
        databases.setup_django(f"sqlite:///{Path(args.sqlite).resolve()}", SECRET)
    else:
        reused = databases.ensure_database(args.database_url, args.fresh)
        databases.setup_django(args.database_url, SECRET)
    from django.core.management import call_command

    from rdec.core import reference
    from rdec.core.models import District
    from rdec.petitions.models import Case, Category

    call_command("migrate", interactive=False, verbosity=0)
    if not District.objects.exists():
        reference.load_bundled("66000")
    if not Category.objects.exists():
        from rdec.petitions.reference import load_categories

        load_categories()
    filled = copy_to_sqlite(args.database_url) if args.sqlite else fill(args.cases)
    print(
        f"質量分析報告 figures on {Case.objects.count():,} cases ({'SQLite' if args.sqlite else 'PostgreSQL'}"
        f"{', database reused' if reused and not filled else f', filled in {filled:.0f} s'})"
    )
    from rdec.analytics import charts, report, report_files, summary

    periods = [("month", datetime.date(2026, 9, 1)), ("year", datetime.date(2025, 6, 1))]
    for kind, day in [] if args.skip_report else periods:
        seconds, figures = timed(lambda kind=kind, day=day: report.compute(kind, day), args.runs)
        print(
            f"  {kind} {figures['period']['start']}..{figures['period']['end']}: {seconds:.2f} s median of "
            f"{args.runs} ({figures['volume']['current']:,} cases, {figures['timeliness']['replied']:,} replied, "
            f"{figures['satisfaction']['ratings']:,} ratings) floor {FLOORS[kind]:.0f} s "
            f"ratio {seconds / FLOORS[kind]:.3f}"
        )
        started = time.perf_counter()
        lines = summary.sentences(figures)
        tables = report_files.tables(figures, lines)
        report_files.to_pdf(figures, lines, tables, charts.report_charts(figures))
        report_files.to_xlsx(tables)
        report_files.to_ods(tables)
        print(f"    files (PDF, .xlsx, .ods): {time.perf_counter() - started:.2f} s (not part of the floor)")
    hotspots_and_routing(args.router, args.runs)
    if args.duckdb and not args.sqlite:
        duckdb_compare(periods, args.runs)


def hotspots_and_routing(router_path: str | None, runs: int) -> None:
    from rdec.analytics import selectors
    from rdec.analytics.models import RouterModel
    from rdec.core.models import Agency, Role, User

    people = {}
    for username, role in (("bench-officer", Role.RDEC_OFFICER), ("bench-agent", Role.CALL_AGENT)):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, agency=Agency.objects.get(code="rdec"))
            user.set_unusable_password()
            user.save()
        people[role] = user
    start, end = datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)
    seconds, found = timed(
        lambda: selectors.hotspots(people[Role.RDEC_OFFICER], start=start, end=end, limit=10_000), runs
    )
    print(
        f"  hotspots {start}..{end} over all districts × categories: {seconds:.2f} s median of {runs} "
        f"({len(found)} hotspots) floor {FLOORS['hotspots_month']:.0f} s "
        f"ratio {seconds / FLOORS['hotspots_month']:.3f}"
    )
    if router_path:
        path = str(Path(router_path).resolve())
        if not RouterModel.objects.filter(active=True, path=path).exists():
            RouterModel.objects.filter(active=True).update(active=False)
            RouterModel.objects.create(
                path=path, trained_on=0, tested_on=0, category_top1=0, category_top3=0, agency_top1=0,
                agency_top3=0, seconds=0,
            )  # fmt: skip
    else:
        RouterModel.objects.filter(active=True).update(active=False)
    started = time.perf_counter()
    selectors.route_suggestions(people[Role.CALL_AGENT], text=ROUTE_TEXTS[0])  # loads the model once
    load_s = time.perf_counter() - started
    latencies = []
    for i in range(300):
        t = time.perf_counter()
        selectors.route_suggestions(people[Role.CALL_AGENT], text=ROUTE_TEXTS[i % len(ROUTE_TEXTS)])
        latencies.append((time.perf_counter() - t) * 1000)
    p95 = statistics.quantiles(latencies, n=100)[94]
    print(
        f"  route suggestion ({'model ' + Path(router_path).name if router_path else 'vocabulary-only router'}, "
        f"loaded in {load_s:.1f} s): p50 {statistics.median(latencies):.1f} ms p95 {p95:.1f} ms "
        f"floor {FLOORS['route_p95_ms']:.0f} ms ratio {p95 / FLOORS['route_p95_ms']:.3f}"
    )


if __name__ == "__main__":
    main()
