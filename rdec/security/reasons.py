"""Why a finding is indeterminate, in words (the codes of rdec.security.matching.REASON_CODES)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from rdec.security.models import CpeFields


def attribute_label(attribute: str) -> str:
    try:
        return str(CpeFields._meta.get_field(attribute).verbose_name)
    except Exception:  # noqa: BLE001 — an unknown attribute is shown as is
        return attribute


def describe(reason: dict) -> str:
    code = reason.get("code", "")
    values = {
        "attribute": attribute_label(reason.get("attribute", "")),
        "asset_cpe": reason.get("asset_cpe", ""),
        "criterion": reason.get("criterion", ""),
    }
    texts = {
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
    return (texts.get(code) or _("The inventory is too vague to decide (%(asset_cpe)s).")) % values


def summary(reasons: list[dict]) -> str:
    return describe(reasons[0]) if reasons else ""
