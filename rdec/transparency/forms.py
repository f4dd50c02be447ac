"""The public registers' filters (validated: an unknown agency, type or year is a field error, 400)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rdec.core.models import Agency
from rdec.transparency.models import Art7Category, Contract, Mou, MouParty


def _agency_choices():
    return [("", _("All agencies"))] + [
        (str(a.pk), a.name) for a in Agency.objects.order_by("sort_order", "code")
    ]


class _RegisterFilter(forms.Form):
    q = forms.CharField(label=_("Words in the title or text"), max_length=100, required=False)
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)

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
