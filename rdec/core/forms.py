import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from rdec.core import dates
from rdec.core.models import AuditEntry

# Django's own messages whose zh-Hant wording the platform replaces (rdec/locale comes before
# Django's catalogue, LOCALE_PATHS). Listed here so that makemessages keeps them in the catalogue.
DJANGO_WORDING = (
    # the characters after which a label gets no suffix: with the full-width ones in zh-Hant, so
    # a question label reads 「滿意程度？」, not 「滿意程度？：」
    gettext_noop(":?.!"),
    # Django's 「請輸入正確的 使用者名稱 和密碼…」 reads as a translation
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
    ),
)


class DateInput(forms.DateInput):
    """The platform's one date field: `<input type=date>` with its value always in ISO 8601
    (2026-11-01), which is the only form browsers accept, whatever the language's
    DATE_INPUT_FORMATS say (zh-Hant's first is 2026/11/01, which left the fields blank).

    On the way in it also takes a date typed by hand where the browser shows a text box:
    2026/11/01, ROC 115/11/01 or 115年11月1日 are turned to ISO before the DateField parses them.
    Use it for every DateField: `forms.DateField(widget=DateInput())`."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.isoformat()
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        raw = super().value_from_datadict(data, files, name)
        if isinstance(raw, str) and raw.strip():
            day = dates.parse_date(raw)
            if day is not None:
                return day.isoformat()
        return raw


class WorkingDaysForm(forms.Form):
    start = forms.DateField(label=_("Start date"), widget=DateInput())
    days = forms.IntegerField(label=_("Working days"), min_value=-3650, max_value=3650, initial=10)


def _record_type_choices():
    from rdec.core.audit_labels import type_choices

    return [("", _("All")), *type_choices()]


class AuditFilterForm(forms.Form):
    # A select of the tracked record types by their names (the codes such as core.user stay the values).
    target_type = forms.ChoiceField(label=_("Record type"), required=False, choices=_record_type_choices)
    actor = forms.CharField(label=_("Actor"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditEntry.Action.choices]
    )
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())


class PointForm(forms.Form):
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)


def apply_errors(form, exc: ValidationError, *, default_field: str | None = None) -> None:
    """Put a service's ValidationError on the form: next to its field when the form has one, else
    on `default_field` (None: the form's non-field errors). Works for errors with and without fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else default_field
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(default_field, message)
