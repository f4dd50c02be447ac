"""Forms of 跨域委託研究's pages: input shapes only; the rules are in services_research."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rdec.core.forms import DateInput
from rdec.core.models import Agency
from rdec.programs.models import Adoption, Deliverable, TopicProposal


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
