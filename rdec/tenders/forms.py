"""Forms of the tenders pages: they validate input and hand keyword arguments to the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rdec.core.forms import DateInput
from rdec.tenders.models import Tender

MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class TenderFilterForm(forms.Form):
    q = forms.CharField(label=_("Number, name or contractor"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    type = forms.ChoiceField(
        label=_("Procurement type"), required=False, choices=[("", _("All")), *Tender.Type.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Tender.Status.choices]
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("All")), *((a.code, a.name) for a in agencies)]


class MonthForm(forms.Form):
    required_css_class = "required"
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], widget=MONTH)


class ProgressUploadForm(forms.Form):
    required_css_class = "required"
    file = forms.FileField(
        label=_("Progress workbook (.xlsx) or CSV"),
        help_text=_("Use the workbook template; a file with any error is not imported at all."),
    )


class ProgressForm(forms.Form):
    required_css_class = "required"
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], widget=MONTH)
    planned_pct = forms.DecimalField(
        label=_("Planned progress (%)"), min_value=0, max_value=100, decimal_places=2
    )
    actual_pct = forms.DecimalField(
        label=_("Actual progress (%)"), min_value=0, max_value=100, decimal_places=2
    )
    budget_executed = forms.DecimalField(
        label=_("Budget executed"), min_value=0, decimal_places=0, required=False
    )
    reason = forms.CharField(
        label=_("Reason for the delay"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ControlMeetingForm(forms.Form):
    required_css_class = "required"
    month = forms.DateField(widget=forms.HiddenInput, input_formats=["%Y-%m"])
    held_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    chair_name = forms.CharField(label=_("Chair"), max_length=60, initial="副秘書長")
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


DATE = DateInput()


class TenderForm(forms.Form):
    required_css_class = "required"
    number = forms.CharField(label=_("Tender number"), max_length=60)
    name = forms.CharField(label=_("Tender name"), max_length=300)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    plan = forms.CharField(label=_("Plan"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("Procurement type"), choices=Tender.Type.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=Tender.Status.choices, initial=Tender.Status.PLANNING
    )
    budget_amount = forms.DecimalField(
        label=_("Budget amount"), min_value=0, decimal_places=0, required=False
    )
    contract_amount = forms.DecimalField(
        label=_("Contract amount"), min_value=0, decimal_places=0, required=False
    )
    contractor = forms.CharField(label=_("Contractor"), max_length=200, required=False)
    announced_on = forms.DateField(label=_("Announced on"), widget=DATE, required=False)
    awarded_on = forms.DateField(label=_("Awarded on"), widget=DATE, required=False)
    started_on = forms.DateField(label=_("Work started on"), widget=DATE, required=False)
    planned_completion_on = forms.DateField(label=_("Planned completion"), widget=DATE, required=False)
    actual_completion_on = forms.DateField(label=_("Actual completion"), widget=DATE, required=False)
    failed_count = forms.IntegerField(label=_("Failed or cancelled tenders"), min_value=0, initial=0)

    def __init__(self, *args, agencies, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if editing:  # the number and agency of a tender do not change
            del self.fields["number"]
            del self.fields["agency"]


class ChangeOrderForm(forms.Form):
    required_css_class = "required"
    approved_on = forms.DateField(label=_("Approved on"), widget=DATE)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    amount_change = forms.DecimalField(label=_("Amount added (negative: deducted)"), decimal_places=0)


class ExtensionForm(forms.Form):
    required_css_class = "required"
    approved_on = forms.DateField(label=_("Approved on"), widget=DATE)
    days = forms.IntegerField(label=_("Days"), min_value=1)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


# --- construction quality inspections (工程施工查核) ------------------------------------------------

DATE = DateInput()


class InspectionFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("Number, name or contractor"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    grade = forms.ChoiceField(label=_("Grade"), required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        from rdec.tenders.models import Inspection

        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("All")), *((a.code, a.name) for a in agencies)]
        self.fields["grade"].choices = [("", _("All")), *Inspection.Grade.choices]


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class InspectionForm(forms.Form):
    required_css_class = "required"
    # suggestions from the page's <datalist id="works-list"> (set here: the page has no inline script)
    tender = forms.CharField(
        label=_("Tender number"), max_length=60, widget=forms.TextInput(attrs={"list": "works-list"})
    )
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DATE)
    work_type = forms.ChoiceField(label=_("Work type"))
    members = forms.CharField(
        label=_("Inspection group members"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One member per line."),
    )
    progress_pct = forms.DecimalField(
        label=_("Actual progress at the inspection (percent)"), min_value=0, max_value=100, decimal_places=2,
        required=False,
    )  # fmt: skip
    score = forms.DecimalField(
        label=pgettext_lazy("inspection", "Score"), min_value=0, max_value=100, decimal_places=2
    )
    strengths = forms.CharField(
        label=_("Strengths"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photos = MultipleFileField(
        label=_("Photos"), required=False, help_text=_("JPEG or PNG, at most 10 MB each, at most 20.")
    )

    def __init__(self, *args, **kwargs):
        from rdec.tenders.models import Inspection

        super().__init__(*args, **kwargs)
        self.fields["work_type"].choices = Inspection.WorkType.choices


class FindingForm(forms.Form):
    required_css_class = "required"
    code = forms.ChoiceField(label=_("Deficiency"), required=False)
    points = forms.DecimalField(
        label=_("Points"), min_value=0, max_value=100, decimal_places=1, required=False,
        help_text=_("Empty: the list's default points."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, deficiencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [
            ("", "—"),
            *((d.code, f"{d.code} {d.description}") for d in deficiencies),
        ]


FindingFormSet = forms.formset_factory(FindingForm, extra=6, max_num=40)


class ImprovementForm(forms.Form):
    required_css_class = "required"
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)
    content = forms.CharField(label=_("Improvement"), widget=forms.Textarea(attrs={"rows": 2}))


class ConsequenceForm(forms.Form):
    required_css_class = "required"
    kind = forms.ChoiceField(label=_("Consequence"))
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        from rdec.tenders.models import Consequence

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Consequence.Kind.choices


class InspectionPhotoForm(forms.Form):
    required_css_class = "required"
    # checked by content (type, size, pixels) and stripped of metadata by core.attachments
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    finding = forms.ChoiceField(label=_("Of the finding"), required=False)
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].choices = [
            ("", _("The site as a whole")),
            *((str(f.pk), f"{f.deficiency.code} {f.deficiency.description}") for f in findings),
        ]
