"""Forms of 簡政創新's pages: input shapes only; the rules are in services_innovation, whose
ValidationErrors are put back on these forms (core.forms.apply_errors)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core.forms import DateInput
from rdec.core.models import Agency
from rdec.programs.forms import _AgencyForm, _Form, _textarea
from rdec.programs.forms_review import RubricForm
from rdec.programs.models_innovation import Assessment, Award, DigestItem


class DigestForm(_Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month


class DigestTitleForm(_Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class DigestItemForm(_Form):
    headline = forms.CharField(label=_("Headline"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=DigestItem.Kind.choices)
    source_url = forms.URLField(label=_("Source URL"), max_length=500, required=False, assume_scheme="https")
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=_textarea(4))


class SendForm(_Form):
    """The 函 number and due date, and for each item its agencies and lead (fields
    `agencies_<item id>` and `lead_<item id>`, named as the service's errors are)."""

    letter_number = forms.CharField(label=_("函 number"), max_length=60)
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput())
    due_on = forms.DateField(label=_("Answers due on"), widget=DateInput())

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()
        agencies = Agency.objects.order_by("sort_order", "code")
        self.items = list(items)
        for item in self.items:
            self.fields[f"agencies_{item.pk}"] = forms.ModelMultipleChoiceField(
                label=_("Agencies for “%(headline)s”") % {"headline": item.headline},
                queryset=agencies,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 6}),
            )
            self.fields[f"lead_{item.pk}"] = forms.ModelChoiceField(
                label=_("Lead agency for “%(headline)s”") % {"headline": item.headline},
                queryset=agencies,
                required=False,
                help_text=_("Needed when the item goes to several agencies; the others are co-agencies."),
            )

    def routing(self) -> dict:
        d = self.cleaned_data
        return {
            item: (list(d.get(f"agencies_{item.pk}") or []), d.get(f"lead_{item.pk}")) for item in self.items
        }


class AssessmentForm(_Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Assessment.Decision.choices, widget=forms.RadioSelect
    )
    measures = forms.CharField(
        label=_("Measures"),
        required=False,
        widget=_textarea(4),
        help_text=_("When adopting: what the agency will do."),
    )
    target_on = forms.DateField(
        label=_("Target date"),
        required=False,
        widget=DateInput(),
        help_text=_("When adopting: the date the measures will be in place."),
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=_textarea(4),
        help_text=_("When not adopting: why."),
    )


class ReformForm(_AgencyForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    item = forms.CharField(label=_("Reform item"), max_length=200)
    strategy = forms.CharField(
        label=_("Strategy"), max_length=200, help_text=_("e.g. review of rules or processes, use of tools")
    )
    days_before = forms.IntegerField(label=_("Working days before"), min_value=0)
    days_after = forms.IntegerField(label=_("Working days after"), min_value=0)
    documents_before = forms.IntegerField(label=_("Documents before"), min_value=0)
    documents_after = forms.IntegerField(label=_("Documents after"), min_value=0)
    visits_before = forms.IntegerField(label=_("Counter visits before"), min_value=0)
    visits_after = forms.IntegerField(label=_("Counter visits after"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class EntryForm(_AgencyForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=_textarea(6))
    tax_id = forms.CharField(label=_("統一編號"), max_length=8, help_text=_("The agency's 8-digit 統一編號."))


class AwardForm(_Form):
    level = forms.ChoiceField(label=_("Award"), choices=Award.Level.choices)


class ReviewCallForm(RubricForm):
    """The year-end review as an engine call of the innovation programme."""

    slug = forms.SlugField(label=_("Short name"), max_length=60, help_text=_("e.g. innovation-2026"))
    title = forms.CharField(label=_("Title"), max_length=200)
    opens = forms.DateField(label=_("Entries open on"), widget=DateInput())
    closes = forms.DateField(label=_("Entries close on (inclusive)"), widget=DateInput())
    field_order = ["slug", "title", "opens", "closes", "criteria", "tie_break"]
