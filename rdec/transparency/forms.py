"""The public registers' filters (validated: an unknown agency, type or year is a field error, 400)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rdec.core.models import Agency
from rdec.transparency.models import Art7Category, Contract, Mou, MouParty


def _agency_choices():
    return [("", _("All agencies"))] + [
        (a.code, a.name) for a in Agency.objects.order_by("sort_order", "code")
    ]


class _RegisterFilter(forms.Form):
    q = forms.CharField(label=_("Words in the title or text"), max_length=100, required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _agency_choices()


class SearchForm(_RegisterFilter):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)


class ContractFilterForm(SearchForm):
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *Contract.Kind.choices]
    )


class MouFilterForm(SearchForm):
    status = forms.ChoiceField(label=_("Status"), required=False)
    party_kind = forms.ChoiceField(
        label=_("Counterparty"),
        required=False,
        choices=[("", _("All counterparties")), *MouParty.Kind.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hidden = (Mou.Status.DRAFT, Mou.Status.UNDER_APPROVAL)
        self.fields["status"].choices = [("", _("All statuses"))] + [
            (s.value, s.label) for s in Mou.Status if s not in hidden
        ]


class DisclosureFilterForm(_RegisterFilter):
    category = forms.TypedChoiceField(
        label=_("Category (Art. 7)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All categories")), *Art7Category.choices],
    )


class ContractRegisterForm(forms.Form):
    """An agency registers a contract with its signed text (a PDF): personal data in it is proposed
    for redaction on the next page."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    title = forms.CharField(label=_("Title of the contract"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Type"), choices=Contract.Kind.choices, initial=Contract.Kind.PROCUREMENT
    )
    supplier_name = forms.CharField(label=_("Supplier"), max_length=200)
    supplier_is_person = forms.BooleanField(label=_("The supplier is a natural person"), required=False)
    supplier_tax_id = forms.RegexField(
        label=_("Business ID number (統一編號)"),
        regex=r"^\d{8}$",
        required=False,
        error_messages={"invalid": _("A business ID number (統一編號) has 8 digits.")},
    )
    budget_amount = forms.DecimalField(
        label=_("Budget (NT$)"),
        required=False,
        min_value=0,
        decimal_places=0,
        help_text=_("Leave empty when the amount may not be disclosed."),
    )
    award_amount = forms.DecimalField(
        label=_("Award amount (NT$)"),
        required=False,
        min_value=0,
        decimal_places=0,
        help_text=_("Leave empty when the amount may not be disclosed."),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(label=_("Signed contract (PDF)"))

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        if agencies is not None and agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()

    def clean(self):
        data = super().clean()
        if data.get("supplier_is_person") and data.get("supplier_tax_id"):
            self.add_error(
                "supplier_tax_id", _("A natural person has no business ID number: leave it empty.")
            )
        return data


class AmendmentForm(forms.Form):
    amended_on = forms.DateField(label=_("Amended on"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    award_amount = forms.DecimalField(
        label=_("Amount after the amendment (NT$)"),
        required=False,
        min_value=0,
        decimal_places=0,
        help_text=_("Leave empty when the amount did not change or may not be disclosed."),
    )
