"""Template helpers: ROC (民國) dates, the html lang attribute, permission questions."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from rdec.core import permissions

register = template.Library()


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def roc_year(year: int) -> int:
    return year - 1911


@register.filter
def roc(value, with_time: bool = False):
    """111年3月7日 in Chinese (ISO 8601 in English); with_time adds 14:05."""
    from rdec.core.dates import roc_date

    if not value:
        return ""
    value = _as_date(value)
    text = roc_date(value)  # also takes an ISO date kept in JSON (a report's figures)
    if with_time and isinstance(value, datetime.datetime):
        text += f" {value:%H:%M}"
    return text


@register.filter
def roc_datetime(value):
    return roc(value, True)


@register.filter
def roc_month(value):
    """`{{ month|roc_month }}`: 115年7月 (2026-07 in English); takes a date or "2026-07"."""
    from rdec.core.dates import roc_month as month

    return month(_as_date(value))


@register.filter
def roc_range(start, end):
    """`{{ start|roc_range:end }}`: 115年12月1日至115年12月7日, one date when start and end are the
    same day, "115年12月1日起" with no end (core.dates.date_range)."""
    from rdec.core.dates import date_range

    return date_range(_as_date(start), _as_date(end))


@register.filter
def audit_event(verb) -> str:
    """`strategy.exported` → 匯出施政策略管考 (core.audit_labels)."""
    from rdec.core.audit_labels import event_label

    return event_label(str(verb or ""))


@register.filter
def audit_type(target_type) -> str:
    """`core.user` → 使用者 (core.audit_labels)."""
    from rdec.core.audit_labels import type_label

    return type_label(str(target_type or ""))


@register.filter
def audit_field(name, target_type) -> str:
    """`{{ field|audit_field:entry.target_type }}`: the field's verbose name (core.audit_labels)."""
    from rdec.core.audit_labels import field_label

    return field_label(str(target_type or ""), str(name))


@register.simple_tag
def audit_value(target_type, name, value) -> str:
    """`{% audit_value entry.target_type field value %}`: a choice field's code by its label, "—" for none
    (core.audit_labels)."""
    from rdec.core.audit_labels import value_label

    shown = value_label(str(target_type or ""), str(name), value)
    return "—" if shown is None else str(shown)


@register.simple_tag
def roc_quarter(year, quarter) -> str:
    """`{% roc_quarter 2026 3 %}`: 115 年第 3 季 (Q3 2026 in English)."""
    from rdec.core.dates import quarter_label

    return quarter_label(int(year), int(quarter))


@register.filter
def roc_short(value):
    """111/03/07 (ROC, as offices write it)."""
    if not value:
        return ""
    value = _as_date(value)
    return f"{roc_year(value.year):03d}/{value.month:02d}/{value.day:02d}"


@register.simple_tag
def html_lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-Hant"


@register.simple_tag
def can(user, permission: str, obj=None) -> bool:
    return permissions.check(user, permission, obj)


@register.simple_tag(takes_context=True)
def unprefixed_path(context) -> str:
    """The current path without its language prefix (/en/agencies/ → /agencies/), for the language
    switch: Django's set_language then adds the prefix of the chosen language."""
    from django.conf import settings

    request = context["request"]
    path = request.get_full_path()
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


@register.filter
def pii_masked(value) -> str:
    """Free text shown publicly with phones, ID numbers, e-mails and introduced names masked
    (core.pii): `{{ comment.body|pii_masked|linebreaksbr }}`."""
    from rdec.core import pii

    return pii.mask_text("" if value is None else str(value))


SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})


@register.filter
def safe_href(value) -> str:
    """A stored link fit for href: http(s) and mailto, or a path on this site; anything else
    (javascript:, data:, vbscript:, a scheme hidden behind spaces or control characters) becomes
    "#". URLField validates forms, but links also arrive by import and by the CKAN API:
    `<a href="{{ dataset.landing_page|safe_href }}">`."""
    from urllib.parse import urlsplit

    text = "" if value is None else str(value)
    # Browsers drop ASCII whitespace and control characters inside a scheme ("java\tscript:").
    squeezed = "".join(ch for ch in text if ord(ch) > 0x20 and ord(ch) != 0x7F)
    if not squeezed:
        return "#"
    scheme = urlsplit(squeezed).scheme.lower()
    if scheme:
        return text if scheme in SAFE_LINK_SCHEMES else "#"
    return text if squeezed.startswith("/") and not squeezed.startswith("//") else "#"
