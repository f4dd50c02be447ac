"""What other modules do with newly filed cases, on every intake channel.

Every way a case is filed — the citizen's web form, the REST API (`POST /api/v1/petitions/`), Open311
(`POST requests.json`), the queued intake (`POST /api/v1/submissions/` and its background filing) and
the 1999 console — stores it through `services._store_new_cases`, which ends by calling the hooks
registered here with the new cases, inside the filing's transaction. Analytics registers one (its
AppConfig.ready): the cases its router is unsure of are sent to the RDEC's 分案 queue
(`rdec.analytics.services.flag_unsure_routing`).

A hook runs in a savepoint: if it fails, what it wrote is undone and the error logged; the cases
are filed either way. Cases whose agency the filer chose (`file_case(agency=...)`) are not passed:
a person routed them."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

_filed: list[Callable] = []


def on_filed(hook: Callable) -> None:
    """Register `hook(cases)`: called with the list of cases just filed (numbered and stored)."""
    if hook not in _filed:
        _filed.append(hook)


def filed(cases: list) -> None:
    """Run the registered hooks on the new cases (those routed by their category, not by hand)."""
    routed = [case for case in cases if not getattr(case, "_rdec_agency_chosen", False)]
    if not routed:
        return
    for hook in _filed:
        try:
            with transaction.atomic():
                hook(routed)
        except Exception:  # noqa: BLE001 - a check on new cases never loses a filed case
            logging.getLogger(__name__).exception(
                "hook %s failed on %s", getattr(hook, "__name__", hook), [c.number for c in routed]
            )
