"""The city picture's components: what each module says it can show on a dashboard.

A registry like the navigation's (rdec.core.registry) and the home page's work items
(rdec.core.worklist): each module keeps its components in its own `dashboard_components.py`, which
the dashboard app imports in its `AppConfig.ready()` (an app without the file has no component):

    from rdec.dashboard import components as dc

    dc.register(
        "petitions.overdue",                     # unique; the page's data-testid is component-<name>
        _("Overdue cases"),                      # a translated title
        module="petitions",                      # the navigation group it belongs to (ordering)
        visible=lambda user: check(user, "petitions.view_inbox"),   # the linked page's own check
        data=lambda user: {"value": selectors.overdue_count(user)}, # a selector, scoped to the user
        kind=dc.NUMBER,                          # NUMBER | BAR | LINE | TABLE | MAP
        url_name="petitions:inbox", query={"due": "overdue"},
        refresh=60,                              # seconds the computed value is kept
        order=20,
    )

Rules: `visible` asks the same permission as the page the component links to (no link answers
403); `data(user)` calls the module's selectors, so an agency supervisor gets their agency's
numbers and the RDEC the city's, and returns plain JSON (numbers, strings, lists, dicts). The
value is cached per component and scope (the agencies the user may see, or the whole city) for
`refresh` seconds, with the time it was computed: `value_for(component, user)`.

Data shapes by kind:
- NUMBER: {"value": n|None, "unit": "" | "%", "previous": n|None, "previous_label": str, "note": str}
- BAR / LINE: {"unit": str, "rows": [{"label": str, "value": n}]}
- TABLE: {"columns": [str], "rows": [[cell, ...]]}
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

NUMBER, BAR, LINE, TABLE, MAP = "number", "bar", "line", "table", "map"
KINDS = {
    NUMBER: _("Number with trend"),
    BAR: _("Bar chart"),
    LINE: _("Line chart"),
    TABLE: _("Table"),
    MAP: _("Map layer"),
}
CITY, AGENCY = "city", "agency"  # who may see it: the whole city's oversight only, or any scope


@dataclass(frozen=True)
class Component:
    name: str
    title: object  # a lazy translation
    module: str
    visible: Callable[[object], bool]
    data: Callable[[object], dict]
    kind: str = NUMBER
    url_name: str = ""
    query: dict = field(default_factory=dict)
    refresh: int = 300
    order: int = 100
    scope: str = AGENCY  # CITY: shown to the RDEC and administrators only

    def url(self) -> str:
        try:
            url = reverse(self.url_name)
        except NoReverseMatch:
            return ""
        return f"{url}?{urlencode(self.query)}" if self.query else url


_components: dict[str, Component] = {}


def register(
    name: str,
    title,
    *,
    module: str,
    visible: Callable[[object], bool],
    data: Callable[[object], dict],
    kind: str = NUMBER,
    url_name: str = "",
    query: dict | None = None,
    refresh: int = 300,
    order: int = 100,
    scope: str = AGENCY,
) -> Component:
    """Declare one component (a second registration under the same name replaces the first)."""
    if kind not in KINDS:
        raise ValueError(f"unknown component kind {kind!r}; one of {sorted(KINDS)}")
    if scope not in (CITY, AGENCY):
        raise ValueError(f"unknown scope {scope!r}")
    component = Component(
        name, title, module, visible, data, kind, url_name, query or {}, refresh, order, scope
    )
    _components[name] = component
    return component


def unregister(name: str) -> None:
    _components.pop(name, None)


MODULE_ORDER = ("petitions", "tracking", "strategy", "tenders", "documents", "opendata", "polls")


def registered() -> list[Component]:
    def key(c: Component):
        module = MODULE_ORDER.index(c.module) if c.module in MODULE_ORDER else len(MODULE_ORDER)
        return (module, c.order, c.name)

    return sorted(_components.values(), key=key)


def get(name: str) -> Component | None:
    return _components.get(name)


def may_see(component: Component, user) -> bool:
    from rdec.core.permissions import is_oversight

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if component.scope == CITY and not is_oversight(user):
        return False
    return bool(component.visible(user))


def visible_to(user) -> list[Component]:
    """The components `user` may see, in the registry's order."""
    return [c for c in registered() if may_see(c, user)]


def scope_key(user) -> str:
    """'city' for the RDEC and administrators, else a digest of the agencies the user may see."""
    from rdec.core.permissions import visible_agency_ids

    ids = visible_agency_ids(user)
    if ids is None:
        return "city"
    return "a-" + hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()[:16]


def _cache_key(component: Component, user) -> str:
    return f"dashboard:v1:{component.name}:{scope_key(user)}:{get_language() or ''}"


def _plain(value):
    """JSON-ready: Decimals, dates and lazy strings as the API would write them."""
    import json

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def value_for(component: Component, user, *, fresh: bool = False) -> dict:
    """{"computed_at": aware datetime, "data": ...}: from the cache while younger than the
    component's refresh interval, else computed now."""
    key = _cache_key(component, user)
    if not fresh:
        hit = cache.get(key)
        if hit is not None:
            return hit
    value = {"computed_at": timezone.now(), "data": _plain(component.data(user))}
    cache.set(key, value, component.refresh)
    return value


def discover() -> None:
    """Import every installed rdec app's `dashboard_components` module (it registers on import)."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("rdec."):
            continue
        module = f"{config.name}.dashboard_components"
        if find_spec(module) is not None:
            import_module(module)
