"""政府資訊公開專區: write use cases of the proactive-disclosure register (DisclosureItem).

Every function checks permission with `rdec.core.permissions.require` ("transparency.manage_register":
an agency keeps its own items, the RDEC every agency's), is atomic and raises
`django.core.exceptions.ValidationError` with a dict of field errors on bad input. Creates and
edits are written to the audit trail by the model's tracking (apps.py).

Rules (docs/transparency.md, "Disclosure register"):
- the category is one of 政府資訊公開法 Art. 7 para 1's ten (`Art7Category`);
- the methods are Art. 8's (`Art8Method`), at least one, no unknown code; a category-1 item (laws,
  orders, local regulations) must be published in the gazette (Art. 8 para 1 item 1 → code
  `gazette_required` on `methods`);
- an item withheld in full or in part names the Art. 18 para 1 item and the reason (codes
  `restriction_item_required`, `restriction_reason_required`); a published item carries neither;
- an item is stale when `updated_on` + its update cycle (`update_months`, or the rule's
  `disclosure_update_months`) is before today (selectors_registers.stale_items).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from rdec.core.permissions import require
from rdec.transparency.models import Art7Category, Art8Method, Art18Item, DisclosureItem, Restriction
from rdec.transparency.selectors_registers import is_stale, stale_items  # noqa: F401 - re-exported

TITLE_MAX = 200
UPDATE_MONTHS_MAX = 120

ITEM_FIELDS = (
    "agency",
    "category",
    "title",
    "summary",
    "methods",
    "url",
    "responsible_unit",
    "update_months",
    "published_on",
    "updated_on",
    "restriction",
    "restriction_item",
    "restriction_reason",
)


def _error(errors: dict, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _as_int(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return "invalid"


def _clean(data: dict) -> dict:
    """The item's values checked (Art. 7, 8, 18) and normalised; raises ValidationError."""
    errors: dict = {}
    out = dict(data)
    if out.get("agency") is None:
        _error(errors, "agency", _("Choose the agency."), "required")
    category = _as_int(out.get("category"))
    if category not in Art7Category.values:
        _error(errors, "category", _("Choose one of the ten categories of Art. 7."), "invalid_choice")
    out["category"] = category
    title = (out.get("title") or "").strip()
    if not title:
        _error(errors, "title", _("Give the item a title."), "required")
    elif len(title) > TITLE_MAX:
        _error(
            errors,
            "title",
            _("The title is at most %(count)s characters.") % {"count": TITLE_MAX},
            "max_length",
        )
    out["title"] = title
    out["summary"] = (out.get("summary") or "").strip()
    out["responsible_unit"] = (out.get("responsible_unit") or "").strip()[:100]

    methods = out.get("methods")
    if isinstance(methods, str):
        methods = [methods]
    methods = [str(m).strip() for m in (methods or []) if str(m).strip()]
    unknown = [m for m in methods if m not in Art8Method.values]
    if unknown:
        _error(
            errors,
            "methods",
            _("Unknown method of disclosure: %(codes)s.") % {"codes": ", ".join(unknown)},
            "invalid_choice",
        )
    elif not methods:
        _error(errors, "methods", _("Choose at least one method of disclosure (Art. 8)."), "required")
    elif category == Art7Category.LAWS and Art8Method.GAZETTE not in methods:
        _error(
            errors,
            "methods",
            _(
                "Laws, orders and local regulations (Art. 7 category 1) must be published in the "
                "government gazette (Art. 8 para 1 item 1)."
            ),
            "gazette_required",
        )
    out["methods"] = [m for m in Art8Method.values if m in methods]  # one each, in the law's order

    url = (out.get("url") or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            _error(errors, "url", _("Enter a web address starting with http:// or https://."), "invalid")
        if len(url) > 500:
            _error(errors, "url", _("The address is at most 500 characters."), "max_length")
    out["url"] = url

    months = _as_int(out.get("update_months"))
    if months is not None and (months == "invalid" or not 1 <= months <= UPDATE_MONTHS_MAX):
        _error(
            errors,
            "update_months",
            _("The update cycle is 1 to %(max)s months, or empty for the rule's default.")
            % {"max": UPDATE_MONTHS_MAX},
            "invalid",
        )
    out["update_months"] = months

    published_on, updated_on = out.get("published_on"), out.get("updated_on")
    if not isinstance(published_on, datetime.date):
        _error(errors, "published_on", _("Enter the date of publication."), "required")
    if not isinstance(updated_on, datetime.date):
        _error(errors, "updated_on", _("Enter the date of the last update."), "required")
    elif isinstance(published_on, datetime.date) and updated_on < published_on:
        _error(
            errors, "updated_on", _("The last update cannot be before the publication."), "before_published"
        )

    restriction = out.get("restriction") or Restriction.NONE
    item = _as_int(out.get("restriction_item"))
    reason = (out.get("restriction_reason") or "").strip()
    if restriction not in Restriction.values:
        _error(errors, "restriction", _("Choose how the item is published."), "invalid_choice")
    elif restriction == Restriction.NONE:
        item, reason = None, ""
    else:
        if item not in Art18Item.values:
            _error(
                errors,
                "restriction_item",
                _("Name the ground of Art. 18 para 1 (items 1 to 9) for withholding."),
                "restriction_item_required",
            )
        if not reason:
            _error(
                errors,
                "restriction_reason",
                _("Give the reason for withholding (Art. 18)."),
                "restriction_reason_required",
            )
    out["restriction"], out["restriction_item"], out["restriction_reason"] = restriction, item, reason
    if errors:
        raise ValidationError(errors)
    return out


def _search_text(item: DisclosureItem) -> str:
    return "\n".join(p for p in (item.title, item.summary, item.responsible_unit) if p)


@transaction.atomic
def save_disclosure_item(
    *,
    actor,
    agency,
    category,
    title: str,
    methods,
    published_on: datetime.date,
    updated_on: datetime.date,
    summary: str = "",
    url: str = "",
    responsible_unit: str = "",
    update_months: int | None = None,
    restriction: str = Restriction.NONE,
    restriction_item: int | None = None,
    restriction_reason: str = "",
) -> DisclosureItem:
    """Add an item to an agency's register (its staff or the RDEC). Returns the saved item."""
    require(actor, "transparency.manage_register", DisclosureItem(agency=agency) if agency else None)
    values = _clean(
        {
            "agency": agency,
            "category": category,
            "title": title,
            "summary": summary,
            "methods": methods,
            "url": url,
            "responsible_unit": responsible_unit,
            "update_months": update_months,
            "published_on": published_on,
            "updated_on": updated_on,
            "restriction": restriction,
            "restriction_item": restriction_item,
            "restriction_reason": restriction_reason,
        }
    )
    item = DisclosureItem(**values, created_by=actor if getattr(actor, "pk", None) else None)
    item.search_text = _search_text(item)
    item.save()
    return item


@transaction.atomic
def update_disclosure_item(item: DisclosureItem, *, actor, **changes) -> DisclosureItem:
    """Edit an item (any of save_disclosure_item's fields); moving it to another agency needs the
    right to manage both. Returns the item."""
    require(actor, "transparency.manage_register", item)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    values = {f: getattr(item, f) for f in ITEM_FIELDS}
    values.update(changes)
    if "agency" in changes and changes["agency"] is not None and changes["agency"].pk != item.agency_id:
        require(actor, "transparency.manage_register", DisclosureItem(agency=changes["agency"]))
    values = _clean(values)
    for field, value in values.items():
        setattr(item, field, value)
    item.search_text = _search_text(item)
    item.save()
    return item


@transaction.atomic
def delete_disclosure_item(item: DisclosureItem, *, actor) -> None:
    """Take an item off the register (recorded in the audit trail)."""
    require(actor, "transparency.manage_register", item)
    item.delete()
