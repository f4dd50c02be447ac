"""Forms of the engine's review pages: input shapes only; the rules are in services (screening,
assignments, scores, decisions, rubric), whose ValidationErrors are put back on these forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from rdec.programs.models import ReviewRound


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class _Form(forms.Form):
    required_css_class = "required"


class ScreenForm(_Form):
    eligible = forms.TypedChoiceField(
        label=_("Eligibility"),
        choices=[("1", _("Eligible")), ("0", _("Not eligible"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=_textarea(2),
        help_text=_("Required when the submission is not eligible."),
    )


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = getattr(obj, "display_name", "") or ""
        return f"{name}（{obj.username}）" if name and name != obj.username else obj.username


class AssignForm(_Form):
    reviewer = ReviewerChoiceField(label=_("Reviewer"), queryset=None)
    round_kind = forms.ChoiceField(
        label=_("Round"), choices=ReviewRound.Kind.choices, initial=ReviewRound.Kind.WRITTEN
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )


class DecisionForm(_Form):
    selected = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Select")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=_textarea(2),
        help_text=_("Required for a refusal."),
    )


class ScoreForm(_Form):
    """One number 0–100 per criterion of the rubric in use, or a conflict-of-interest declaration."""

    conflict = forms.BooleanField(label=_("I declare a conflict of interest"), required=False)
    conflict_note = forms.CharField(
        label=_("Conflict note"),
        required=False,
        widget=_textarea(2),
        help_text=_("What ties you to the submission (required with a declaration)."),
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scored = {}
        for criterion in self.criteria:
            scored[f"score_{criterion.code}"] = forms.DecimalField(
                label=_("%(name)s (weight %(weight)s)")
                % {"name": criterion.name, "weight": criterion.weight},
                required=False,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
            )
        # the scores first, then the declaration
        self.fields = {**scored, **self.fields}

    def clean(self):
        data = super().clean()
        if data.get("conflict"):
            if not (data.get("conflict_note") or "").strip():
                self.add_error("conflict_note", _("Say what the conflict of interest is."))
        else:
            for criterion in self.criteria:
                name = f"score_{criterion.code}"
                if name not in self.errors and data.get(name) is None:
                    self.add_error(name, _("Score this criterion (0 to 100)."))
        return data

    def scores(self) -> dict[str, object]:
        return {
            c.code: self.cleaned_data[f"score_{c.code}"]
            for c in self.criteria
            if self.cleaned_data.get(f"score_{c.code}") is not None
        }


class RubricForm(_Form):
    # codes are identifiers, not words to translate
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 6, "translate": "no"}),
        help_text=_("One criterion a line: code, name, weight (the weights sum to 100)."),
    )
    tie_break = forms.CharField(
        label=_("Tie-break criterion"),
        max_length=40,
        help_text=_("The code of a criterion."),
        widget=forms.TextInput(attrs={"translate": "no"}),
    )

    def clean_criteria(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data["criteria"].splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if not any(parts):
                continue
            if len(parts) != 3:
                raise forms.ValidationError(_("Write each criterion as: code, name, weight."))
            rows.append({"code": parts[0], "name": parts[1], "weight": parts[2]})
        return rows
