"""Paging for text searches: pages through a query without counting it.

Counting every match of a common word among millions of cases costs far more than showing the
newest page of them, so a search result page fetches one row more than it shows to know whether
a next page exists, and says "page N" instead of "page N of M".
"""

from __future__ import annotations

from django.core.paginator import InvalidPage


class WindowPage:
    def __init__(self, rows: list, number: int, has_next: bool, paginator: WindowPaginator):
        self.object_list = rows
        self.number = number
        self._has_next = has_next
        self.paginator = paginator

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class WindowPaginator:
    """Like django.core.paginator.Paginator for `get_page`, without `count` or `num_pages` (None)."""

    count = None
    num_pages = None

    def __init__(self, object_list, per_page: int, max_pages: int = 200):
        self.object_list = object_list
        self.per_page = per_page
        self.max_pages = max_pages

    def get_page(self, number) -> WindowPage:
        try:
            number = max(1, min(int(number), self.max_pages))
        except (TypeError, ValueError, InvalidPage):
            number = 1
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        if not rows and number > 1:
            return self.get_page(1)
        has_next = len(rows) > self.per_page and number < self.max_pages
        return WindowPage(rows[: self.per_page], number, has_next, self)
