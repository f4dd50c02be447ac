"""What each module declares in one place: its navigation entries. URL routes are found by
convention: an app `rdec.<app>` with `urls.py` is mounted at `/<app>/`, and one with
`api/urls.py` defining `register(router)` adds its viewsets to the /api/v1/ router."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@dataclass(frozen=True)
class NavGroup:
    """A top-level menu of the navigation (陳情, 管考, ...): items register into it by its key."""

    key: str
    label: str
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[object], bool]
    order: int = 100
    group: str = "system"


_groups: dict[str, NavGroup] = {}
_nav: list[NavItem] = []


def register_nav_group(key: str, label, *, order: int = 100) -> NavGroup:
    """Declare a top-level menu; the first registration of a key wins (as for items)."""
    if key not in _groups:
        _groups[key] = NavGroup(key, label, order)
    return _groups[key]


def register_nav(
    label,
    url_name: str,
    *,
    visible: Callable[[object], bool] = lambda user: True,
    order=100,
    group: str = "system",
):
    """An entry of the navigation, under the menu `group` (a key of `register_nav_group`).
    `visible(user)` must be the same permission check as the view the entry links to."""
    if all(item.url_name != url_name for item in _nav):
        _nav.append(NavItem(label, url_name, visible, order, group))
        _nav.sort(key=lambda item: item.order)


def nav_for(user) -> list[NavItem]:
    """The entries `user` may open; a request answered before authentication ran (a rejected
    query string, an error page) has no user and is treated as a visitor."""
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    return [item for item in _nav if item.visible(user)]


@dataclass
class MenuEntry:
    item: NavItem
    url: str
    current: bool = False


@dataclass
class Menu:
    group: NavGroup
    entries: list[MenuEntry]

    @property
    def current(self) -> bool:
        return any(entry.current for entry in self.entries)

    @property
    def single(self) -> MenuEntry | None:
        """The one entry of a menu that has only one: shown as a plain link."""
        return self.entries[0] if len(self.entries) == 1 else None


def _url(url_name: str) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


def current_entry(entries: list[MenuEntry], path: str) -> MenuEntry | None:
    """The entry whose URL is the longest prefix of `path` (the home page, "/", matches only itself)."""
    home = _url("core:home")
    best = None
    for entry in entries:
        url = entry.url
        if not url:
            continue
        if path == url or (url != home and url.endswith("/") and path.startswith(url)):
            if best is None or len(url) > len(best.url):
                best = entry
    return best


def menus_for(user, path: str = "") -> list[Menu]:
    """The user's navigation: the menus in order, each with the entries the user may open (empty
    menus left out); the entry matching `path` (longest prefix) marked current."""
    entries = [MenuEntry(item, _url(item.url_name)) for item in nav_for(user)]
    entries = [entry for entry in entries if entry.url]
    if path:
        match = current_entry(entries, path)
        if match is not None:
            match.current = True
    by_group: dict[str, list[MenuEntry]] = {}
    for entry in entries:
        by_group.setdefault(entry.item.group, []).append(entry)
    groups = sorted(
        (_groups.get(key) or NavGroup(key, key, 1000) for key in by_group),
        key=lambda group: (group.order, group.key),
    )
    return [Menu(group, by_group[group.key]) for group in groups]


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str = ""


def breadcrumbs_for(user, path: str, *, under: str = "") -> list[Crumb]:
    """The trail down to the current page's menu entry: 首頁 › menu › the entry whose URL is the
    longest prefix of `path` (or the entry named `under`, a URL name, for pages whose URL lies
    elsewhere). Only entries the user may open are used; a menu's crumb has no URL (a menu is not
    a page). Empty on the home page."""
    from django.utils.translation import gettext as _

    home = _url("core:home")
    if not path or path == home:
        return []
    crumbs = [Crumb(_("Home"), home)]
    placed = [(menu, entry) for menu in menus_for(user) for entry in menu.entries]
    if under:
        entry = next((e for _m, e in placed if e.item.url_name == under), None)
    else:
        entry = current_entry([e for _m, e in placed], path)
    if entry is not None:
        menu = next(m for m, e in placed if e is entry)
        crumbs.append(Crumb(str(menu.group.label)))
        crumbs.append(Crumb(str(entry.item.label), entry.url))
    return crumbs


def module_apps() -> list[str]:
    """The installed rdec modules other than core, e.g. ["rdec.petitions"]."""
    return [c.name for c in apps.get_app_configs() if c.name.startswith("rdec.") and c.name != "rdec.core"]


def optional_module(name: str):
    return import_module(name) if find_spec(name) is not None else None


def module_url(user, module: str, permission: str, url_name: str, *, obj=None, args=(), query=None) -> str:
    """A link into another module (analytics, tracking) when that module is installed and the user
    holds the permission there; empty otherwise, so a page simply leaves the link out."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from rdec.core.permissions import check

    if not apps.is_installed(f"rdec.{module}") or not check(user, permission, obj):
        return ""
    url = reverse(url_name, args=args)
    return f"{url}?{urlencode(query)}" if query else url
