"""Work queues on the home page: what each module says is waiting for a user.

A module registers its work items in its AppConfig.ready() (next to its navigation entries):

    from rdec.core import permissions, worklist
    worklist.register_work(
        "petitions.overdue",
        _("Overdue cases"),
        group=worklist.DUE,
        visible=lambda user: permissions.check(user, "petitions.view_inbox"),
        count=selectors.overdue_count,          # user -> int, scoped like the list it links to
        url_name="petitions:inbox",
        query={"due": "overdue"},              # the list's own filter parameters
        severity=worklist.DANGER,
    )

`visible` uses the same permission check as the linked view, so a number never leads to a 403;
`count` is a selector of the module (scoped to the user: staff their agency's records, RDEC officers
the whole city's) that counts exactly the rows the filtered list shows. Items of the PARTICIPATE group
are what is open to citizens and visitors (count may be None: a plain task link).

The home page asks `work_for(user)`: the visible items grouped, each with its number and its URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# groups, in the order the home page shows them
DUE = "due"
REPORT = "report"
REVIEW = "review"
FILE = "file"
PARTICIPATE = "participate"

GROUPS = {
    DUE: _("Due and overdue"),
    REPORT: _("Items to report"),
    REVIEW: _("Waiting for you"),
    FILE: _("Reports to file"),
    PARTICIPATE: _("Open for your participation"),
}

WORK_GROUPS = (DUE, REPORT, REVIEW, FILE)  # a staff member's queue (without PARTICIPATE)

# severities: how a non-zero number is shown (a status tag of the design system)
DANGER = "danger"
WARNING = "warning"
INFO = "info"
SEVERITIES = (DANGER, WARNING, INFO)


@dataclass(frozen=True)
class WorkItem:
    key: str
    label: object  # a lazy translation
    group: str
    visible: Callable[[object], bool]
    count: Callable[[object], int] | None
    url_name: str
    query: dict | Callable[[object], dict] = field(default_factory=dict)
    severity: str = INFO
    order: int = 100
    hint: object = ""  # one line under the label (a lazy translation), optional

    def url_for(self, user) -> str:
        query = self.query(user) if callable(self.query) else self.query
        url = reverse(self.url_name)
        return f"{url}?{urlencode(query)}" if query else url


_items: dict[str, WorkItem] = {}


def register_work(
    key: str,
    label,
    *,
    group: str,
    visible: Callable[[object], bool],
    count: Callable[[object], int] | None,
    url_name: str,
    query: dict | Callable[[object], dict] | None = None,
    severity: str = INFO,
    order: int = 100,
    hint="",
) -> WorkItem:
    """Declare one work item (a second registration under the same key replaces the first)."""
    if group not in GROUPS:
        raise ValueError(f"unknown work group {group!r}; one of {sorted(GROUPS)}")
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}; one of {SEVERITIES}")
    item = WorkItem(key, label, group, visible, count, url_name, query or {}, severity, order, hint)
    _items[key] = item
    return item


def unregister_work(key: str) -> None:
    _items.pop(key, None)


def registered() -> list[WorkItem]:
    return sorted(_items.values(), key=lambda i: (list(GROUPS).index(i.group), i.order, i.key))


@dataclass
class Entry:
    item: WorkItem
    count: int | None
    url: str

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def label(self):
        return self.item.label

    @property
    def severity(self) -> str:
        """The tag shown with the number: the item's severity when there is work, quiet at zero."""
        return self.item.severity if self.count else "quiet"


def work_for(user, *, groups: tuple[str, ...] | None = None) -> list[dict]:
    """The user's queue: [{"key", "label", "entries": [Entry]}] in GROUPS order, only groups with at
    least one visible item. An item whose list is not installed (no URL) is left out."""
    found: dict[str, list[Entry]] = {}
    for item in registered():
        if groups is not None and item.group not in groups:
            continue
        if not item.visible(user):
            continue
        try:
            url = item.url_for(user)
        except NoReverseMatch:
            continue
        count = item.count(user) if item.count is not None else None
        found.setdefault(item.group, []).append(Entry(item, count, url))
    return [{"key": g, "label": GROUPS[g], "entries": found[g]} for g in GROUPS if g in found]
