"""following pages: follow/unfollow a proposal or consultation, "my follows", the Atom feed of what is
open for participation (/participation/feed.atom)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rdec.participation import selectors, services
from rdec.participation.models import Consultation, Proposal


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _toggle(request, *, proposal=None, consultation=None):
    target = proposal or consultation
    fallback = (
        reverse("participation:proposal-detail", args=[proposal.number])
        if proposal
        else reverse("participation:consultation-detail", args=[consultation.slug])
    )
    if request.POST.get("action") == "unfollow":
        services.unfollow(actor=request.user, proposal=proposal, consultation=consultation)
        messages.info(request, _("You no longer follow “%(title)s”.") % {"title": target.title})
    else:
        services.follow(actor=request.user, proposal=proposal, consultation=consultation)
        messages.success(
            request, _("You follow “%(title)s”: each step is sent to your e-mail.") % {"title": target.title}
        )
    return redirect(_back(request, fallback))


@require_POST
@login_required
def follow_proposal(request, number: str):
    proposal = Proposal.objects.filter(number=number).first()
    if proposal is None or not proposal.is_public:
        raise Http404
    return _toggle(request, proposal=proposal)


@require_POST
@login_required
def follow_consultation(request, slug: str):
    consultation = Consultation.objects.filter(slug=slug).exclude(status=Consultation.Status.DRAFT).first()
    if consultation is None:
        raise Http404
    return _toggle(request, consultation=consultation)


@login_required
def following_list(request):
    return render(
        request, "participation/following_list.html", {"follows": selectors.follows_of(request.user)}
    )


class OpenForParticipationFeed(Feed):
    """Atom 1.0: proposals open for support and consultations open for comments, newest first."""

    feed_type = Atom1Feed

    def title(self):
        return _("Open for your participation — %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _("Proposals open for support (附議) and consultations open for comments (眾開講).")

    def link(self):
        return reverse("participation:following-feed")

    def items(self):
        return selectors.open_for_participation(limit=100)

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return item["summary"]

    def item_link(self, item):
        return item["url"]

    def item_guid(self, item):
        return settings.SITE_URL + item["url"]

    def item_pubdate(self, item):
        return item["published"]

    def item_updateddate(self, item):
        return item["updated"]

    def item_author_name(self, item):
        return item["author"]

    def item_categories(self, item):
        return [item["kind_label"]]

    def __call__(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=300"
        return response


feed_label = gettext_lazy("Atom feed")

urlpatterns: list = [
    path("feed.atom", OpenForParticipationFeed(), name="following-feed"),
    path("following/", following_list, name="following-list"),
    path("proposals/<str:number>/follow/", follow_proposal, name="proposal-follow"),
    path("consultations/<slug:slug>/follow/", follow_consultation, name="consultation-follow"),
]
