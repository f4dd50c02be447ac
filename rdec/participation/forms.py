"""Forms of participation's pages, one section per part. Forms only validate input; the services
(rdec.participation.services) apply the rules and may add field errors of their own."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rdec.core import selectors as core_selectors
from rdec.core.forms import DateInput
from rdec.participation.models import HidingGround

# --- proposals (提點子) ---------------------------------------------------------------------------

PROPOSAL_MAX_FILES = 5
PROPOSAL_MAX_BYTES = 10 * 1024 * 1024
RESPONSE_BLANK_ROWS = 5  # rows of the point-by-point response form without scripts


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ProposalFilesField(forms.FileField):
    """佐證資料: up to five files of 10 MB (images, PDF, office documents)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/jpeg,image/png,application/pdf,.odt,.ods,.docx,.xlsx,.csv,.txt"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > PROPOSAL_MAX_FILES:
            raise forms.ValidationError(_("Attach at most 5 files."))
        for f in files:
            if f.size > PROPOSAL_MAX_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is larger than 10 MB.") % {"name": f.name}, code="too_large"
                )
        return files


def _agencies():
    return core_selectors.agencies_public()


class ProposalForm(forms.Form):
    """提點子: 主題 / 內容或建議事項 / 利益與影響 / 佐證資料, the agencies the citizen suggests and the
    name shown with the proposal (a pseudonym is allowed)."""

    required_css_class = "required"
    title = forms.CharField(
        label=_("Subject"),
        max_length=120,
        help_text=_("One line that says what you propose."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-similar-source": "title"}),
    )
    content = forms.CharField(
        label=_("Content or suggestion"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The issue and what you suggest the city do about it."),
    )
    benefits = forms.CharField(
        label=_("Benefits and impact"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who would gain, and what it would change or cost."),
    )
    attachments = ProposalFilesField(
        label=_("Supporting documents"),
        required=False,
        help_text=_("Optional: up to 5 files of 10 MB each (photos, PDF, documents)."),
    )
    suggested_agencies = forms.ModelMultipleChoiceField(
        label=_("Suggested agencies"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Optional: the agencies you think should answer. The RDEC assigns the agency in the end."
        ),
    )
    display_name = forms.CharField(
        label=_("Name shown with the proposal"),
        max_length=40,
        required=False,
        help_text=_("A pseudonym is allowed. Your phone and e-mail are never shown."),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["suggested_agencies"].queryset = _agencies()

    def clean_display_name(self):
        """The checks a commenter's name gets: no e-mail address, telephone number or username."""
        from rdec.participation.services.consultations import display_name_error

        name = (self.cleaned_data.get("display_name") or "").strip()
        error = display_name_error(name, self.user) if name else ""
        if error:
            raise forms.ValidationError(error, code="display_name")
        return name


class ProposalSearchForm(forms.Form):
    """The public list's filters: status and words inside the titles."""

    q = forms.CharField(label=_("Words in the subject or content"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, status_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All open and closed proposals")), *status_choices]


class ProposalCheckForm(forms.Form):
    """檢核: accept (open for support) or refuse with a ground for hiding and the reason given to the
    proposer."""

    ACCEPT, REFUSE = "accept", "refuse"
    required_css_class = "required"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept: open for support")), (REFUSE, _("Do not accept"))],
        widget=forms.RadioSelect,
    )
    ground = forms.ChoiceField(
        label=_("Ground for not accepting"),
        required=False,
        choices=[("", _("Choose a ground")), *HidingGround.choices],
    )
    reason = forms.CharField(
        label=_("Reason given to the proposer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE:
            if not data.get("ground"):
                self.add_error("ground", _("Choose the ground for not accepting the proposal."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give the proposer the reason."))
        return data


class ProposalAssignForm(forms.Form):
    """The RDEC assigns the responsible agency (主辦) and any co-responsible agencies (協辦)."""

    required_css_class = "required"
    lead_agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=None)
    co_agencies = forms.ModelMultipleChoiceField(
        label=_("Co-responsible agencies"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = _agencies()
        self.fields["co_agencies"].queryset = _agencies()

    def clean(self):
        data = super().clean()
        lead, co = data.get("lead_agency"), data.get("co_agencies")
        if lead is not None and co and lead in co:
            self.add_error("co_agencies", _("The responsible agency cannot also be a co-responsible agency."))
        return data


class ProposalMeetingForm(forms.Form):
    required_css_class = "required"
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    attendees = forms.CharField(
        label=_("Attendees"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    record = forms.CharField(label=_("Record"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))


class ProposalExtensionForm(forms.Form):
    """展期 of the response deadline, announced on the proposal's public timeline."""

    required_css_class = "required"
    new_due = forms.DateField(label=_("New response due date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason (shown publicly)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposalResponseForm(forms.Form):
    required_css_class = "required"
    summary = forms.CharField(
        label=_("Summary of the response"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ResponsePointForm(forms.Form):
    """One row of the point-by-point response: the point raised and the agency's answer to it."""

    point = forms.CharField(
        label=_("Point raised"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    response = forms.CharField(
        label=_("Response"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        point, response = (data.get("point") or "").strip(), (data.get("response") or "").strip()
        if point and not response:
            self.add_error("response", _("Answer this point."))
        if response and not point:
            self.add_error("point", _("Say which point this answers."))
        return data


class BaseResponsePointFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.points():
            raise forms.ValidationError(_("Answer at least one point."))

    def points(self) -> list[tuple[str, str]]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            point, response = (data.get("point") or "").strip(), (data.get("response") or "").strip()
            if point and response:
                rows.append((point, response))
        return rows


ResponsePointFormSet = forms.formset_factory(
    ResponsePointForm,
    formset=BaseResponsePointFormSet,
    extra=RESPONSE_BLANK_ROWS,
    max_num=50,
    absolute_max=50,
    validate_max=True,
)


class EndorsementReviewForm(forms.Form):
    """The RDEC's review of a flagged support: kept (counted) or voided (leaves the count)."""

    KEEP, VOID = "keep", "void"
    required_css_class = "required"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(KEEP, _("Keep the support")), (VOID, _("Void the support"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


def register_proposal_privacy_notice() -> None:
    """The 個資告知 of the proposal form (提點子), added to core's notices (the full notice at
    /privacy/ lists it too)."""
    from rdec.core import privacy

    if "proposal" in privacy.NOTICES:
        return
    privacy.NOTICES["proposal"] = privacy.Notice(
        key="proposal",
        title=_("Proposals and supports (提點子)"),
        purposes=[("〇一三", _("public relations"))],
        purpose_text=_(
            "to check and publish your proposal under the name you choose, to count your support once, "
            "to have the responsible agency answer, and to tell you of each step"
        ),
        categories=[
            ("C001", _("identifying the person: your account (its phone and e-mail are never shown)")),
            ("", _("the name you choose to show, what you write and the files you attach")),
        ],
        recipients=_(
            "the RDEC and the responsible agencies; the proposal and the name shown are public once "
            "accepted, your account's phone and e-mail are not"
        ),
        period=_("as long as the proposal and its response are kept on the platform"),
        if_not_given=_(
            "Without a verified citizen account a proposal or a support cannot be made; reading stays "
            "open to everyone."
        ),
    )
    if "proposal" not in privacy.FULL_NOTICE:
        privacy.FULL_NOTICE.append("proposal")
