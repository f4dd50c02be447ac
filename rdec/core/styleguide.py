"""The living style guide (/styleguide/): every component of the design system rendered with the very
CSS it documents (core/static/core/rdec.css), with its class names and when to use it. Staff only."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from rdec.core import design_tokens
from rdec.core.permissions import check


class ExampleForm(forms.Form):
    """A form shown bound with one error, so the page shows labels, hints and an error as Django renders them."""

    required_css_class = "required"

    name = forms.CharField(label=_("Your name"), help_text=_("As on your ID card."), max_length=50)
    phone = forms.CharField(
        label=_("Phone"), help_text=_("Only digits, e.g. 0912345678."), max_length=20, required=True
    )
    channel = forms.ChoiceField(
        label=_("How should we reply?"),
        choices=[("email", _("E-mail")), ("post", _("Post")), ("phone", _("Phone"))],
        widget=forms.RadioSelect,
    )
    attachment = forms.FileField(
        label=_("Attachments"), required=False, help_text=_("JPEG, PNG or PDF, at most 10 MB each.")
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if not phone.isdigit():
            raise forms.ValidationError(_("Enter the phone number in digits only."))
        return phone


TYPE_SCALE = [
    ("text-xs", "0.8125rem（13px）", _("footnotes only")),
    ("text-sm", "0.875rem（14px）", _("hints, tags, notes under tables")),
    ("text-md", "1rem（16px）", _("body text")),
    ("text-lg", "1.1875rem（19px）", _("h3, lead paragraphs, legends")),
    ("text-xl", "1.5rem（24px）", _("h2, numbers in cards")),
    ("text-2xl", "2rem（32px）", _("h1 on desks, summary numbers")),
]

SPACING = [
    ("space-1", "0.25rem（4px）"),
    ("space-2", "0.5rem（8px）"),
    ("space-3", "0.75rem（12px）"),
    ("space-4", "1rem（16px）"),
    ("space-5", "1.5rem（24px）"),
    ("space-6", "2rem（32px）"),
    ("space-7", "3rem（48px）"),
]


def styleguide(request):
    if not check(request.user, "core.view_styleguide"):
        raise PermissionDenied
    form = ExampleForm(data={"name": "王小明", "phone": "09-12", "channel": "email"})
    form.is_valid()
    context = {
        "pairs": design_tokens.pair_rows(),
        "tokens": design_tokens.tokens(),
        "type_scale": TYPE_SCALE,
        "spacing": SPACING,
        "form": form,
        "blank_form": ExampleForm(auto_id="blank_%s"),
    }
    return render(request, "core/styleguide.html", context)
