"""The platform's dates: one date widget (ISO in, ROC typed by hand accepted), ROC for people,
a one-day range shown as one date, quarters in ROC years."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from rdec.core import dates
from rdec.core.forms import AuditFilterForm, DateInput
from rdec.core.templatetags.rdec import roc_range

DAY = datetime.date(2026, 11, 1)


class OneDate(forms.Form):
    day = forms.DateField(widget=DateInput())


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_widget_renders_iso_whatever_the_language(language):
    # zh-Hant's DATE_INPUT_FORMATS start with 2026/11/01, which <input type=date> rejects: blank field.
    with translation.override(language):
        html = str(OneDate(initial={"day": DAY})["day"])
    assert 'type="date"' in html
    assert 'value="2026-11-01"' in html


def test_a_datetime_initial_renders_as_its_date():
    with translation.override("zh-hant"):
        html = str(OneDate(initial={"day": datetime.datetime(2026, 11, 1, 9, 30)})["day"])  # noqa: DTZ001
    assert 'value="2026-11-01"' in html


@pytest.mark.parametrize(
    "typed",
    [
        "2026-11-01",
        "2026/11/01",
        "2026/11/1",
        "115/11/01",
        "115-11-01",
        "115年11月1日",
        "民國115年11月01日",
        " 2026.11.01 ",
    ],
)
@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_widget_accepts_iso_slashes_and_roc(typed, language):
    with translation.override(language):
        form = OneDate(data={"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == DAY
        # Sent back (an error elsewhere on the form) it comes up filled, in ISO.
        assert 'value="2026-11-01"' in str(form["day"])


@pytest.mark.parametrize("typed", ["2026-02-30", "115/13/01", "yesterday", "1/2/3/4"])
def test_the_widget_refuses_what_is_not_a_date(typed):
    with translation.override("zh-hant"):
        form = OneDate(data={"day": typed})
        assert not form.is_valid()
        assert "day" in form.errors


def test_the_audit_filter_uses_the_widget():
    with translation.override("zh-hant"):
        form = AuditFilterForm(data={"since": "115/11/01", "until": "2026/11/30"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["since"] == DAY
        assert 'value="2026-11-30"' in str(form["until"])


def test_every_date_field_of_the_platform_uses_the_one_widget():
    import importlib

    apps = ["analytics", "core", "documents", "opendata", "petitions", "strategy", "tenders", "tracking"]
    modules = [f"{name}.forms" for name in apps] + ["analytics.dashboard_views"]
    seen = 0
    for name in modules:
        module = importlib.import_module(f"rdec.{name}")
        for form_class in vars(module).values():
            if not (isinstance(form_class, type) and issubclass(form_class, forms.BaseForm)):
                continue
            for field_name, field in form_class.base_fields.items():
                if type(field) is forms.DateField and getattr(field.widget, "input_type", "") != "month":
                    if isinstance(field.widget, forms.HiddenInput):
                        continue
                    seen += 1
                    assert isinstance(field.widget, DateInput), f"{name}.{form_class.__name__}.{field_name}"
    assert seen > 20


@given(st.dates(min_value=datetime.date(1912, 1, 1), max_value=datetime.date(2910, 12, 31)))
def test_roc_and_iso_round_trip(day):
    roc = f"{day.year - 1911}/{day.month:02d}/{day.day:02d}"
    assert dates.parse_date(roc) == day
    assert dates.parse_date(day.isoformat()) == day
    with translation.override("zh-hant"):
        assert dates.parse_date(dates.roc_date(day)) == day


def test_roc_date_reads_roc_in_chinese_and_iso_in_english():
    with translation.override("zh-hant"):
        assert dates.roc_date(DAY) == "115年11月1日"
    with translation.override("en"):
        assert dates.roc_date(DAY) == "2026-11-01"
    assert dates.roc_date(None) == ""


def test_a_one_day_range_shows_one_date():
    with translation.override("zh-hant"):
        assert dates.date_range(DAY, DAY) == "115年11月1日"
        assert roc_range(DAY, DAY) == "115年11月1日"
        assert dates.date_range(DAY, datetime.date(2026, 11, 30)) == "115年11月1日至115年11月30日"
        assert dates.date_range(DAY, None) == "115年11月1日起"
        assert dates.date_range(None, DAY) == "至115年11月1日"
    with translation.override("en"):
        assert dates.date_range(DAY, datetime.date(2026, 11, 30)) == "2026-11-01 to 2026-11-30"
        assert dates.date_range(DAY, DAY) == "2026-11-01"


def test_a_quarter_reads_in_roc_years():
    with translation.override("zh-hant"):
        assert dates.quarter_label(2026, 3) == "115 年第 3 季"
    with translation.override("en"):
        assert dates.quarter_label(2026, 3) == "Q3 2026"


def test_a_month_reads_in_roc_and_iso_strings_from_json_are_accepted():
    with translation.override("zh-hant"):
        assert dates.roc_month("2026-07") == "115年7月"
        assert dates.roc_month(datetime.date(2026, 7, 9), short=True) == "115/07"
        assert dates.roc_date("2026-07-31") == "115年7月31日"
    with translation.override("en"):
        assert dates.roc_month("2026-07") == "2026-07"
