"""Forms of 跨域委託研究's pages: input shapes only; the rules are in services_research."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rdec.core.forms import DateInput
from rdec.core.models import Agency
from rdec.programs.models import Adoption, Deliverable, Recommendation, Report, TopicProposal


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class _Form(forms.Form):
    required_css_class = "required"


class TopicForm(_Form):
    proposer_kind = forms.ChoiceField(label=_("Proposed by"), choices=TopicProposal.ProposerKind.choices)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False)
    proposer = forms.CharField(label=_("University or committee"), max_length=200, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of study"),
        choices=TopicProposal.Kind.choices,
        help_text=_("Only research for service improvement or policy making may be commissioned."),
    )
    background = forms.CharField(label=_("Background"), widget=_textarea(4))
    aims = forms.CharField(label=_("Aims"), widget=_textarea(4))
    keywords = forms.CharField(label=_("Keywords"), max_length=300, required=False)
    confirm = forms.BooleanField(
        label=_("I have read the possible duplicates and still propose this topic"), required=False
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()


class GrbForm(_Form):
    grb_id = forms.CharField(label=_("GRB id"), max_length=40, required=False)
    registered_on = forms.DateField(label=_("Registered in GRB on"), widget=DateInput(), required=False)
    confirmed_on = forms.DateField(label=_("Agency confirmed on"), widget=DateInput(), required=False)


class DeliverableForm(_Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Deliverable.Stage.choices)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    review_meeting_on = forms.DateField(label=_("Review meeting on"), widget=DateInput(), required=False)
    accepted_on = forms.DateField(label=_("Accepted on"), widget=DateInput(), required=False)


class AdoptionForm(_Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Adoption.Decision.choices, widget=forms.RadioSelect
    )
    action = forms.CharField(label=_("Action"), widget=_textarea(), required=False)
    due_on = forms.DateField(label=_("Action due on"), widget=DateInput(), required=False)
    reason = forms.CharField(label=_("Reason"), widget=_textarea(), required=False)


class _AgencyForm(_Form):
    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = agencies if agencies is not None else Agency.objects.none()
        for name in self.agency_fields:
            self.fields[name].queryset = qs


class ProjectForm(_AgencyForm):
    agency_fields = ("lead_agency",)
    title = forms.CharField(label=_("Title"), max_length=200)
    lead_agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.none())
    tender_number = forms.CharField(
        label=_("Tender number"),
        max_length=60,
        required=False,
        help_text=_("The procurement in the tenders module."),
    )
    contractor = forms.CharField(label=_("Contractor"), max_length=200)
    pi_role = forms.CharField(
        label=_("Principal investigator (public title)"),
        max_length=200,
        required=False,
        help_text=_("The office held, e.g. 國立中興大學公共行政學系教授; no personal data."),
    )
    budget = forms.DecimalField(label=_("Budget (NT$)"), min_value=0, max_digits=12, decimal_places=0)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    topic_published_on = forms.DateField(label=_("Topic published on"), widget=DateInput(), required=False)


class ReportForm(_AgencyForm):
    agency_fields = ("agency",)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2200)
    abstract_zh = forms.CharField(label=_("Abstract (Chinese)"), widget=_textarea(5), required=False)
    abstract_en = forms.CharField(label=_("Abstract (English)"), widget=_textarea(5), required=False)
    keywords = forms.CharField(label=_("Keywords"), max_length=300, required=False)
    full_text = forms.CharField(label=_("Full text"), widget=_textarea(10), required=False)
    accepted_on = forms.DateField(label=_("Accepted on"), widget=DateInput(), required=False)
    access = forms.ChoiceField(label=_("Access"), choices=Report.Access.choices, widget=forms.RadioSelect)
    restriction_item = forms.TypedChoiceField(
        label=_("Art. 18 para 1 item"),
        choices=[("", "—")] + [(i, str(i)) for i in range(1, 10)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    restriction_reason = forms.CharField(
        label=_("Reason for the restriction"), widget=_textarea(), required=False
    )


class RecommendationForm(_AgencyForm):
    agency_fields = ("agency",)
    text = forms.CharField(label=_("Recommendation"), widget=_textarea())
    kind = forms.ChoiceField(label=_("Type"), choices=Recommendation.Kind.choices)
    agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=Agency.objects.none())
