"""Ordering the version strings that CPE names and CVE ranges carry, without Django.

Versions are split into runs of digits and runs of letters (any other character only separates);
runs compare pairwise: two numbers as numbers (2.4.9 < 2.4.52, 7.4.4 < 7.4.30, four-part Windows
builds 10.0.19045.3570), two letter runs alphabetically without regard to case (1.0.2u < 1.0.2zd),
and a number is later than a letter run in the same place (9.0.0.1 > 9.0.0.M1). When one version is
a prefix of the other, the longer one is later: 1.1.1 < 1.1.1a < 1.1.1k, and Tomcat's milestone
9.0.0.M1 is later than 9.0.0 (inside `[9.0.0, 9.0.31)` as the CVE texts say M1 is affected),
whatever pre-release conventions elsewhere would say. This is the order of RPM's `rpmvercmp`
without its tilde rule (research A6: the one ready comparator that got every pair of the sample
right).

`key()` gives a sort key, so the order is total on the versions it accepts; `comparable()` says
whether two versions can be placed against each other at all: `r2` (a Windows Server edition in
the version field) against `6.2.9200.25031` cannot — the matcher reports such a pair as
indeterminate instead of guessing.
"""

from __future__ import annotations

import re

_TOKENS = re.compile(r"(\d+)|([A-Za-z]+)")


class IncomparableVersions(ValueError):
    pass


def tokens(version: str) -> list[int | str]:
    return [int(num) if num else word.lower() for num, word in _TOKENS.findall(version)]


def key(version: str) -> tuple:
    """A sort key: numbers (1, n, "") sort after letter runs (0, 0, word) in the same place, and a
    tuple that is a prefix of another sorts first."""
    return tuple((1, t, "") if isinstance(t, int) else (0, 0, t) for t in tokens(version))


def starts_with_number(version: str) -> bool:
    t = tokens(version)
    return bool(t) and isinstance(t[0], int)


def comparable(a: str, b: str) -> bool:
    """Both versions have content and start with the same kind of run (digits or letters)."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return False
    return isinstance(ta[0], int) == isinstance(tb[0], int)


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as `a` is earlier than, the same as or later than `b`."""
    if not comparable(a, b):
        raise IncomparableVersions(f"{a!r} and {b!r}")
    ka, kb = key(a), key(b)
    return (ka > kb) - (ka < kb)


def in_range(
    version: str,
    *,
    start_including: str = "",
    start_excluding: str = "",
    end_including: str = "",
    end_excluding: str = "",
) -> bool:
    """Whether `version` lies within the bounds given (empty = open); IncomparableVersions when a
    bound cannot be compared with it."""
    if start_including and compare(version, start_including) < 0:
        return False
    if start_excluding and compare(version, start_excluding) <= 0:
        return False
    if end_including and compare(version, end_including) > 0:
        return False
    if end_excluding and compare(version, end_excluding) >= 0:
        return False
    return True
