"""Forms of the catalog pages. They shape input; the services validate it against the standard."""

from __future__ import annotations

import json

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core.forms import DateInput
from rdec.core.models import Agency
from rdec.core.permissions import scope_to_agencies
from rdec.opendata import vocab
from rdec.opendata.models import Dataset, Feedback

DATE = DateInput()

METADATA_FIELDS = [
    "title",
    "title_en",
    "description",
    "category",
    "field_description",
    "update_frequency",
    "dataset_type",
    "license",
    "cost",
    "cost_url",
    "cost_law",
    "temporal_from",
    "temporal_to",
    "spatial",
    "language",
    "landing_page",
    "number_of_data",
    "remarks",
    "contact_name",
    "contact_phone",
    "contact_email",
]


class DatasetForm(forms.ModelForm):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("providing agency"))
    tags = forms.CharField(
        label=_("tags"), max_length=300, required=False, help_text=_("Separate with commas or 、.")
    )
    cost_url = forms.URLField(label=_("charging details URL"), required=False, assume_scheme="https")
    landing_page = forms.URLField(
        label=_("related URL"), max_length=500, required=False, assume_scheme="https"
    )
    # The first resource, optional when publishing.
    resource_description = forms.CharField(label=_("resource description"), max_length=300, required=False)
    resource_file = forms.FileField(label=_("file"), required=False)
    resource_url = forms.URLField(
        label=_("download URL"), max_length=1000, required=False, assume_scheme="https"
    )
    resource_encoding = forms.ChoiceField(
        label=_("character encoding"),
        choices=[(e, e) for e in vocab.ENCODINGS],
        initial="UTF-8",
        required=False,
    )

    class Meta:
        model = Dataset
        fields = METADATA_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "field_description": forms.Textarea(attrs={"rows": 3}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
            "temporal_from": DATE,
            "temporal_to": DATE,
        }
        help_texts = {
            "field_description": _(
                "Write each field as 英文欄位(中文, 說明) or 中文欄位(說明), separated by 、."
            ),
            "update_frequency": _(
                "即時, 不定期, or 每 plus an optional number and a unit, e.g. 每月, 每5分鐘."
            ),
        }

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.order_by("sort_order", "code")
        self.fields["agency"].queryset = scope_to_agencies(agencies, user, field="pk") if user else agencies
        if user is not None and getattr(user, "agency_id", None) and not self.initial.get("agency"):
            self.initial["agency"] = user.agency_id
        if editing:
            for name in (
                "agency",
                "resource_description",
                "resource_file",
                "resource_url",
                "resource_encoding",
            ):
                del self.fields[name]
            self.initial.setdefault("tags", "、".join(self.instance.tags.values_list("name", flat=True)))

    def clean(self):
        data = super().clean()
        if "resource_file" in self.fields:
            has_content = bool(data.get("resource_file") or data.get("resource_url"))
            if has_content and not data.get("resource_description"):
                self.add_error("resource_description", _("Describe the resource."))
        return data

    def _post_clean(self):
        """The services validate the model (and name each field in their messages)."""


class ResourceForm(forms.Form):
    description = forms.CharField(label=_("resource description"), max_length=300)
    file = forms.FileField(label=_("file"), required=False)
    url = forms.URLField(label=_("download URL"), max_length=1000, required=False, assume_scheme="https")
    format = forms.CharField(
        label=_("file format"),
        max_length=20,
        required=False,
        help_text=_("e.g. CSV, JSON, XML; taken from the file name if empty."),
    )
    encoding = forms.ChoiceField(
        label=_("character encoding"), choices=[(e, e) for e in vocab.ENCODINGS], initial="UTF-8"
    )
    field_description = forms.CharField(
        label=_("resource fields"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    schema = forms.CharField(
        label=_("Table Schema"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('Optional, as JSON: <code>{"fields": [{"name": "區域", "type": "string"}]}</code>'),
    )

    def clean_schema(self):
        text = self.cleaned_data.get("schema", "").strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("Not valid JSON.")) from None


# --- users' voice ---------------------------------------------------------------------------------


class CommentForm(forms.Form):
    topic = forms.ChoiceField(label=_("topic"), choices=Feedback.Topic.choices, initial=Feedback.Topic.OTHER)
    title = forms.CharField(label=_("subject"), max_length=255)
    body = forms.CharField(label=_("message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class DataRequestForm(CommentForm):
    agency = forms.ModelChoiceField(
        label=_("agency to answer"),
        queryset=Agency.objects.none(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["agency"].queryset = Agency.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        ).order_by("sort_order", "code")
        self.fields["topic"].initial = Feedback.Topic.NEW_DATA
        self.order_fields(["agency", "topic", "title", "body"])


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("agency's answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("review"),
        choices=[(Feedback.Moderation.APPROVED, _("Approve")), (Feedback.Moderation.HIDDEN, _("Hide"))],
    )
    note = forms.CharField(label=_("review note"), max_length=300, required=False)
