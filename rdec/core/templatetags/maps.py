"""`{% map_attrs %}`: the data attributes every map element carries for the shared map setup
(core/maps.js): where the district and village boundaries, the resolver and the address locator
are, and the basemap (settings.RDEC_BASEMAP, docs/maps.md)."""

from __future__ import annotations

import json

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def map_attrs() -> str:
    basemap = getattr(settings, "RDEC_BASEMAP", None)
    return format_html(
        'data-boundaries="{}" data-villages="{}" data-resolve="{}" data-locate="{}" data-basemap="{}"',
        reverse("v1:district-boundaries"),
        reverse("v1:village-boundaries"),
        reverse("v1:district-resolve"),
        reverse("v1:district-locate"),
        json.dumps(basemap or {}, ensure_ascii=False),
    )
