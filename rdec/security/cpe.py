"""CPE 2.3 names: the formatted string (NISTIR 7695 §6.2) and the attribute comparison of CPE Name
Matching (NISTIR 7696 §6.1), without Django — a pure module the matcher and the forms share.

A formatted string is `cpe:2.3:` and eleven attributes separated by unescaped `:`: part, vendor,
product, version, update, edition, language, sw_edition, target_sw, target_hw, other. In an
attribute a backslash quotes the next character; a lone `*` is ANY, a lone `-` is NA (not
applicable); otherwise an unquoted `*` at either end means "any run of characters" and an unquoted
`?` at either end "one character" (the spec allows them nowhere else).

A value is kept in its *bound* form with the quoting made canonical: every character other than a
letter, digit or `_` is quoted (`\\.`), except the unquoted wildcards. Values compare without regard
to case (CPE names are lower-cased by convention; the spec compares them case-insensitively).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

ANY = "*"
NA = "-"
PREFIX = "cpe:2.3:"
ATTRIBUTES = (
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
)
PARTS = ("a", "o", "h")
_PLAIN = re.compile(r"[A-Za-z0-9_]")


class CpeError(ValueError):
    """A string that is no CPE 2.3 formatted string; `code` names the problem for a message."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _split(body: str) -> list[str]:
    """The attributes of `body` split on unescaped colons (escapes kept)."""
    parts, current, i = [], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body):
                raise CpeError("dangling_escape", body)
            current.append(body[i : i + 2])
            i += 2
            continue
        if ch == ":":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _canonical(raw: str, attribute: str) -> str:
    """`raw` (one attribute of a formatted string) in canonical form, validated: letters lower-cased,
    letters, digits, `_`, `.` and `-` unquoted, every other character quoted, wildcards kept."""
    if raw == "":
        raise CpeError("empty_attribute", attribute)
    if raw in (ANY, NA):
        return raw
    if raw == "\\-":
        return raw  # a literal hyphen, not NA
    tokens: list[tuple[bool, str]] = []  # (is an unquoted wildcard, character)
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\":
            tokens.append((False, raw[i + 1]))
            i += 2
            continue
        if ch.isspace():
            raise CpeError("whitespace", f"{attribute}={raw}")
        if ord(ch) > 126 or ord(ch) < 32:
            raise CpeError("non_ascii", f"{attribute}={raw}")
        tokens.append((ch in "*?", ch))
        i += 1
    # unquoted wildcards only in a leading and a trailing run: `*` alone, or one or more `?`
    lead = 0
    while lead < len(tokens) and tokens[lead][0]:
        lead += 1
    trail = len(tokens)
    while trail > lead and tokens[trail - 1][0]:
        trail -= 1
    if any(wild for wild, _ch in tokens[lead:trail]):
        raise CpeError("embedded_wildcard", f"{attribute}={raw}")
    for run in ("".join(c for _w, c in tokens[:lead]), "".join(c for _w, c in tokens[trail:])):
        if run and run != "*" and set(run) != {"?"}:
            raise CpeError("embedded_wildcard", f"{attribute}={raw}")
    out = []
    for wild, ch in tokens:
        if wild or _PLAIN.match(ch) or ch in ".-":
            out.append(ch.lower())
        else:
            out.append("\\" + ch)
    return "".join(out)


@dataclass(frozen=True)
class Cpe:
    part: str
    vendor: str
    product: str
    version: str = ANY
    update: str = ANY
    edition: str = ANY
    language: str = ANY
    sw_edition: str = ANY
    target_sw: str = ANY
    target_hw: str = ANY
    other: str = ANY

    def values(self) -> tuple[str, ...]:
        return tuple(getattr(self, a) for a in ATTRIBUTES)

    def __str__(self) -> str:
        return PREFIX + ":".join(self.values())

    def plain(self, attribute: str) -> str:
        """The attribute's value with the quoting removed (for display and version comparison)."""
        return unquote(getattr(self, attribute))

    def with_version(self, version: str) -> Cpe:
        return Cpe(*(version if a == "version" else getattr(self, a) for a in ATTRIBUTES))


def unquote(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def parse(text: str) -> Cpe:
    """The CPE of a 2.3 formatted string; raises CpeError naming what is wrong."""
    if not isinstance(text, str):
        raise CpeError("not_text")
    text = text.strip()
    if not text.lower().startswith(PREFIX):
        raise CpeError("prefix", text[:20])
    parts = _split(text[len(PREFIX) :])
    if len(parts) != len(ATTRIBUTES):
        raise CpeError("attribute_count", str(len(parts)))
    values = [_canonical(raw, name) for raw, name in zip(parts, ATTRIBUTES, strict=True)]
    if values[0] not in PARTS:
        raise CpeError("part", values[0])
    if values[1] in (ANY, NA) and values[2] not in (ANY,):
        pass  # a criterion may leave the vendor open; an inventory entry is checked by the caller
    return Cpe(*values)


def is_specific(value: str) -> bool:
    """A value that names something: neither ANY, NA, nor holding an unquoted wildcard."""
    return value not in (ANY, NA) and not has_wildcard(value)


def has_wildcard(value: str) -> bool:
    if value == ANY:
        return True
    i = 0
    while i < len(value):
        if value[i] == "\\":
            i += 2
            continue
        if value[i] in "*?":
            return True
        i += 1
    return False


class Relation(Enum):
    """The set relation of a source (criterion) attribute to a target (inventory) attribute."""

    EQUAL = "equal"
    SUPERSET = "superset"  # the criterion covers the inventory value
    SUBSET = "subset"  # the inventory value is wider than the criterion (ANY in the inventory)
    DISJOINT = "disjoint"
    UNDEFINED = "undefined"  # the inventory value holds a wildcard


def _wildcard_match(pattern: str, target: str) -> bool:
    """Does the bound `pattern` (unquoted `*` = any run, `?` = one char) match the bound `target`?"""
    regex, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            regex.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        regex.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.fullmatch("".join(regex), unquote(target), flags=re.IGNORECASE | re.DOTALL) is not None


def compare(source: str, target: str) -> Relation:
    """NISTIR 7696 Table 6-2: a criterion value `source` against an inventory value `target`."""
    if source == ANY:
        return Relation.EQUAL if target == ANY else Relation.SUPERSET
    if source == NA:
        if target == NA:
            return Relation.EQUAL
        return Relation.SUBSET if target == ANY else Relation.DISJOINT
    if target == ANY:
        return Relation.SUBSET
    if target == NA:
        return Relation.DISJOINT
    if has_wildcard(target):
        return Relation.UNDEFINED
    if has_wildcard(source):
        return Relation.SUPERSET if _wildcard_match(source, target) else Relation.DISJOINT
    return Relation.EQUAL if source.lower() == target.lower() else Relation.DISJOINT


def format_value(text: str) -> str:
    """A plain value typed by a person (`Windows 10`, `2.4.52`) as a formatted-string attribute."""
    text = text.strip().lower().replace(" ", "_")
    if text in ("", ANY):
        return ANY
    if text == NA:
        return NA
    return "".join(ch if _PLAIN.match(ch) or ch in ".-" else "\\" + ch for ch in text)
