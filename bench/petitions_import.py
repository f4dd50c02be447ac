"""Benchmark: `rdec import_petitions` of 100,000 valid rows, on SQLite and on PostgreSQL.

Floor (issue 3, item 12): 100,000 rows in under 120 s. The file mixes what the old system exports:
ROC and ISO dates, category names, codes and `parent/leaf`, district names and MOI codes, agency
short names and empty agencies, a tenth of the rows with lat/lon (resolved to district and village),
every status, satisfaction scores. Set-up (migrate, reference data) is not timed.

    .venv/bin/python bench/petitions_import.py [--rows 100000] [--database-url postgres://.../rdec_bench_petitions_import]

Without --database-url it runs SQLite and then PostgreSQL at
postgres://postgres@127.0.0.1:5432/rdec_bench_petitions_import (dropped afterwards); --sqlite-only skips it.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shapely.geometry import shape

FLOOR_SECONDS = 120.0
ROOT = Path(__file__).resolve().parent.parent
RDEC = str(Path(sys.executable).with_name("rdec"))
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/rdec_bench_petitions_import"
COLUMNS = (
    "case_no,received_at,channel,category,subject,description,district,address,lat,lon,"
    "agency,status,replied_at,closed_at,satisfaction"
).split(",")


def sample_points(n: int, rng: random.Random) -> list[tuple[float, float]]:
    """Points well inside villages (representative points), jittered a little."""
    data = json.loads((ROOT / "rdec/core/data/taichung-villages.geojson").read_text(encoding="utf-8"))
    reps = [shape(f["geometry"]).representative_point() for f in data["features"]]
    return [(p.y, p.x) for p in (rng.choice(reps) for _ in range(n))]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    cats = json.loads((ROOT / "rdec/petitions/data/categories.json").read_text(encoding="utf-8"))[
        "categories"
    ]
    by_code = {c["code"]: c for c in cats}
    leaves = [c for c in cats if c.get("parent")]
    districts = json.loads((ROOT / "rdec/core/data/taichung-districts.geojson").read_text(encoding="utf-8"))
    towns = [(f["properties"]["TOWNCODE"], f["properties"]["TOWNNAME"]) for f in districts["features"]]
    points = sample_points(rows // 10 + 1, rng)
    channels = ["1999電話", "網路", "市長信箱", "臨櫃", "議員轉介", "phone", "web"]
    statuses = ["結案"] * 6 + ["已回覆"] * 2 + ["處理中", "分案", "受理", "撤回"]
    roads = ["崇德路二段", "文心路四段", "臺灣大道三段", "中清路", "五權路", "中山路", "太平路", "中興路"]
    start = datetime.datetime(2023, 1, 3, 8, 0)  # noqa: DTZ001
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i in range(rows):
            leaf = rng.choice(leaves)
            form = i % 3
            category = (
                leaf["code"]
                if form == 0
                else leaf["name"]
                if form == 1
                else f"{by_code[leaf['parent']]['name']}/{leaf['name']}"
            )
            received = start + datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 900))
            status = rng.choice(statuses)
            replied = received + datetime.timedelta(hours=rng.randrange(2, 200))
            closed = replied + datetime.timedelta(hours=rng.randrange(1, 100))
            roc = i % 2 == 0

            def fmt(moment, roc=roc):
                if roc:
                    return f"{moment.year - 1911}/{moment:%m/%d %H:%M}"
                return moment.isoformat(timespec="minutes") + "+08:00"

            code, name = rng.choice(towns)
            lat = lon = ""
            if i % 10 == 0:
                lat, lon = (f"{v:.6f}" for v in points[i // 10])
            writer.writerow(
                [
                    f"B{i:08d}",
                    fmt(received),
                    rng.choice(channels),
                    category,
                    f"{leaf['name']}（{name}）",
                    f"渠反映{name}{rng.choice(roads)}附近{leaf['name']}，建請查處。案號{i}",
                    code if i % 4 == 0 else name,
                    f"{name}{rng.choice(roads)}{rng.randrange(1, 600)}號",
                    lat,
                    lon,
                    "" if i % 5 else "研考會",
                    status,
                    fmt(replied) if status in ("結案", "已回覆") else "",
                    fmt(closed) if status in ("結案", "撤回") else "",
                    str(rng.choice([5, 5, 4, 4, 3, 2, 1]))
                    if status in ("結案", "已回覆") and i % 3 == 0
                    else "",
                ]
            )


def run(args: list[str], env: dict) -> None:
    subprocess.run([RDEC, *args, "--skip-checks"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def fresh_postgres_database(url: str, drop_only: bool = False) -> None:
    import psycopg

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def time_import(csv_path: Path, database_url: str | None) -> float:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
        env["RDEC_DATA_DIR"] = data_dir
        if database_url:
            env["DATABASE_URL"] = database_url
            fresh_postgres_database(database_url)
        try:
            run(["migrate", "--verbosity", "0"], env)
            run(["load_reference"], env)
            run(["load_petition_categories"], env)
            started = time.monotonic()
            run(["import_petitions", str(csv_path)], env)
            return time.monotonic() - started
        finally:
            if database_url:
                fresh_postgres_database(database_url, drop_only=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_PG)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        started = time.monotonic()
        generate(path, args.rows)
        print(
            f"petitions import, {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB), floor {FLOOR_SECONDS:.0f} s"
        )
        print(f"  (file generated in {time.monotonic() - started:.1f} s, not timed)")
        results = [("SQLite", time_import(path, None))]
        if not args.sqlite_only:
            results.append(("PostgreSQL", time_import(path, args.database_url)))
    for engine, seconds in results:
        print(
            f"  {engine:<10} {seconds:6.1f} s  {args.rows / seconds:8,.0f} rows/s  ratio {seconds / FLOOR_SECONDS:.3f}"
        )


if __name__ == "__main__":
    main()
