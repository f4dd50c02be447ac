"""JSON from outside, read with limits: at most `MAX_DEPTH` nested arrays and objects (issue 13).

Python's decoder recurses once per level, so a body of 100,000 `[` raised RecursionError — an
answer 500 — and a deep structure that did decode could still exhaust the stack later (saving it
to a JSONField, rendering it back). Every reader of request bodies goes through `loads`, which
refuses a document nested deeper than `MAX_DEPTH` (32 — no API of the platform takes more than 4)
before decoding it, with `JSONTooDeep`, a ValueError, so that callers answering 400 for invalid
JSON answer 400 for this too. The size of a body is bounded before it is read, by Django's
DATA_UPLOAD_MAX_MEMORY_SIZE (request.body) or by the caller.
"""

from __future__ import annotations

import json
import re

MAX_DEPTH = 32

# strings (whose brackets do not count) and brackets; anything else is skipped by finditer
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class JSONTooDeep(ValueError):
    pass


def depth(text: str, stop_above: int | None = None) -> int:
    """The deepest nesting of arrays and objects in a JSON text (counted without decoding; the
    count stops once it passes `stop_above`)."""
    deepest = level = 0
    for match in _TOKENS.finditer(text):
        char = match.group(0)[0]
        if char in "[{":
            level += 1
            if level > deepest:
                deepest = level
                if stop_above is not None and deepest > stop_above:
                    break
        elif char in "]}":
            level -= 1
    return deepest


def loads(data: str | bytes | bytearray, *, max_depth: int = MAX_DEPTH, **kwargs):
    """json.loads (with its keyword arguments), refusing (JSONTooDeep) a document nested deeper
    than `max_depth`."""
    text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    if depth(text, stop_above=max_depth) > max_depth:
        raise JSONTooDeep(f"JSON nested deeper than {max_depth} levels")
    try:
        return json.loads(text, **kwargs)
    except RecursionError as exc:  # cannot happen below the limit; a 400, never a 500, if it did
        raise JSONTooDeep(f"JSON nested deeper than {max_depth} levels") from exc
