"""Checks on the programmes' input that are not use cases: required fields, the rubric's criteria and
the 統一編號."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TAX_ID_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)


def required(errors: dict, name: str, value):
    """`value` stripped if text; an empty or missing one adds 「這個欄位是必須的。」 under `name` to
    `errors` (the services' field-error dict)."""
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    if value in ("", None):
        errors[name] = [ValidationError(_("This field is required."), code="required")]
    return value


def tax_id_is_valid(tax_id: str) -> bool:
    """統一編號 check: 8 digits whose weighted digit sum is divisible by 5 (財政部's rule since
    2023, which also accepts every older number); when the 7th digit is 7 the sum may also be one
    less than a multiple of 5."""
    if len(tax_id) != 8 or not tax_id.isdigit():
        return False
    total = sum(sum(divmod(int(d) * w, 10)) for d, w in zip(tax_id, TAX_ID_WEIGHTS, strict=True))
    return total % 5 == 0 or (tax_id[6] == "7" and (total + 1) % 5 == 0)


def validate_criteria(criteria: Iterable[Mapping], tie_break: str) -> list[dict]:
    """Clean a rubric: codes unique, weights whole numbers 1–100 summing to 100, the tie-break one
    of the codes."""
    cleaned, errors = [], {}
    for item in criteria:
        code, name = str(item.get("code", "")).strip(), str(item.get("name", "")).strip()
        try:
            weight = int(item.get("weight"))
        except (TypeError, ValueError):
            weight = None
        if not code or not name:
            errors.setdefault("criteria", []).append(
                ValidationError(_("Each criterion needs a code and a name."), code="required")
            )
        if weight is None or not 1 <= weight <= 100 or str(item.get("weight")).strip() not in (str(weight),):
            errors.setdefault("criteria", []).append(
                ValidationError(_("A weight is a whole number from 1 to 100."), code="invalid_weight")
            )
            weight = 0
        cleaned.append({"code": code, "name": name, "weight": weight})
    codes = [c["code"] for c in cleaned]
    if not cleaned:
        errors.setdefault("criteria", []).append(
            ValidationError(_("A rubric needs at least one criterion."), code="required")
        )
    elif len(set(codes)) != len(codes):
        errors.setdefault("criteria", []).append(
            ValidationError(_("Criterion codes must be unique."), code="duplicate")
        )
    elif "criteria" not in errors and sum(c["weight"] for c in cleaned) != 100:
        errors.setdefault("criteria", []).append(
            ValidationError(
                _("The weights must sum to 100 (they sum to %(total)s).")
                % {"total": sum(c["weight"] for c in cleaned)},
                code="weights_sum",
            )
        )
    if tie_break not in codes:
        errors["tie_break"] = [
            ValidationError(_("The tie-break criterion must be one of the criteria's codes."), code="unknown")
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned
