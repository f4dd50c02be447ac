"""The forms of the strategy pages; services do the checking that matters."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core.dates import roc_date
from rdec.core.forms import DateInput


def _quarter_choices():
    return [(q, _("Q%(quarter)s") % {"quarter": q}) for q in (1, 2, 3, 4)]


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=_quarter_choices)


class WindowForm(forms.Form):
    required_css_class = "required"
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=_quarter_choices)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + datetime.timedelta(days=14)


class ExtendForm(forms.Form):
    required_css_class = "required"
    closes_on = forms.DateField(label=_("New closing date"), widget=DateInput())


class ReportForm(forms.Form):
    required_css_class = "required"
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=14, decimal_places=2)
    narrative = forms.CharField(
        label=_("Progress narrative (辦理情形)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ChangeRequestForm(forms.Form):
    required_css_class = "required"
    new_value = forms.DecimalField(label=_("Proposed annual target"), max_digits=14, decimal_places=2)
    justification = forms.CharField(
        label=_("Why the target cannot be met"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    response_strategy = forms.CharField(
        label=_("Response strategy (因應對策)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DecisionForm(forms.Form):
    required_css_class = "required"
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Approve")), ("no", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class LightRuleForm(forms.Form):
    required_css_class = "required"
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())
    green_from = forms.DecimalField(label=_("Green from (%)"), max_digits=6, decimal_places=2, initial=100)
    yellow_from = forms.DecimalField(label=_("Yellow from (%)"), max_digits=6, decimal_places=2, initial=80)
    source = forms.CharField(label=_("Source"), max_length=1000)
    confirmed = forms.BooleanField(label=_("Confirmed by the RDEC"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- subsidy projects ----------------------------------------------------------------------------------


class SubsidyCycleForm(forms.Form):
    required_css_class = "required"
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class SubsidyProposalForm(forms.Form):
    required_css_class = "required"
    title = forms.CharField(label=_("Project"), max_length=200)
    description = forms.CharField(
        label=_("What the project does"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    central_subsidy = forms.DecimalField(
        label=_("Central subsidy (NT$ thousand)"), max_digits=14, decimal_places=0, min_value=0
    )
    city_match = forms.DecimalField(
        label=_("City's matching funds (NT$ thousand)"),
        max_digits=14,
        decimal_places=0,
        min_value=0,
        initial=0,
    )
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if agencies is not None and agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()


class SubsidyDecisionForm(forms.Form):
    required_css_class = "required"
    selected = forms.TypedChoiceField(
        label=_("Selection"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Selected")), ("no", _("Not selected"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SubsidyScheduleForm(forms.Form):
    required_css_class = "required"
    checkpoints = forms.CharField(
        label=_("Checkpoints"),
        help_text=_("One a line: the planned date (2026-05-31) and the checkpoint."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    months = forms.CharField(
        label=_("Monthly plan"),
        help_text=_(
            "One a line: month, cumulative progress (%), cumulative spending (NT$ thousand), e.g. 4 20 1500."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_checkpoints(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["checkpoints"].splitlines(), 1):
            if not line.strip():
                continue
            date_text, _sep, name = line.strip().partition(" ")
            try:
                rows.append((name.strip(), datetime.date.fromisoformat(date_text)))
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)s: start with a date such as 2026-05-31.") % {"n": n}
                ) from None
        return rows

    def clean_months(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["months"].splitlines(), 1):
            parts = line.replace(",", " ").split()
            if not parts:
                continue
            if len(parts) != 3 or not parts[0].isdigit():
                raise forms.ValidationError(
                    _("Line %(n)s: give the month, the progress and the spending.") % {"n": n}
                )
            rows.append((int(parts[0]), parts[1], parts[2]))
        return rows


class SubsidyMonthForm(forms.Form):
    required_css_class = "required"
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=[(m, m) for m in range(1, 13)])
    actual_progress = forms.DecimalField(label=_("Cumulative progress (%)"), max_digits=5, decimal_places=2)
    actual_spend = forms.DecimalField(
        label=_("Cumulative spending (NT$ thousand)"), max_digits=14, decimal_places=0
    )
    delay_reason = forms.CharField(
        label=_("Reason for delay (落後原因)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    countermeasure = forms.CharField(
        label=_("Countermeasure (因應對策)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    done = forms.MultipleChoiceField(
        label=_("Checkpoints completed"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, checkpoints=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done"].choices = [(c.pk, f"{roc_date(c.planned_on)} {c.name}") for c in checkpoints]
        today = timezone.localdate()
        self.fields["month"].initial = today.month - 1 or 1
