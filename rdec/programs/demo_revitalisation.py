"""Demo content of 地方創生: the shipped catalogue of central schemes (idempotent, by code)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def seed(stdout=None, **kwargs) -> None:
    from rdec.programs import services_revitalisation

    count = services_revitalisation.load_schemes()
    if stdout is not None:
        stdout.write(_("%(count)s schemes loaded.") % {"count": count})
