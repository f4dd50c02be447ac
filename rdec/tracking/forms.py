"""Forms of the tracking pages: they validate input and hand keyword arguments to the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core import selectors as core_selectors
from rdec.core.forms import DateInput
from rdec.tracking.models import (
    CouncilSession,
    Item,
    LocalRepresentative,
    Meeting,
    ProgressReport,
    Resolution,
)

DATE = DateInput()
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

ROLE_WORDS = {
    "區長": LocalRepresentative.Role.DISTRICT_CHIEF,
    "里長": LocalRepresentative.Role.VILLAGE_CHIEF,
    "議員": LocalRepresentative.Role.COUNCILLOR,
    "district_chief": LocalRepresentative.Role.DISTRICT_CHIEF,
    "village_chief": LocalRepresentative.Role.VILLAGE_CHIEF,
    "councillor": LocalRepresentative.Role.COUNCILLOR,
}


def _agencies():
    return core_selectors.agencies_public()


def _districts():
    return core_selectors.districts_public()


class MeetingForm(forms.Form):
    required_css_class = "required"
    type = forms.ChoiceField(label=_("Meeting type"), choices=Meeting.Type.choices)
    custom_type_name = forms.CharField(label=_("Meeting name (other)"), max_length=100, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False)
    chair_name = forms.CharField(label=_("Chair"), max_length=60)
    chair_is_mayoral = forms.BooleanField(
        label=_("Chaired at mayoral level (minutes due within 3 working days)"), required=False
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Attending agencies"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    representatives = forms.CharField(
        label=_("Local representatives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: role (區長, 里長 or 議員), name, and an optional note, e.g. 里長 王大明 大甲里"
        ),
    )
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    livestream_url = forms.URLField(label=_("Livestream link"), required=False, assume_scheme="https")
    is_public = forms.BooleanField(
        label=_("Public (shown on the public meeting page)"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts()
        self.fields["agencies"].queryset = _agencies()

    def clean_representatives(self):
        reps = []
        for number, line in enumerate((self.cleaned_data.get("representatives") or "").splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            role = ROLE_WORDS.get(parts[0])
            if role is None or len(parts) < 2:
                raise forms.ValidationError(
                    _("Line %(n)s: start with 區長, 里長 or 議員, then the name.") % {"n": number}
                )
            reps.append({"role": role, "name": parts[1], "note": " ".join(parts[2:])})
        return reps

    @staticmethod
    def initial_for(meeting: Meeting) -> dict:
        words = {v: k for k, v in ROLE_WORDS.items() if not k.isascii()}
        return {
            "type": meeting.type,
            "custom_type_name": meeting.custom_type_name,
            "title": meeting.title,
            "held_at": timezone.localtime(meeting.held_at),
            "place": meeting.place,
            "district": meeting.district_id,
            "chair_name": meeting.chair_name,
            "chair_is_mayoral": meeting.chair_is_mayoral,
            "agencies": list(meeting.agencies.values_list("pk", flat=True)),
            "representatives": "\n".join(
                f"{words[r.role]} {r.name} {r.note}".strip() for r in meeting.representatives.all()
            ),
            "agenda": meeting.agenda,
            "livestream_url": meeting.livestream_url,
            "is_public": meeting.is_public,
        }


class MinutesForm(forms.Form):
    required_css_class = "required"
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}))


class ResolutionForm(forms.Form):
    required_css_class = "required"
    kind = forms.ChoiceField(label=_("Kind"), choices=Resolution.Kind.choices)
    text = forms.CharField(label=_("Resolution or suggestion"), widget=forms.Textarea(attrs={"rows": 3}))
    proposer = forms.CharField(label=_("Proposed by"), max_length=100, required=False)
    settled_on_site = forms.BooleanField(
        label=_("Settled at the meeting (not put under control)"), required=False
    )
    owner = forms.ModelChoiceField(label=_("Responsible agency"), queryset=None, required=False)
    co_agencies = forms.ModelMultipleChoiceField(
        label=_("Co-agencies"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    level = forms.ChoiceField(label=_("Control level"), choices=Item.Level.choices, initial=Item.Level.RDEC)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)
    expected_outcome = forms.CharField(
        label=_("Expected outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _agencies()
        self.fields["co_agencies"].queryset = _agencies()


class ItemForm(forms.Form):
    required_css_class = "required"
    source = forms.ChoiceField(
        label=_("Source"), choices=[c for c in Item.Source.choices if c[0] != Item.Source.RESOLUTION]
    )
    custom_source_name = forms.CharField(label=_("Source (other)"), max_length=100, required=False)
    title = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Details of the item"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(label=_("Responsible agency"), queryset=None)
    co_agencies = forms.ModelMultipleChoiceField(
        label=_("Co-agencies"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    level = forms.ChoiceField(label=_("Control level"), choices=Item.Level.choices, initial=Item.Level.RDEC)
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DATE,
        required=False,
        help_text=_("For an interpellation question left blank: 7 days after it was asked."),
    )
    expected_outcome = forms.CharField(
        label=_("Expected outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    council_session = forms.ModelChoiceField(label=_("Council session"), queryset=None, required=False)
    council_number = forms.IntegerField(label=_("Council resolution number"), min_value=1, required=False)
    councillor = forms.CharField(label=_("Councillor"), max_length=60, required=False)
    asked_on = forms.DateField(label=_("Asked on"), widget=DATE, required=False)
    petition_number = forms.CharField(label=_("Petition case number"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _agencies()
        self.fields["co_agencies"].queryset = _agencies()
        self.fields["council_session"].queryset = CouncilSession.objects.all()


class ReportForm(forms.Form):
    required_css_class = "required"
    reported_on = forms.DateField(label=_("Report date"), widget=DATE, initial=timezone.localdate)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    propose_release = forms.BooleanField(label=_("Propose release from control (done)"), required=False)
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_(
            "PDF, ODF, Word, Excel, JPEG or PNG, at most 10 MB. Location data is removed from photos."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.odt,.ods,.docx,.xlsx,image/jpeg,image/png"}),
    )


class ReviewForm(forms.Form):
    required_css_class = "required"
    decision = forms.ChoiceField(
        label=_("Review decision"), choices=ProgressReport.Decision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Review comment"), widget=forms.Textarea(attrs={"rows": 3}))
    new_deadline = forms.DateField(
        label=_("New deadline (with continued control, optional)"), widget=DATE, required=False
    )


class CouncilSessionForm(forms.Form):
    required_css_class = "required"
    term = forms.IntegerField(label=_("Term"), min_value=1)
    number = forms.IntegerField(label=_("Session number"), min_value=1)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)


class CouncilTextForm(forms.Form):
    required_css_class = "required"
    text = forms.CharField(label=_("Execution"), widget=forms.Textarea(attrs={"rows": 4}))


class ItemFilterForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", "—"), *Item.Source.choices])
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "—"), ("open", _("Under control (all)")), *Item.Status.choices],
    )
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        required=False,
        choices=[("", "—"), ("true", _("Overdue")), ("false", _("Not overdue"))],
    )
    due = forms.ChoiceField(label=_("Due"), required=False, choices=[("", "—"), ("soon", _("Due soon"))])
    report = forms.ChoiceField(
        label=_("Progress report"),
        required=False,
        choices=[("", "—"), ("missing", _("No report this cycle"))],
    )
    review = forms.ChoiceField(
        label=_("Review"), required=False, choices=[("", "—"), ("waiting", _("Report waiting for review"))]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "—"), *((a.code, a.name) for a in _agencies())]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        overdue = data.pop("overdue", "")
        result = {k: v for k, v in data.items() if v}
        if overdue:
            result["overdue"] = overdue == "true"
        return result


class MeetingFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Meeting type"), required=False, choices=[("", "—"), *Meeting.Type.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2200)
