"""Pages of 簡政創新: the RDEC's digests by month (a month without a digest flagged), a digest's items
and its sending by 函, an item's answers across agencies; the agencies' inbox of referrals and the
assessment form; process reforms; the year-end review (entries, the engine's ranking, awards).
Writes go through services_innovation; their ValidationErrors go back on the forms (HTTP 400)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.forms import apply_errors
from rdec.core.permissions import check, require
from rdec.programs import forms_innovation as f
from rdec.programs import selectors, selectors_innovation, services, services_innovation
from rdec.programs.models import Call, Programme
from rdec.programs.models_innovation import Award, Digest, DigestItem, InnovationEntry
from rdec.programs.views import _agencies


def _year(request, default: int) -> int:
    try:
        return int(request.GET.get("year", default))
    except ValueError:
        return default


# --- the RDEC's digests ----------------------------------------------------------------------------


@login_required
def digest_list(request):
    require(request.user, "programs.manage_innovation")
    today = timezone.localdate()
    year = _year(request, today.year)
    digests = {d.month: d for d in Digest.objects.filter(year=year).prefetch_related("items")}
    missing = set(selectors_innovation.missing_digest_months(year, today))
    months = [
        {"month": m, "digest": digests.get(m), "missing": m in missing}
        for m in range(1, 13)
        if m in digests or m in selectors_innovation.months_due(year, today)
    ]
    form = f.DigestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                digest = services_innovation.create_digest(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The digest is created; add its items."))
                return redirect("programs:digest-detail", pk=digest.pk)
        status = 400
    context = {
        "year": year,
        "years": [today.year - 1, today.year],
        "months": months,
        "missing": sorted(missing),
        "form": form,
    }
    return render(request, "programs/innovation/digest_list.html", context, status=status)


@login_required
def digest_detail(request, pk: int):
    """A digest: its title and items (add, edit, remove while unsent), then the 函 that sends it."""
    require(request.user, "programs.manage_innovation")
    digest = get_object_or_404(Digest, pk=pk)
    items = list(digest.items.prefetch_related("referrals__agency", "referrals__assessment"))
    item_form = f.DigestItemForm(prefix="item")
    send_form = f.SendForm(prefix="send", items=items)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "item":
                item_form = f.DigestItemForm(request.POST, prefix="item")
                if item_form.is_valid():
                    try:
                        services_innovation.add_item(digest, actor=request.user, **item_form.cleaned_data)
                    except ValidationError as exc:
                        apply_errors(item_form, exc)
                    else:
                        messages.success(request, _("The item is added."))
                        return redirect("programs:digest-detail", pk=digest.pk)
            elif action == "remove":
                item = get_object_or_404(DigestItem, pk=request.POST.get("item") or 0, digest=digest)
                services_innovation.remove_item(item, actor=request.user)
                messages.success(request, _("The item is removed."))
                return redirect("programs:digest-detail", pk=digest.pk)
            elif action == "send":
                send_form = f.SendForm(request.POST, prefix="send", items=items)
                if send_form.is_valid():
                    try:
                        services_innovation.send_digest(
                            digest,
                            actor=request.user,
                            routing=send_form.routing(),
                            letter_number=send_form.cleaned_data["letter_number"],
                            due_on=send_form.cleaned_data["due_on"],
                            sent_on=send_form.cleaned_data["sent_on"],
                        )
                    except ValidationError as exc:
                        apply_errors(send_form, exc)
                    else:
                        messages.success(request, _("The digest is sent to the agencies."))
                        return redirect("programs:digest-detail", pk=digest.pk)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        status = 400
    today = timezone.localdate()
    for item in items:
        item.rows = list(item.referrals.all())
        for referral in item.rows:
            referral.overdue = referral.is_overdue_on(today)
    context = {"digest": digest, "items": items, "item_form": item_form, "send_form": send_form}
    return render(request, "programs/innovation/digest_detail.html", context, status=status)


@login_required
def item_edit(request, pk: int):
    require(request.user, "programs.manage_innovation")
    item = get_object_or_404(DigestItem.objects.select_related("digest"), pk=pk)
    initial = {k: getattr(item, k) for k in ("headline", "kind", "source_url", "place", "summary")}
    form = f.DigestItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_innovation.update_item(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("programs:digest-detail", pk=item.digest_id)
    return render(
        request,
        "programs/innovation/item_form.html",
        {"item": item, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def item_answers(request, pk: int):
    """A digest item's answers across the agencies it went to (the RDEC)."""
    require(request.user, "programs.manage_innovation")
    item = get_object_or_404(DigestItem.objects.select_related("digest"), pk=pk)
    today = timezone.localdate()
    referrals = list(
        item.referrals.select_related("agency", "assessment__tracking_item").order_by(
            "-lead", "agency__sort_order"
        )
    )
    for referral in referrals:
        referral.overdue = referral.is_overdue_on(today)
    return render(request, "programs/innovation/item_answers.html", {"item": item, "referrals": referrals})


# --- the agencies' referrals ---------------------------------------------------------------------------


@login_required
def referral_list(request):
    require(request.user, "programs.view_referrals")
    today = timezone.localdate()
    referrals = list(selectors_innovation.referrals_visible_to(request.user).order_by("due_on", "id"))
    for referral in referrals:
        referral.overdue = referral.is_overdue_on(today)
    return render(request, "programs/innovation/referral_list.html", {"referrals": referrals, "today": today})


@login_required
def referral_detail(request, pk: int):
    """A referral and its answer: the assessment form for the referred agency until answered."""
    referral = get_object_or_404(selectors_innovation.referrals_visible_to(request.user), pk=pk)
    assessment = getattr(referral, "assessment", None)
    may_answer = assessment is None and check(request.user, "programs.assess_referral", referral)
    form = f.AssessmentForm(request.POST or None) if may_answer else None
    status = 200
    if request.method == "POST":
        require(request.user, "programs.assess_referral", referral)
        if not may_answer:
            messages.error(request, _("This referral is already answered."))
        elif form.is_valid():
            try:
                services_innovation.assess_referral(referral, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Your answer is recorded."))
                return redirect("programs:referral-detail", pk=referral.pk)
        status = 400
    context = {
        "referral": referral,
        "item": referral.item,
        "assessment": assessment,
        "form": form,
        "overdue": referral.is_overdue_on(timezone.localdate()),
        "others": referral.item.referrals.exclude(pk=referral.pk).select_related("agency"),
    }
    return render(request, "programs/innovation/referral_detail.html", context, status=status)


# --- process reforms --------------------------------------------------------------------------------


@login_required
def reform_list(request):
    require(request.user, "programs.post_needs")
    year = _year(request, timezone.localdate().year)
    reforms = selectors_innovation.reforms_visible_to(request.user).filter(year=year)
    return render(request, "programs/innovation/reform_list.html", {"reforms": reforms, "year": year})


@login_required
def reform_create(request):
    require(request.user, "programs.post_needs")
    form = f.ReformForm(request.POST or None, agencies=_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            reform = services_innovation.record_process_reform(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The process reform is saved."))
            return redirect(f"{_reverse('programs:reform-list')}?year={reform.year}")
    return render(
        request, "programs/innovation/reform_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _reverse(name: str, **kwargs) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs or None)


# --- the year-end review ------------------------------------------------------------------------------


@login_required
def innovation_list(request):
    """The innovation reviews (engine calls of the innovation programme), the user's entries, and
    the awards given."""
    require(request.user, "programs.post_needs")
    now = timezone.now()
    calls = list(Call.objects.filter(programme=Programme.INNOVATION).order_by("-closes"))
    for call in calls:
        call.open_now = call.is_open_at(now)
    context = {
        "calls": calls,
        "entries": selectors_innovation.entries_visible_to(request.user).select_related("award"),
        "awards": Award.objects.select_related("entry__agency", "entry__submission__call").order_by(
            "-entry__year", "rank"
        ),
        "manage": check(request.user, "programs.manage_innovation"),
    }
    return render(request, "programs/innovation/innovation_list.html", context)


@login_required
def innovation_enter(request, slug: str):
    call = get_object_or_404(Call, slug=slug, programme=Programme.INNOVATION)
    require(request.user, "programs.post_needs")
    form = f.EntryForm(request.POST or None, agencies=_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services_innovation.enter_innovation(call, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc, default_field="title")
        else:
            messages.success(request, _("Your entry is submitted to the review."))
            return redirect("programs:innovation-list")
    return render(
        request,
        "programs/innovation/entry_form.html",
        {"call": call, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def innovation_review(request, slug: str):
    """The RDEC's page of a review: the engine's ranking of the entries (scores are given through the
    engine's API or import_scores) and the awards."""
    call = get_object_or_404(Call, slug=slug, programme=Programme.INNOVATION)
    require(request.user, "programs.manage_innovation", call)
    failed, status = None, 200
    if request.method == "POST":
        entry = get_object_or_404(InnovationEntry, pk=request.POST.get("entry") or 0, submission__call=call)
        form = f.AwardForm(request.POST, prefix=f"award-{entry.pk}")
        if form.is_valid():
            try:
                services_innovation.give_award(entry, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc, default_field="level")
            else:
                messages.success(request, _("The award is given."))
                return redirect("programs:innovation-review", slug=call.slug)
        failed, status = form, 400
    ranking = {e.reference: e for e in selectors.ranking(call, selectors.default_round(call), names=True)}
    rows = []
    for entry in selectors_innovation.entries_of(call).select_related("award"):
        award = getattr(entry, "award", None)
        form = None
        if award is None:
            form = failed if failed is not None and failed.prefix == f"award-{entry.pk}" else None
            form = form or f.AwardForm(prefix=f"award-{entry.pk}")
        rows.append(
            {"entry": entry, "rank": ranking.get(entry.submission.reference), "award": award, "form": form}
        )
    rows.sort(key=lambda r: (r["rank"] is None or r["rank"].rank is None, getattr(r["rank"], "rank", 0) or 0))
    return render(request, "programs/innovation/review.html", {"call": call, "rows": rows}, status=status)


@login_required
def review_create(request):
    """The RDEC opens the year-end review: an engine call (programme "innovation") whose window runs
    from the opening day's first second to the closing day's last (Taipei time)."""
    require(request.user, "programs.manage_innovation")
    form = f.ReviewCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        zone = timezone.get_current_timezone()
        try:
            call = services.create_call(
                actor=request.user,
                slug=d["slug"],
                title=d["title"],
                programme=Programme.INNOVATION,
                opens=datetime.datetime.combine(d["opens"], datetime.time.min, tzinfo=zone),
                closes=datetime.datetime.combine(d["closes"], datetime.time(23, 59, 59), tzinfo=zone),
                criteria=d["criteria"],
                tie_break=d["tie_break"].strip(),
            )
        except ValidationError as exc:
            apply_errors(form, exc, default_field="criteria")
        else:
            messages.success(request, _("The review is open for entries in its window."))
            return redirect("programs:innovation-review", slug=call.slug)
    return render(
        request, "programs/innovation/review_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


urlpatterns = [
    path("innovation/reviews/new/", review_create, name="innovation-review-create"),
    path("innovation/digests/", digest_list, name="digest-list"),
    path("innovation/digests/<int:pk>/", digest_detail, name="digest-detail"),
    path("innovation/items/<int:pk>/edit/", item_edit, name="digest-item-edit"),
    path("innovation/items/<int:pk>/", item_answers, name="digest-item-answers"),
    path("innovation/referrals/", referral_list, name="referral-list"),
    path("innovation/referrals/<int:pk>/", referral_detail, name="referral-detail"),
    path("innovation/reforms/", reform_list, name="reform-list"),
    path("innovation/reforms/new/", reform_create, name="reform-create"),
    path("innovation/reviews/", innovation_list, name="innovation-list"),
    path("innovation/reviews/<slug:slug>/enter/", innovation_enter, name="innovation-enter"),
    path("innovation/reviews/<slug:slug>/", innovation_review, name="innovation-review"),
]
