"""Forms of the 資訊安全 pages: input shapes only; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rdec.security.models import Asset, Finding


class _Form(forms.Form):
    required_css_class = "required"


class AssetForm(_Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Asset.Kind.choices)
    hostname = forms.CharField(label=_("Host name"), max_length=200, required=False)
    operating_system = forms.CharField(label=_("Operating system"), max_length=200, required=False)
    owner = forms.CharField(label=_("Owner"), max_length=100, required=False)
    cpes = forms.CharField(
        label=_("CPE 2.3 names"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            'One per line, e.g. <code translate="no">cpe:2.3:a:apache:http_server:2.4.52:*:*:*:*:*:*:*</code> '
            "(search the dictionary)."
        ),
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class CpeForm(_Form):
    cpe = forms.CharField(label=_("CPE 2.3 name"), max_length=600)


class FileForm(_Form):
    file = forms.FileField(
        label=_("Inventory file"),
        help_text=_(
            'CSV or .xlsx, one row per product, with the columns <code translate="no">agency, name, kind, '
            "hostname, operating_system, owner, cpe</code> (or their Chinese names)."
        ),
    )


class StatusForm(_Form):
    status = forms.ChoiceField(label=_("Status"), choices=Finding.Status.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    expires = forms.DateField(
        label=_("Exception expires"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    owner = forms.CharField(label=_("Owner"), max_length=100, required=False)
