"""Forms of the petition pages. They validate input and shape choices; services do the writing."""

from __future__ import annotations

import time
import uuid

from django import forms
from django.core import signing
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rdec.core import geo, places
from rdec.core import selectors as core_selectors
from rdec.core.forms import DateInput
from rdec.core.models import Agency
from rdec.petitions import selectors
from rdec.petitions.models import Case

FORM_TIMESTAMP_SALT = "rdec.petitions.form-timestamp"
MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 2 * 60 * 60
ATTACHMENT_MAX_FILES = 5
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def make_form_timestamp(at: float | None = None) -> str:
    return signing.dumps(at if at is not None else time.time(), salt=FORM_TIMESTAMP_SALT)


def label_of(category) -> str:
    english = (get_language() or "").startswith("en")
    return (category.name_en or category.name) if english else category.name


def category_choices() -> list:
    """Leaves grouped under their parent: a two-level choice."""
    groups: dict[int, tuple[str, list]] = {}
    for leaf in selectors.leaf_categories().order_by("parent__sort_order", "sort_order", "code"):
        groups.setdefault(leaf.parent_id, (label_of(leaf.parent), []))[1].append((leaf.code, label_of(leaf)))
    return [("", _("Choose a category")), *groups.values()]


def group_choices() -> list:
    parents = selectors.categories_active().filter(parent__isnull=True)
    return [("", _("All groups")), *((p.code, label_of(p)) for p in parents)]


def district_choices(blank=None) -> list:
    english = (get_language() or "").startswith("en")
    rows = [(d.code, (d.name_en or d.name) if english else d.name) for d in core_selectors.districts_public()]
    return [("", blank or _("Choose a district")), *rows]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > ATTACHMENT_MAX_FILES:
            raise forms.ValidationError(_("Attach at most 5 files."))
        for f in files:
            if f.size > ATTACHMENT_MAX_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is larger than 10 MB.") % {"name": f.name}, code="too_large"
                )
        return files


class CaseFormBase(forms.Form):
    """Fields shared by the citizen form and the 1999 console."""

    submission_token = forms.CharField(widget=forms.HiddenInput)
    category = forms.ChoiceField(label=_("Category"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    petitioner_name = forms.CharField(label=_("Name"), max_length=60, required=False)
    petitioner_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    petitioner_email = forms.EmailField(label=_("E-mail"), required=False)
    confidential = forms.BooleanField(
        # Translators: 身分保密
        label=_("Keep my identity confidential"),
        required=False,
        help_text=_("Only the officials handling your case will see your name and contact details."),
    )
    # Shown only after the address and the place disagreed once (docs/maps.md): ticked, both are kept.
    place_confirmed = forms.BooleanField(
        label=_("The address and the place are both right: keep them as they are"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["district"].choices = district_choices()
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4().hex)

    def clean_category(self):
        code = self.cleaned_data["category"]
        category = selectors.leaf_categories().filter(code=code).first()
        if category is None:
            raise forms.ValidationError(_("Choose a category from the list."))
        return category

    def clean_district(self):
        code = self.cleaned_data.get("district")
        if not code:
            return None
        district = core_selectors.districts_public().filter(code=code).first()
        if district is None:
            raise forms.ValidationError(_("Choose a district from the list."))
        return district

    def clean_petitioner_phone(self):
        phone = self.cleaned_data["petitioner_phone"].strip()
        digits = "".join(ch for ch in phone if ch.isdigit())
        if phone and not 7 <= len(digits) <= 15:
            raise forms.ValidationError(_("Enter a phone number of 7 to 15 digits."))
        return phone

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error("lat", _("Give both latitude and longitude, or neither."))
        self._check_place(data)
        return data

    place_mismatch = False

    def _check_place(self, data) -> None:
        """The district the address names against the pin's (or, without a pin, the chosen) district.

        They disagree: a field error on the address, unless `place_confirmed` is ticked. No pin and no
        district chosen: the district the address names (when it names exactly one) is taken."""
        address = data.get("address") or ""
        if not address or "address" in self.errors:
            return
        place = None
        if data.get("lat") is not None and data.get("lon") is not None:
            place = geo.resolve(data["lat"], data["lon"])
        chosen = data.get("district")
        where = place.district_name if place else (chosen.name if chosen else None)
        named = places.districts_named(address, places.district_names())
        if where is None:
            if len(named) == 1 and "district" not in self.errors:
                data["district"] = core_selectors.districts_public().filter(name=named[0]).first()
            return
        if not named or where in named or data.get("place_confirmed"):
            return
        self.place_mismatch = True
        values = {"address": "、".join(named), "place": where}
        if place is not None:
            message = _(
                "The address is in %(address)s but the pin on the map is in %(place)s. "
                "Move the pin or correct the address."
            )
        else:
            message = _(
                "The address is in %(address)s but the district chosen is %(place)s. "
                "Choose the district or correct the address."
            )
        self.add_error("address", message % values)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "category": d["category"],
            "subject": d["subject"],
            "description": d["description"],
            "address": d.get("address", ""),
            "lat": d.get("lat"),
            "lon": d.get("lon"),
            "district": d.get("district"),
            "petitioner_name": d.get("petitioner_name", ""),
            "petitioner_phone": d.get("petitioner_phone", ""),
            "petitioner_email": d.get("petitioner_email", ""),
            "confidential": d.get("confidential", False),
            "idempotency_key": "form:" + d["submission_token"],
        }


class CitizenCaseForm(CaseFormBase):
    """The public form: category in two levels, location on the map or typed, attachments, and
    bot protection without outside services (honeypot and a signed timestamp)."""

    required_css_class = "required"  # required labels marked ＊ (the design system's .field)

    category_group = forms.ChoiceField(label=_("Category group"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Photos (JPEG, PNG) or PDF, at most 5 files of 10 MB each. Location data is removed from photos."
        ),
    )
    # Honeypot: hidden from people (CSS and aria-hidden); bots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    field_order = [
        "category_group",
        "category",
        "subject",
        "description",
        "address",
        "district",
        "lat",
        "lon",
        "attachments",
        "petitioner_name",
        "petitioner_phone",
        "petitioner_email",
        "confidential",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_group"].choices = group_choices()
        self.fields["lat"].widget.attrs.update(step="any")
        self.fields["lon"].widget.attrs.update(step="any")
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.fields["petitioner_phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["petitioner_email"].widget.attrs.update(autocomplete="email")
        self.fields["petitioner_name"].widget.attrs.update(autocomplete="name")
        if not self.is_bound:
            self.initial["started"] = make_form_timestamp()

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be accepted. Please try again."), code="bot")
        try:
            started = float(signing.loads(data.get("started") or "", salt=FORM_TIMESTAMP_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                _("The form has expired. Please check your entries and send it again."), code="stale"
            ) from None
        age = time.time() - started
        if age < MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _("The form was sent too quickly. Please check your entries and send it again."), code="fast"
            )
        if age > MAX_FORM_AGE_SECONDS:
            raise forms.ValidationError(
                _("The form has expired. Please check your entries and send it again."), code="stale"
            )
        return data


class ConsoleCaseForm(CaseFormBase):
    """The 1999 console's compact form: the caller's phone first, channel preset to phone."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Case.Channel.choices, initial=Case.Channel.PHONE)

    field_order = [
        "petitioner_phone",
        "petitioner_name",
        "petitioner_email",
        "category",
        "subject",
        "description",
        "address",
        "district",
        "confidential",
        "channel",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        phone = self.fields["petitioner_phone"].widget.attrs
        phone.update(autofocus=True, accesskey="p", inputmode="tel", autocomplete="off")
        # The caller's earlier cases appear while the number is typed (htmx). POST, so the number
        # travels in the body (with the form's CSRF token), never in a URL an access log keeps.
        phone.update(
            {
                "hx-post": reverse("petitions:console-caller"),
                "hx-params": "petitioner_phone,csrfmiddlewaretoken",
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#caller-cases",
            }
        )
        self.fields["petitioner_phone"].label = _("Caller's phone")
        self.fields["petitioner_name"].label = _("Caller's name")
        self.fields["description"].widget.attrs.update(rows=3)
        for name in ("lat", "lon"):
            self.fields[name].widget.attrs.update(step="any")


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=20)
    code = forms.CharField(label=_("Verification code"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update(autocomplete="off", placeholder="115-0000123")
        self.fields["code"].widget.attrs.update(autocomplete="off")


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the reply?"),
        coerce=int,
        choices=[
            (5, _("5 — very satisfied")),
            (4, _("4 — satisfied")),
            (3, _("3 — neutral")),
            (2, _("2 — dissatisfied")),
            (1, _("1 — very dissatisfied")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class InboxFilterForm(forms.Form):
    STATUS_CHOICES = [("open", _("Open")), ("all", _("All")), *Case.Status.choices]
    DUE_CHOICES = [
        ("", _("Any")),
        ("overdue", _("Overdue")),
        ("today", _("Due today")),
        ("soon", _("Due soon")),
    ]
    HANDLER_CHOICES = [("", _("Anyone")), ("me", _("Mine")), ("none", _("Not yet given to a handler"))]
    AWAITING_CHOICES = [
        ("", _("Anything")),
        ("reply", _("A reply awaiting approval")),
        ("extension", _("An extension request awaiting a decision")),
    ]

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    due = forms.ChoiceField(label=_("Due"), choices=DUE_CHOICES, required=False)
    handler = forms.ChoiceField(label=_("Handler"), choices=HANDLER_CHOICES, required=False)
    awaiting = forms.ChoiceField(label=_("Waiting for"), choices=AWAITING_CHOICES, required=False)
    # the RDEC's 分案 queue: filed while the case router was unsure of the agency (rdec.analytics)
    routing = forms.ChoiceField(
        label=_("Routing"),
        choices=[("", _("Any")), ("manual", _("Manual routing suggested"))],
        required=False,
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All categories"))]
        for c in selectors.categories_active().order_by("sort_order", "code"):
            choices.append((c.code, ("— " if c.parent_id else "") + label_of(c)))
        self.fields["category"].choices = choices
        self.fields["district"].choices = district_choices(_("All districts"))


class BulkAssignForm(forms.Form):
    cases = forms.ModelMultipleChoiceField(queryset=Case.objects.none(), label=_("Cases"))
    handler = forms.ModelChoiceField(queryset=None, label=_("Give the selected cases to"))

    def __init__(self, *args, cases_qs, handlers_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases_qs
        self.fields["handler"].queryset = handlers_qs


# --- case actions -------------------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class _OtherAgencyForm(forms.Form):
    """A choice of agency other than the case's own."""

    agency = forms.ModelChoiceField(queryset=Agency.objects.none())

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = core_selectors.agencies_public().order_by("sort_order", "code")
        if case is not None:
            qs = qs.exclude(pk=case.agency_id)
        self.fields["agency"].queryset = qs


class CoAgencyForm(_OtherAgencyForm):
    note = forms.CharField(
        label=_("What the co-agency should do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].label = _("Co-agency")


class TransferForm(_OtherAgencyForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].label = _("Transfer to agency")


class ReassignForm(forms.Form):
    handler = forms.ModelChoiceField(queryset=None, label=_("Handler"))
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = selectors.handlers_for_agency(case.agency_id if case else 0)


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Merge into case number"), max_length=20)
    note = forms.CharField(label=_("Note"), required=False)


class ExtensionRequestForm(forms.Form):
    working_days = forms.IntegerField(label=_("Extend by (working days)"), min_value=1, max_value=30)
    reason = forms.CharField(
        label=_("Reason (the petitioner will be told)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    note = forms.CharField(label=_("Note"), required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply to the petitioner (public)"), widget=forms.Textarea(attrs={"rows": 6})
    )
    internal_note = forms.CharField(
        label=_("Internal note (never shown to the petitioner)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    working_days = forms.IntegerField(
        label=_("New deadline (working days)"), min_value=1, max_value=30, required=False
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False)
    # 1999 call agents: the caller's phone, which must be the case's petitioner phone
    caller_phone = forms.CharField(
        label=_("Caller's phone"),
        max_length=30,
        required=False,
        help_text=_(
            "Only at the petitioner's request: the caller's phone must be the petitioner's phone on the case."
        ),
    )


# --- knowledge base -----------------------------------------------------------------------------------


class ArticleForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Responsible agency"))
    tags = forms.CharField(
        label=_("Tags"), max_length=200, required=False, help_text=_("Separate with spaces.")
    )
    source_document = forms.CharField(label=_("Source document"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        from rdec.core.permissions import scope_to_agencies

        qs = core_selectors.agencies_public().order_by("sort_order", "code")
        self.fields["agency"].queryset = scope_to_agencies(qs, user, field="pk") if user else qs
        if editing:
            del self.fields["agency"]
            del self.fields["valid_from"]


class DutyContactForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Agency"))
    name = forms.CharField(label=_("Name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    email = forms.EmailField(label=_("E-mail"), required=False)
    hours = forms.CharField(label=_("Hours"), max_length=100, required=False, initial="24小時")
    primary = forms.BooleanField(label=_("Primary contact"), required=False, initial=True)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
