"""The city dashboard's pages: /dashboard/ (the user's components, pinned, removed and reordered
with plain forms, each refreshed by htmx at its own interval), one component's fragment, and the
public dashboard /dashboard/public/ (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rdec.analytics import charts
from rdec.core.permissions import check
from rdec.dashboard import selectors, services


def _allowed(user) -> None:
    if not check(user, "dashboard.view_dashboard"):
        raise PermissionDenied


def _chart(t) -> str:
    from rdec.dashboard import components as dc

    if t.component.kind == dc.BAR:
        rows = [{"name": r["label"], "current": r["value"]} for r in t.data.get("rows", [])]
        return charts.bars(
            rows, slug=f"c-{t.name.replace('.', '-')}", title=str(t.component.title), compare=None
        )
    return ""


def _dress(t):
    """What the template needs beyond the data: the chart, the change against the previous value,
    the table's cells marked as numbers (a number links to the component's page)."""
    t.chart = _chart(t)
    value, previous = t.data.get("value"), t.data.get("previous")
    t.change = round(value - previous, 1) if value is not None and previous is not None else None
    t.cells = [
        [{"value": v, "number": isinstance(v, int | float) and not isinstance(v, bool)} for v in row]
        for row in t.data.get("rows", [])
        if isinstance(row, list)
    ]
    return t


def _with_charts(tiles):
    return [_dress(t) for t in tiles]


@login_required
def home(request):
    _allowed(request.user)
    context = {
        "tiles": _with_charts(selectors.tiles_for(request.user)),
        "available": selectors.available_to_pin(request.user),
        "own_layout": selectors.has_own_layout(request.user),
    }
    return render(request, "dashboard/home.html", context)


@login_required
def component(request, name: str):
    """One component alone, for its periodic refresh (htmx)."""
    _allowed(request.user)
    t = _dress(selectors.tile(request.user, selectors.component_for(request.user, name)))
    return render(request, "dashboard/_tile.html", {"t": t})


def _change(request, action):
    _allowed(request.user)
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("dashboard:home")


@login_required
@require_POST
def pin(request):
    name = request.POST.get("component", "")
    return _change(request, lambda: services.pin_component(name, actor=request.user))


@login_required
@require_POST
def remove(request, name: str):
    return _change(request, lambda: services.remove_component(name, actor=request.user))


@login_required
@require_POST
def move(request, name: str):
    direction = request.POST.get("direction", "")
    return _change(request, lambda: services.move_component(name, direction, actor=request.user))


@login_required
@require_POST
def reset(request):
    return _change(request, lambda: services.reset_dashboard(actor=request.user))


def public(request):
    """The public dashboard: the city's 1999 and petition performance month by month and the open
    data figures — counts and rates only."""
    figures = selectors.public_figures()
    trend = charts.trend(figures["trend"], slug="public-trend", title=_("Cases received per month"))
    return render(request, "dashboard/public.html", {"figures": figures, "trend": trend})
