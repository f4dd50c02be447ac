"""Why a finding is indeterminate, in words (the codes of rdec.security.matching.REASON_CODES)."""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rdec.security.models import CpeFields


def attribute_label(attribute: str) -> str:
    try:
        return str(CpeFields._meta.get_field(attribute).verbose_name)
    except Exception:  # noqa: BLE001 — an unknown attribute is shown as is
        return attribute


def _texts() -> dict[str, str]:
    return {
        "attribute_any": _(
            "The inventory gives no %(attribute)s (*) where the vulnerability names one (%(criterion)s): "
            "say which in %(asset_cpe)s."
        ),
        "attribute_wildcard": _("The inventory's %(attribute)s holds a wildcard: %(asset_cpe)s."),
        "version_missing": _(
            "The inventory gives no version (*) of %(asset_cpe)s, and the vulnerability concerns some versions "
            "only (%(criterion)s)."
        ),
        "version_na": _(
            "The inventory gives the version as not applicable (-) for %(asset_cpe)s, and the vulnerability "
            "concerns a range of versions (%(criterion)s)."
        ),
        "version_incomparable": _(
            "The inventory's version of %(asset_cpe)s cannot be ordered against the vulnerable range "
            "(%(criterion)s)."
        ),
        "release_without_version": _(
            "The vulnerability names the release as a whole (%(criterion)s) and cannot place the build "
            "given by the inventory (%(asset_cpe)s)."
        ),
    }


def _fallback() -> str:  # noqa: N802
    return _("The inventory is too vague to decide (%(asset_cpe)s).")


def describe(reason: dict, *, html: bool = True) -> SafeString | str:
    """The reason in words; as HTML (pages) the CPE names are set as code (not translated, not
    read as words), as text (the API) they are given as they are."""
    code = reason.get("code", "")
    if not html:
        plain = {
            "attribute": attribute_label(reason.get("attribute", "")),
            "asset_cpe": reason.get("asset_cpe", ""),
            "criterion": reason.get("criterion", ""),
        }
        return _texts().get(code, _fallback()) % plain
    values = {
        "attribute": escape(attribute_label(reason.get("attribute", ""))),
        "asset_cpe": format_html('<code translate="no">{}</code>', reason.get("asset_cpe", "")),
        "criterion": format_html('<code translate="no">{}</code>', reason.get("criterion", "")),
    }
    text = _texts().get(code) or _fallback()
    return mark_safe(escape(text) % values)  # noqa: S308 — the text escaped, the values built above


def summary(reasons: list[dict], *, html: bool = True) -> SafeString | str:
    return describe(reasons[0], html=html) if reasons else ""
