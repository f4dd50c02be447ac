"""Benchmark: working-day arithmetic, the base of every deadline.

No floor is stated for it; it matters because imports and lists compute deadlines row by row
(100,000 rows in under 2 minutes for the legacy petition import). Prints operations per second.

    .venv/bin/python bench/workdays.py
"""

from __future__ import annotations

import datetime
import os
import random
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rdec.settings")
os.environ.setdefault("RDEC_DATA_DIR", tempfile.mkdtemp())

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from rdec.core import reference, workdays  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    reference.load_bundled()
    rng = random.Random(1999)
    first = datetime.date(2017, 1, 1)
    starts = [first + datetime.timedelta(days=rng.randrange(0, 3600)) for _ in range(200_000)]
    workdays.add_working_days(starts[0], 1)  # load the calendar once
    t = time.perf_counter()
    for day in starts:
        workdays.add_working_days(day, 10)
    add_rate = len(starts) / (time.perf_counter() - t)
    t = time.perf_counter()
    for day in starts:
        workdays.working_days_between(day, day + datetime.timedelta(days=30))
    between_rate = len(starts) / (time.perf_counter() - t)
    print("working days (in-process, calendar 2017-2027 cached)")
    print(f"  add_working_days(start, 10):    {add_rate:12,.0f} /s")
    print(f"  working_days_between(a, a+30):  {between_rate:12,.0f} /s")
    print(f"  ratio to the need of the 100,000-row import (834 rows/s): {add_rate / 834:,.0f}")


if __name__ == "__main__":
    main()
