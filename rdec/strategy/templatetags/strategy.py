"""Template helpers of the strategy pages: numbers, rates and traffic-light words."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LIGHT_LABELS = {
    # Translators: 綠燈 (on track)
    "green": _("Green"),
    # Translators: 黃燈
    "yellow": _("Yellow"),
    # Translators: 紅燈
    "red": _("Red"),
    # Translators: 尚未填報 (no value yet)
    "grey": _("Not reported"),
}


def light_label(light: str) -> str:
    return str(LIGHT_LABELS.get(light, light))


register.filter("light_label", light_label)


@register.filter
def num(value) -> str:
    """3050.00 → 3,050; 10.50 → 10.5; None → —."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


@register.filter
def pct(value) -> str:
    """A rate in percent with one decimal: 95.04 → 95.0 %; None → —."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.1f}%"


@register.filter
def quarter(reports: dict, q):
    """The report of quarter `q` ("1".."4") from {quarter: report}."""
    try:
        return reports.get(int(q))
    except (TypeError, ValueError, AttributeError):
        return None
