"""Forms of 地方創生's pages: input shapes only; the rules are in services_revitalisation, whose
ValidationErrors are put back on these forms (core.forms.apply_errors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rdec.core.forms import DateInput
from rdec.core.models import Agency, District
from rdec.programs.models import (
    Call,
    FundingKind,
    RevitalisationKpi,
    RevitalisationProposal,
    Scheme,
)

LINES = 4  # amount lines offered on a form (requested resources, approvals)


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class _Form(forms.Form):
    required_css_class = "required"


class ProposalForm(_Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.none())
    type = forms.ChoiceField(
        label=_("Type"), choices=RevitalisationProposal.Type.choices, widget=forms.RadioSelect
    )
    district = forms.ModelChoiceField(
        label=_("District of the place"), queryset=District.objects.none(), to_field_name="code"
    )
    district_office = forms.ModelChoiceField(
        label=_("District office"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Required for a district office proposal; an open-call proposal has none."),
    )
    title = forms.CharField(label=_("Proposal title"), max_length=200)
    vision = forms.CharField(label=_("Vision"), widget=_textarea(4))
    proposers = forms.CharField(
        label=_("Proposers (事業體)"), widget=_textarea(3), help_text=_("One a line.")
    )
    businesses = forms.CharField(
        label=_("Revitalisation businesses (創生事業)"),
        required=False,
        widget=_textarea(3),
        help_text=_("One a line."),
    )
    csr_partners = forms.CharField(
        label=_("CSR partner firms"), required=False, widget=_textarea(2), help_text=_("One a line.")
    )
    usr_partners = forms.CharField(
        label=_("USR university teams"), required=False, widget=_textarea(2), help_text=_("One a line.")
    )
    organisation = forms.CharField(label=_("Lead proposer"), max_length=200)
    tax_id = forms.CharField(label=_("統一編號"), max_length=8, min_length=8)

    def __init__(self, *args, calls=None, districts=None, offices=None, office_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls if calls is not None else Call.objects.none()
        self.fields["district"].queryset = districts if districts is not None else District.objects.none()
        self.fields["district_office"].queryset = offices if offices is not None else Agency.objects.none()
        if office_only:  # a district office files its own 公所提案 only
            self.fields["type"].choices = [
                c
                for c in RevitalisationProposal.Type.choices
                if c[0] == RevitalisationProposal.Type.DISTRICT_OFFICE
            ]
            self.fields["type"].initial = RevitalisationProposal.Type.DISTRICT_OFFICE
            self.fields["district_office"].required = True
        for name in ("call", "district", "district_office"):
            qs = self.fields[name].queryset
            if not self.is_bound and qs.count() == 1:
                self.fields[name].initial = qs.first()

    def partners(self) -> list[dict]:
        d = self.cleaned_data
        return [{"kind": "csr", "name": n} for n in lines_of(d.get("csr_partners"))] + [
            {"kind": "usr", "name": n} for n in lines_of(d.get("usr_partners"))
        ]


class LineForm(_Form):
    """One amount line: a ministry (or a scheme of the catalogue), an amount and its kind."""

    ministry = forms.CharField(label=_("Ministry"), max_length=100, required=False)
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.all(), required=False)
    amount = forms.IntegerField(label=_("Amount (NT$)"), min_value=1, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *FundingKind.choices], required=False)

    def line(self) -> dict | None:
        d = self.cleaned_data
        if not any(d.get(k) for k in ("ministry", "scheme", "amount", "kind")):
            return None
        return {
            "ministry": d.get("ministry", ""),
            "scheme": d.get("scheme"),
            "amount": d.get("amount"),
            "kind": d.get("kind"),
        }


LineFormSet = forms.formset_factory(LineForm, extra=LINES, max_num=20)


def lines_from(formset) -> list[dict]:
    return [line for form in formset.forms if (line := form.line()) is not None]


class ScreenForm(_Form):
    eligible = forms.TypedChoiceField(
        label=_("Screening"),
        choices=[("1", _("Eligible")), ("0", _("Not eligible"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=_textarea(2))


class ForwardForm(_Form):
    forward = forms.TypedChoiceField(
        label=_("The city's decision"),
        choices=[("1", _("Forward to the working meeting")), ("0", _("Do not forward"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=_textarea(2))


class MeetingForm(_Form):
    meeting_date = forms.DateField(label=_("Working meeting date"), widget=DateInput())
    decision = forms.ChoiceField(
        label=_("Meeting decision"),
        choices=RevitalisationProposal.MeetingDecision.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason or conditions"),
        required=False,
        widget=_textarea(2),
        help_text=_("Required when not approved or approved with conditions."),
    )


class MilestoneForm(_Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class KpiForm(_Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=RevitalisationKpi.Indicator.choices)
    baseline = forms.IntegerField(label=_("Baseline"))
    target = forms.IntegerField(label=_("Target"))


class MeasurementForm(_Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=RevitalisationKpi.Indicator.choices)
    value = forms.IntegerField(label=_("Measured"))
    measured_on = forms.DateField(label=_("Measured on"), widget=DateInput())


class CloseoutForm(_Form):
    closed_on = forms.DateField(label=_("Closed out on"), widget=DateInput())
    summary = forms.CharField(label=_("Closeout summary"), widget=_textarea(3))


class FilterForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, to_field_name="code"
    )
    type = forms.ChoiceField(label=_("Type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts if districts is not None else District.objects.none()
        self.fields["district"].empty_label = _("All districts")
        self.fields["type"].choices = [("", _("All types")), *RevitalisationProposal.Type.choices]
        self.fields["status"].choices = [("", _("All statuses")), *RevitalisationProposal.Status.choices]
