"""Forms of the document-timeliness pages: they validate input and hand values to the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rdec.core.forms import DateInput
from rdec.documents.models import Document

MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
DATE = DateInput()


class KpiFilterForm(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], widget=MONTH, required=False)
    doc_class = forms.ChoiceField(
        label=_("Document class"),
        required=False,
        choices=[("", _("All classes")), *Document.DocClass.choices],
    )


class UploadForm(forms.Form):
    required_css_class = "required"
    file = forms.FileField(
        label=_("Export of the document system (.csv or .xlsx)"),
        help_text=_("A file with any error is not imported at all."),
    )


class ReceivedForm(forms.Form):
    received_on = forms.DateField(label=_("Report received on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CheckedForm(forms.Form):
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)


class HalfYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(
        label=_("Half"),
        coerce=int,
        choices=[(1, _("First half (January–June)")), (2, _("Second half (July–December)"))],
    )
