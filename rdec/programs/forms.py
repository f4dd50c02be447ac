"""Forms of 場域驗證's pages: input shapes only; the rules are in services_fields, whose
ValidationErrors are put back on these forms (core.forms.apply_errors)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core.forms import DateInput
from rdec.core.models import Agency
from rdec.programs.models import FollowOn, Incident, Need, Proposal, Result


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class _Form(forms.Form):
    required_css_class = "required"


class _AgencyForm(_Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = agencies if agencies is not None else Agency.objects.none()
        self.fields["agency"].queryset = qs
        if not self.is_bound and qs.count() == 1:
            self.fields["agency"].initial = qs.first()


class NeedForm(_AgencyForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Problem statement"), widget=_textarea(5))
    survey_year = forms.IntegerField(label=_("Survey year"), min_value=2000, max_value=2200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey_year"].initial = timezone.localdate().year


class FieldForm(_AgencyForm):
    name = forms.CharField(label=_("Name of the field"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=12, decimal_places=8, help_text=_("e.g. 24.178693")
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=12, decimal_places=8, help_text=_("e.g. 120.647350")
    )
    available_from = forms.DateField(label=_("Available from"), widget=DateInput())
    available_until = forms.DateField(label=_("Available until"), widget=DateInput())
    data_offered = forms.CharField(label=_("Data offered"), required=False, widget=_textarea())
    infrastructure_offered = forms.CharField(
        label=_("Infrastructure offered"), required=False, widget=_textarea()
    )
    constraints = forms.CharField(label=_("Constraints"), required=False, widget=_textarea())
    need = forms.ModelChoiceField(label=_("Need it answers"), queryset=Need.objects.none(), required=False)
    published = forms.BooleanField(label=_("Publish on the showcase now"), required=False, initial=True)

    def __init__(self, *args, needs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs if needs is not None else Need.objects.none()


class ProposalForm(_Form):
    need = forms.ModelChoiceField(
        label=_("Need it answers"),
        queryset=Need.objects.none(),
        required=False,
        help_text=_("Answer an agency's need, or choose an open theme."),
    )
    theme = forms.ChoiceField(label=_("Open theme"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    solution = forms.CharField(label=_("Solution"), widget=_textarea(5))
    technology = forms.CharField(label=_("Technology"), widget=_textarea())
    kpis = forms.CharField(
        label=_("KPIs"), widget=_textarea(), help_text=_("One KPI a line: name, target, unit.")
    )
    budget = forms.DecimalField(label=_("Budget (NT$)"), min_value=0, max_digits=12, decimal_places=0)
    funding = forms.ChoiceField(
        label=_("Funding"), choices=Proposal.Funding.choices, widget=forms.RadioSelect
    )
    privacy_security_plan = forms.CharField(label=_("Privacy and security plan"), widget=_textarea(5))
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    tax_id = forms.CharField(label=_("統一編號"), max_length=8, min_length=8)
    team = forms.CharField(label=_("Team"), required=False, widget=_textarea())

    def __init__(self, *args, call=None, needs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs if needs is not None else Need.objects.none()
        themes = list(call.themes) if call is not None else []
        self.fields["theme"].choices = [("", _("(none: I answer a need)"))] + [(t, t) for t in themes]

    def clean_kpis(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data["kpis"].splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if parts and parts[0]:
                rows.append(
                    {
                        "name": parts[0],
                        "target": parts[1] if len(parts) > 1 else "",
                        "unit": ",".join(parts[2:]),
                    }
                )
        return rows


class DecideForm(_Form):
    selected = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Select")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=_textarea(2))


class MatchForm(_Form):
    field = forms.ModelChoiceField(label=_("Field"), queryset=None)
    agreed_on = forms.DateField(label=_("Agreement date"), required=False, widget=DateInput())

    def __init__(self, *args, fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = fields


class StartForm(_Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=36, initial=5)


class ReportForm(_Form):
    received_on = forms.DateField(label=_("Report received on"), widget=DateInput())


class ResultForm(_Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Result.Recommendation.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("Reasons"), widget=_textarea(3))
    kpis_achieved = forms.CharField(label=_("KPIs achieved"), required=False, widget=_textarea(2))


class WithdrawForm(_Form):
    reason = forms.CharField(label=_("Reason for the withdrawal"), widget=_textarea(2))
    on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())


class FollowOnForm(_Form):
    kind = forms.ChoiceField(label=_("Follow-on"), choices=FollowOn.Kind.choices, widget=forms.RadioSelect)
    tender_number = forms.CharField(
        label=_("Tender number"), required=False, max_length=60, help_text=_("For a tender: its number.")
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=_textarea(2),
        help_text=_("For a commercial deployment: where and by whom."),
    )
    recorded_on = forms.DateField(label=_("Recorded on"), widget=DateInput())


class MilestoneForm(_Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class MeasurementForm(_Form):
    kpi = forms.CharField(label=_("KPI"), max_length=200)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    measured_on = forms.DateField(label=_("Measured on"), widget=DateInput())


class IncidentForm(_Form):
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DateInput())
    severity = forms.ChoiceField(label=_("Severity"), choices=Incident.Severity.choices)
    description = forms.CharField(label=_("Description"), widget=_textarea(2))
    action_taken = forms.CharField(label=_("Action taken"), required=False, widget=_textarea(2))
