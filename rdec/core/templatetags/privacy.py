"""`{% privacy_notice "petition" %}`: the short personal-data notice (個資告知) next to a form's
submit button, from rdec.core.privacy.NOTICES."""

from __future__ import annotations

from django import template

from rdec.core import privacy

register = template.Library()


@register.inclusion_tag("core/_privacy_notice.html")
def privacy_notice(key: str) -> dict:
    return privacy.context(key)
