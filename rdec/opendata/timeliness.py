"""Update timeliness: was the dataset's data updated as often as its 更新頻率 promises?

The last update is the newest `modified_at` of its published resources (the metadata's time when
it has none). The next update is due one period later (each unit counted generously: a month is
31 days, a quarter 92, a year 366); 不定期 promises nothing. This is an internal metric, not one of
the national portal's six indicators (open-data.md §2.3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from rdec.opendata import vocab


@dataclass(frozen=True)
class UpdateStatus:
    last_update: datetime.datetime
    due: datetime.datetime | None
    overdue: bool


def update_status(dataset, resources=None, *, now: datetime.datetime | None = None) -> UpdateStatus:
    resources = [
        r for r in (resources if resources is not None else dataset.resources.all()) if r.state == "active"
    ]
    last = max((r.modified_at for r in resources), default=dataset.metadata_modified)
    days = vocab.frequency_days(dataset.update_frequency)
    if days is None:
        return UpdateStatus(last, None, False)
    due = last + datetime.timedelta(days=days)
    return UpdateStatus(last, due, (now or timezone.now()) > due)
