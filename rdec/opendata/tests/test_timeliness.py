from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from rdec.opendata import vocab
from rdec.opendata.timeliness import update_status

NOW = datetime.datetime(2026, 11, 27, 12, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("frequency", "days"),
    [
        ("每日", 1),
        ("每週", 7),
        ("每月", 31),
        ("每3月", 93),
        ("每季", 92),
        ("每半年", 183),
        ("每年", 366),
        ("每2小時", 2 / 24),
        ("即時", 1),
        ("不定期", None),
        ("每周", 7),
    ],
)
def test_frequency_gives_the_days_between_updates(frequency, days):
    assert vocab.frequency_days(frequency) == days


def _dataset(frequency, last):
    resource = SimpleNamespace(state="active", modified_at=last)
    return SimpleNamespace(update_frequency=frequency, metadata_modified=last), [resource]


def test_a_monthly_dataset_updated_40_days_ago_is_overdue():
    dataset, resources = _dataset("每月", NOW - datetime.timedelta(days=40))
    status = update_status(dataset, resources, now=NOW)
    assert status.overdue
    assert status.due == NOW - datetime.timedelta(days=9)


def test_a_monthly_dataset_updated_20_days_ago_is_on_time():
    dataset, resources = _dataset("每月", NOW - datetime.timedelta(days=20))
    assert not update_status(dataset, resources, now=NOW).overdue


def test_an_irregular_dataset_is_never_overdue():
    dataset, resources = _dataset("不定期", NOW - datetime.timedelta(days=4000))
    status = update_status(dataset, resources, now=NOW)
    assert status.due is None and not status.overdue
