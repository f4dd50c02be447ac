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
class NavItem:
    label: str
    url_name: str
    visible: Callable[[object], bool]
    order: int = 100


_nav: list[NavItem] = []


def register_nav(label, url_name: str, *, visible: Callable[[object], bool] = lambda user: True, order=100):
    if all(item.url_name != url_name for item in _nav):
        _nav.append(NavItem(label, url_name, visible, order))
        _nav.sort(key=lambda item: item.order)


def nav_for(user) -> list[NavItem]:
    return [item for item in _nav if item.visible(user)]


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
