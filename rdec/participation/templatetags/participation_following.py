"""{% follow_button proposal %} / {% follow_button consultation %} (the follow form, participation/_follow.html)
and {% og_tags proposal %} (Open Graph tags for sharing, participation/_og.html) — for the proposal and
consultation pages: put `{% load participation_following %}{% og_tags proposal %}` in `{% block head %}`."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import Truncator

from rdec.core import pii
from rdec.participation.models import Consultation, Proposal

register = template.Library()


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


@register.inclusion_tag("participation/_follow.html", takes_context=True)
def follow_button(context, target):
    from rdec.participation.permissions import can_follow
    from rdec.participation.services import is_following

    request = context.get("request")
    user = getattr(request, "user", None)
    if isinstance(target, Proposal):
        action = reverse("participation:proposal-follow", args=[target.number])
        following = is_following(user, proposal=target)
    else:
        action = reverse("participation:consultation-follow", args=[target.slug])
        following = is_following(user, consultation=target)
    return {
        "action": action,
        "following": following,
        "signed_in": bool(user and user.is_authenticated),
        "may_follow": bool(user and user.is_authenticated and can_follow(user, target)),
        "login_url": reverse("core:login") + "?next=" + (request.path if request else ""),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }


def og_context(target) -> dict:
    if isinstance(target, Proposal):
        url = reverse("participation:proposal-detail", args=[target.number])
        description = target.content
    elif isinstance(target, Consultation):
        url = reverse("participation:consultation-detail", args=[target.slug])
        description = target.background
    else:
        return {}
    image = settings.RDEC_EMBLEM_URL or static("core/emblem.svg")
    return {
        "og_title": target.title,
        "og_description": Truncator(pii.mask_text(description or "").replace("\n", " ")).chars(200),
        "og_url": _absolute(url),
        "og_type": "article",
        "og_image": _absolute(image),
        "og_site_name": settings.SITE_NAME,
    }


@register.inclusion_tag("participation/_og.html")
def og_tags(target):
    return og_context(target)
