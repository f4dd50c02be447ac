"""The design system's colour tokens, read from core/static/core/rdec.css, and their contrast.

One source of truth: the style-guide page (/styleguide/) shows each pair's ratio and
test_design_tokens.py fails when a pair drops below WCAG 2.1 AA (4.5:1 for text, 3:1 for the
borders of controls and the focus ring).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

CSS = Path(__file__).resolve().parent / "static" / "core" / "rdec.css"

TEXT = 4.5  # WCAG 1.4.3 (AA), normal-size text
NON_TEXT = 3.0  # WCAG 1.4.11 (AA), user-interface components and focus indicators


@dataclass(frozen=True)
class Pair:
    foreground: str  # a token name without "--", or "#fff"
    background: str
    use: str  # (lazy, translatable) what the pair is used for (shown on the style guide)
    minimum: float = TEXT


# Every foreground/background pair the components use.
PAIRS = [
    Pair("color-text", "color-surface", _("body text on white")),
    Pair("color-text", "color-bg", _("body text on the page background")),
    Pair("color-text-muted", "color-surface", _("hints, muted text on white")),
    Pair("color-text-muted", "color-bg", _("muted text on the page background")),
    Pair("color-primary", "color-surface", _("links, secondary buttons")),
    Pair("color-primary", "color-bg", _("links on the page background")),
    Pair("#fff", "color-primary", _("primary button")),
    Pair("#fff", "color-primary-dark", _("primary button (hover), header")),
    Pair("color-primary-dark", "color-primary-light", _("secondary button (hover)")),
    Pair("#fff", "color-danger", _("warning (destructive) button")),
    Pair("#fff", "color-danger-dark", _("warning button (hover)")),
    Pair("color-danger", "color-surface", _("error messages")),
    Pair("color-danger", "alert-error-bg", _("error messages in an error alert")),
    Pair("color-success", "color-surface", _("success text")),
    Pair("color-warning", "color-surface", _("warning text")),
    Pair("tag-overdue-text", "tag-overdue-bg", _("Tag: overdue")),
    Pair("tag-due-text", "tag-due-bg", _("Tag: due soon")),
    Pair("tag-closed-text", "tag-closed-bg", _("Tag: closed")),
    Pair("tag-tracked-text", "tag-tracked-bg", _("Tag: under control")),
    Pair("tag-neutral-text", "tag-neutral-bg", _("Tag: neutral")),
    Pair("color-text", "alert-info-bg", _("info alert")),
    Pair("color-text", "alert-success-bg", _("success alert")),
    Pair("color-text", "alert-warning-bg", _("warning alert")),
    Pair("color-text", "alert-error-bg", _("error alert")),
    Pair("color-border-input", "color-surface", _("borders of inputs"), NON_TEXT),
    Pair("color-focus", "color-primary-dark", _("focus ring on the header"), NON_TEXT),
    Pair("color-text", "color-focus", _("dark outer focus ring against the yellow"), NON_TEXT),
]

_DECLARATION = re.compile(r"--([a-z0-9-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\b")


@cache
def tokens() -> dict[str, str]:
    """Every colour custom property of :root in rdec.css: name (without --) -> #rrggbb."""
    root = CSS.read_text(encoding="utf-8").split(":root", 1)[1].split("}", 1)[0]
    return {name: _expand(value) for name, value in _DECLARATION.findall(root)}


def _expand(value: str) -> str:
    value = value.lower()
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value


def colour(name: str) -> str:
    return _expand(name) if name.startswith("#") else tokens()[name]


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pair_rows() -> list[dict]:
    """The pairs with their colours and ratio, for the style guide and the test."""
    rows = []
    for pair in PAIRS:
        fg, bg = colour(pair.foreground), colour(pair.background)
        ratio = contrast(fg, bg)
        rows.append(
            {
                "pair": pair,
                "fg": fg,
                "bg": bg,
                "ratio": round(ratio, 2),
                "ok": ratio >= pair.minimum,
            }
        )
    return rows
