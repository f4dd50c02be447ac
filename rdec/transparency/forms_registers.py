"""Forms of the agencies' side of the registers (issue 17): disclosure items and MOUs. Input shapes
only; the rules (Art. 7/8/18, the MOU status flow and approval gates) are in services/disclosures.py
and services/mous.py, whose ValidationErrors are put back on these forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rdec.core.forms import DateInput
from rdec.core.models import Agency
from rdec.transparency.models import (
    Art7Category,
    Art8Method,
    Art18Item,
    Mou,
    MouApproval,
    MouParty,
    Restriction,
)

PARTY_ROWS = 3


class _Form(forms.Form):
    required_css_class = "required"

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError on the matching fields (others on the form), codes kept."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc)


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


# --- disclosure items ----------------------------------------------------------------------------------


class DisclosureManageFilterForm(forms.Form):
    category = forms.TypedChoiceField(
        label=_("Category (Art. 7)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All categories")), *Art7Category.choices],
    )
    stale = forms.BooleanField(label=_("Only items past their update cycle"), required=False)


class DisclosureItemForm(_Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    category = forms.TypedChoiceField(
        label=_("Category (Art. 7)"), coerce=int, choices=[("", "—"), *Art7Category.choices]
    )
    title = forms.CharField(label=_("Title of the item"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=_textarea(4))
    methods = forms.MultipleChoiceField(
        label=_("Methods of disclosure (Art. 8)"),
        required=False,  # the service names what is missing (at least one; the gazette for category 1)
        choices=Art8Method.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Laws, orders and local regulations (category 1) must be published in the gazette."),
    )
    url = forms.CharField(
        label=_("Web address"), required=False, max_length=500, help_text=_("Starting with https://")
    )
    responsible_unit = forms.CharField(label=_("Responsible unit"), required=False, max_length=100)
    update_months = forms.IntegerField(
        label=_("Update cycle (months)"),
        required=False,
        help_text=_("Empty: the rule's default (12 months unless changed)."),
    )
    published_on = forms.DateField(label=_("Published on"), widget=DateInput())
    updated_on = forms.DateField(label=_("Last updated on"), widget=DateInput())
    restriction = forms.ChoiceField(
        label=_("Restriction"), choices=Restriction.choices, initial=Restriction.NONE
    )
    restriction_item = forms.TypedChoiceField(
        label=_("Art. 18 para 1 item"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *Art18Item.choices],
        help_text=_("Only when passages or the whole item are withheld."),
    )
    restriction_reason = forms.CharField(
        label=_("Reason for the restriction"),
        required=False,
        widget=_textarea(3),
        help_text=_("Only when passages or the whole item are withheld."),
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        if agencies is not None and not self.is_bound and "agency" not in self.initial:
            if agencies.count() == 1:
                self.fields["agency"].initial = agencies.first()


# --- MOUs ----------------------------------------------------------------------------------------------


class MouForm(_Form):
    lead_agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=Agency.objects.none())
    co_agencies = forms.ModelMultipleChoiceField(
        label=_("Co-agencies"),
        required=False,
        queryset=Agency.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Other agencies that carry out the MOU with the responsible agency (any agency of the city)."
        ),
    )
    doc_type = forms.ChoiceField(label=_("Type"), choices=Mou.DocType.choices, initial=Mou.DocType.MOU)
    title = forms.CharField(label=_("Title of the MOU"), max_length=300)
    summary = forms.CharField(label=_("Summary"), required=False, widget=_textarea(4))
    signatories = forms.CharField(label=_("Signatories (offices)"), required=False, widget=_textarea(2))
    cooperation_items = forms.CharField(label=_("Items of cooperation"), required=False, widget=_textarea(4))
    term_start = forms.DateField(label=_("Term from"), required=False, widget=DateInput())
    term_end = forms.DateField(label=_("Term to"), required=False, widget=DateInput())
    auto_renew = forms.BooleanField(label=_("Renewed automatically"), required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["co_agencies"].queryset = Agency.objects.order_by("sort_order", "code")
        if agencies is not None and not self.is_bound and agencies.count() == 1:
            self.fields["lead_agency"].initial = agencies.first()


class PartyForm(_Form):
    """One party of an MOU; a row left empty is skipped."""

    name = forms.CharField(label=_("Name of the party"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *MouParty.Kind.choices])
    region = forms.CharField(label=_("Country or region"), required=False, max_length=100)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("kind"):
            self.add_error("kind", _("Choose the party's kind."))
        if data.get("kind") and not data.get("name"):
            self.add_error("name", _("Give the party's name."))
        return data

    @property
    def party(self) -> dict | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("name"):
            return None
        return {"name": data["name"], "kind": data["kind"], "region": data.get("region", "")}


def party_forms(data=None) -> list[PartyForm]:
    """The fixed rows of parties (prefix party-1 … party-3)."""
    return [PartyForm(data, prefix=f"party-{n}") for n in range(1, PARTY_ROWS + 1)]


class ApprovalForm(_Form):
    body = forms.ChoiceField(label=_("Approving body"), choices=MouApproval.Body.choices)
    status = forms.ChoiceField(label=_("Status of the approval"), choices=MouApproval.Status.choices)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())
    reference = forms.CharField(label=_("Letter number"), required=False, max_length=100)


class SignForm(_Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())


class FullTextForm(_Form):
    full_text = forms.FileField(label=_("Full text (PDF)"))


class StatusForm(_Form):
    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(choices)


class ReportForm(_Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=1, max_value=9999, help_text=_("Western (2026) or ROC (115).")
    )
    results = forms.CharField(label=_("Results"), widget=_textarea(4))
    indicators = forms.CharField(label=_("Indicators and evidence"), required=False, widget=_textarea(3))
