"""Benchmark: raking 20,000 complete interviews to 4 margins (sex 2, age band 5, district 29, education 4)
with rdec.polls.formulas.rake (issue 19, "Speed": < 1 s). Pure numpy, no database. Prints the time, the
iterations and the ratio to the floor (below 1.0 meets it).

    .venv/bin/python bench/polls_raking.py [--cases 20000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

FLOOR_S = 1.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from rdec.polls import formulas
    from rdec.polls.population import district_shares

    rng = np.random.default_rng(19)
    shares = district_shares()
    districts = list(shares)
    # a sample with non-response bias: older, more educated, women over-represented
    data = {
        "sex": rng.choice(["M", "F"], args.cases, p=[0.42, 0.58]).tolist(),
        "age_band": rng.choice(
            ["18-29", "30-39", "40-49", "50-64", "65+"], args.cases, p=[0.1, 0.14, 0.18, 0.3, 0.28]
        ).tolist(),
        "district": rng.choice(districts, args.cases, p=list(shares.values())).tolist(),
        "education": rng.choice(
            ["primary", "secondary", "college", "graduate"], args.cases, p=[0.1, 0.3, 0.45, 0.15]
        ).tolist(),
    }
    targets = {
        "sex": {"M": 0.49, "F": 0.51},
        "age_band": {"18-29": 0.19, "30-39": 0.17, "40-49": 0.19, "50-64": 0.25, "65+": 0.20},
        "district": shares,
        "education": {"primary": 0.2, "secondary": 0.35, "college": 0.35, "graduate": 0.1},
    }
    times, result = [], None
    for _run in range(args.runs):
        started = time.perf_counter()
        result = formulas.rake(data, targets)
        times.append(time.perf_counter() - started)
    best = min(times)
    print(
        f"raking {args.cases:,} cases × 4 margins: median {statistics.median(times):.3f} s, best {best:.3f} s"
    )
    print(
        f"  iterations {result.iterations}, converged {result.converged}, deff {formulas.kish_deff(result.weights):.3f}"
    )
    print(f"  ratio to the {FLOOR_S:.0f} s floor: {statistics.median(times) / FLOOR_S:.2f}")


if __name__ == "__main__":
    main()
