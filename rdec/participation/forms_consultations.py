"""Forms of the 眾開講 pages: input shapes only; the rules are in services/consultations.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rdec.core.forms import DateInput
from rdec.core.models import Agency
from rdec.participation.models import Consultation, HidingGround, ResponseTheme


class _Form(forms.Form):
    required_css_class = "required"

    def add_service_errors(self, exc) -> None:
        """Put a service's ValidationError on the matching fields (others on the form)."""
        for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            self.add_error(field if field in self.fields else None, messages)


class ConsultationFilterForm(forms.Form):
    q = forms.CharField(label=_("Words in the title"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + [c for c in Consultation.Status.choices if c[0] != "draft"],
    )
    agency = forms.ChoiceField(label=_("Responsible agency"), required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("All"))] + [(a.code, a.name) for a in agencies]


class ConsultationForm(_Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=Agency.objects.none())
    stage = forms.ChoiceField(
        label=_("Policy stage"), choices=Consultation.Stage.choices, widget=forms.RadioSelect
    )
    background = forms.CharField(
        label=_("Background"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the policy is about and why the city asks."),
    )
    questions = forms.CharField(
        label=_("Questions asked"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One question per line."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())
    topic_source = forms.CharField(
        label=_("Where the topic came from"),
        required=False,
        max_length=200,
        help_text=_("e.g. a rising word or a hotspot of the petitions analytics"),
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()

    def clean(self):
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on:
            from rdec.participation.services import period_error

            if message := period_error(opens_on, closes_on):
                self.add_error("closes_on", message)
        return data


class DocumentForm(_Form):
    document_title = forms.CharField(label=_("Document title"), max_length=200)
    document_file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, Word, Excel, ODF or an image.")
    )
    document_url = forms.URLField(
        label=_("Or an address"), required=False, assume_scheme="https", max_length=200
    )


class CommentForm(_Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 5}), max_length=3000)
    question = forms.TypedChoiceField(label=_("On question"), required=False, coerce=int, empty_value=None)
    display_name = forms.CharField(
        label=_("Name shown"),
        required=False,
        max_length=40,
        help_text=_("A pseudonym is allowed; never your username, e-mail or telephone."),
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", _("The consultation as a whole"))] + [
            (n, f"{n}. {q}") for n, q in questions
        ]


class ReplyForm(_Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    display_name = forms.CharField(label=_("Name shown"), required=False, max_length=40)
    parent = forms.IntegerField(widget=forms.HiddenInput)


class HideCommentForm(_Form):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    ground = forms.ChoiceField(label=_("Rule broken"), choices=[("", "—")] + list(HidingGround.choices))
    note = forms.CharField(label=_("Note (kept by the moderators)"), required=False, max_length=1000)


class ThemeForm(_Form):
    title = forms.CharField(label=_("Theme"), max_length=160)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ResponseTheme.Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))
    comments = forms.TypedMultipleChoiceField(
        label=_("Comments answered by this theme"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, comments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].choices = [
            (c.pk, f"#{c.number} {c.display_name}：{c.body[:60]}") for c in comments
        ]


class ReportForm(_Form):
    summary = forms.CharField(label=_("Summary of the response"), widget=forms.Textarea(attrs={"rows": 6}))
    policy_changes = forms.CharField(
        label=_("What changed in the policy"), widget=forms.Textarea(attrs={"rows": 6})
    )
