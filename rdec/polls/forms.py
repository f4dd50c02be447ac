"""Forms of the polls pages: input shapes only; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rdec.polls.models import DISCLOSURE_FIELDS, Survey


class _Form(forms.Form):
    required_css_class = "required"


class SurveyCreateForm(_Form):
    slug = forms.SlugField(
        label=_("Slug"), max_length=80, help_text=_("Letters, digits and dashes, e.g. satisfaction-115")
    )
    title = forms.CharField(label=_("Title"), max_length=200)


class FileForm(_Form):
    file = forms.FileField(label=_("File"))


class WeightForm(_Form):
    tol = forms.FloatField(label=_("Tolerance"), initial=1e-10, min_value=0, max_value=0.01)
    max_iter = forms.IntegerField(label=_("Maximum iterations"), initial=1000, min_value=1, max_value=100000)
    trim_low = forms.FloatField(label=_("Lower trimming bound (× mean weight)"), required=False, min_value=0)
    trim_high = forms.FloatField(label=_("Upper trimming bound (× mean weight)"), required=False, min_value=1)


class DisclosureForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = Survey
        fields = [
            "purpose",
            "contractor",
            "procurement",
            "target_population",
            "frames",
            "modes",
            "field_start",
            "field_end",
            "series",
            "wave",
            *DISCLOSURE_FIELDS,
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ["purpose", *DISCLOSURE_FIELDS]} | {
            "field_start": forms.DateInput(attrs={"type": "date"}),
            "field_end": forms.DateInput(attrs={"type": "date"}),
        }


class QuestionForm(_Form):
    """One question's exact wording and filter (skip logic); the rules are in services.update_question."""

    question = forms.ChoiceField(label=_("Question"))
    wording = forms.CharField(
        label=_("Exact wording"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    filter_question = forms.ChoiceField(
        label=_("Asked only if the answer to"),
        required=False,
        help_text=_("An earlier question; leave empty for a question asked of everyone."),
    )
    filter_codes = forms.CharField(
        label=_("is one of"), required=False, max_length=200, help_text=_("Answer codes, e.g. 1, 2")
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        codes = [(q.code, q.code) for q in survey.questions.all()]
        self.fields["question"].choices = codes
        self.fields["filter_question"].choices = [("", "—"), *codes]


class RatesForm(_Form):
    """The reader's choice for the AAPOR rates on the poll page (the API's `e` and `weighted`)."""

    e = forms.FloatField(
        label=_("Eligibility estimate e"),
        required=False,
        min_value=0,
        max_value=1,
        help_text=_("The share of unknown-eligibility cases taken as eligible, 0 to 1; empty: the default."),
    )
    weighted = forms.BooleanField(label=_("Weighted by the base weights"), required=False)
