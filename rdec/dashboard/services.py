"""Writes of the city dashboard: a user pins, removes and reorders the components of their own
dashboard (saved in their Layout, audited by audit.track)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rdec.core.permissions import require
from rdec.dashboard import components as dc
from rdec.dashboard import selectors
from rdec.dashboard.models import Layout

UP, DOWN = "up", "down"


def _layout(actor) -> Layout:
    """The actor's layout, locked; made from their current view (the default) on the first change."""
    layout = Layout.objects.select_for_update().filter(user=actor).first()
    if layout is None:
        layout = Layout(user=actor, components=selectors.default_names(actor))
    return layout


def _save(layout: Layout, names: list[str]) -> Layout:
    layout.components = names
    layout.full_clean()
    layout.save()
    return layout


@transaction.atomic
def pin_component(name: str, *, actor) -> Layout:
    """Add the component `name` at the end of the actor's dashboard (once)."""
    require(actor, "dashboard.edit_dashboard")
    component = dc.get(name)
    if component is None or not dc.may_see(component, actor):
        raise ValidationError({"component": _("No such component.")})
    layout = _layout(actor)
    names = selectors.layout_names(actor) if layout.pk else list(layout.components)
    if name not in names:
        names.append(name)
    return _save(layout, names)


@transaction.atomic
def remove_component(name: str, *, actor) -> Layout:
    require(actor, "dashboard.edit_dashboard")
    layout = _layout(actor)
    names = selectors.layout_names(actor) if layout.pk else list(layout.components)
    if name not in names:
        raise ValidationError({"component": _("This component is not on your dashboard.")})
    names.remove(name)
    return _save(layout, names)


@transaction.atomic
def move_component(name: str, direction: str, *, actor) -> Layout:
    """Move the component one place up or down (a no-op at either end)."""
    require(actor, "dashboard.edit_dashboard")
    if direction not in (UP, DOWN):
        raise ValidationError({"direction": _("Choose up or down.")})
    layout = _layout(actor)
    names = selectors.layout_names(actor) if layout.pk else list(layout.components)
    if name not in names:
        raise ValidationError({"component": _("This component is not on your dashboard.")})
    i = names.index(name)
    j = i - 1 if direction == UP else i + 1
    if 0 <= j < len(names):
        names[i], names[j] = names[j], names[i]
    return _save(layout, names)


@transaction.atomic
def reset_dashboard(*, actor) -> None:
    """Back to the role's default dashboard."""
    require(actor, "dashboard.edit_dashboard")
    Layout.objects.filter(user=actor).delete()
