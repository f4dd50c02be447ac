"""Analytics pages. So far: the route hint shown in the 1999 console while the agent types."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from rdec.analytics import selectors
from rdec.core.permissions import check


@login_required
def route_hint(request):
    """An htmx fragment: the three likeliest agencies and categories for the text typed so far."""
    if not check(request.user, "analytics.route"):
        raise PermissionDenied
    text = f"{request.GET.get('subject', '')} {request.GET.get('description', '')}".strip()[:5000]
    suggestions = selectors.route_suggestions(request.user, text=text) if len(text) >= 4 else []
    return render(request, "analytics/_route_hint.html", {"suggestions": suggestions})


@login_required
def similar_fragment(request, number: str):
    """An htmx fragment for the case page: duplicate candidates, each offered as the main case of
    a 併案 when the user may merge."""
    from rdec.petitions import selectors as petitions

    case = petitions.get_case_for_user(request.user, number)
    if not check(request.user, "analytics.find_similar", case):
        raise PermissionDenied
    found = selectors.similar_cases(request.user, case)
    return render(
        request,
        "analytics/_similar_cases.html",
        {"found": found, "may_merge": check(request.user, "petitions.merge", case) and case.is_open},
    )
