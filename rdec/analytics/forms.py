"""Forms of the analytics pages: asking for a 質量分析報告."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.analytics.models import Report
from rdec.core.forms import DateInput


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=Report.Period.choices, initial=Report.Period.MONTH)
    day = forms.DateField(
        label=_("Any day in the period"),
        widget=DateInput(),
        help_text=_("The month, quarter or year that contains this day."),
    )
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False, empty_label=None)
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from rdec.core.models import Agency, District
        from rdec.core.permissions import visible_agency_ids

        ids = visible_agency_ids(user)
        agencies = Agency.objects.order_by("code")
        if ids is None:
            self.fields["agency"].queryset = agencies
            self.fields["agency"].empty_label = _("Whole city (all agencies)")
            self.fields["district"].queryset = District.objects.defer("geometry").order_by("code")
            self.fields["district"].empty_label = _("All districts")
        else:
            self.fields["agency"].queryset = agencies.filter(pk__in=ids)
            self.fields["agency"].help_text = _("Agency staff see their own agency's report.")
            del self.fields["district"]
        last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        self.fields["day"].initial = last_month.replace(day=1)

    def clean_day(self):
        day = self.cleaned_data["day"]
        if not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
            raise forms.ValidationError(_("Give a date between 2000-01-01 and 2100-12-31."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("agency") and data.get("district"):
            self.add_error("district", _("Choose one agency or one district, not both."))
        return data
