from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rdec.core.models import AuditEntry


class WorkingDaysForm(forms.Form):
    start = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label=_("Working days"), min_value=-3650, max_value=3650, initial=10)


class AuditFilterForm(forms.Form):
    target_type = forms.CharField(label=_("Record type"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditEntry.Action.choices]
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


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
