"""Reads of the contract register (see docs/transparency.md)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from rdec.transparency.models import AwardNotice, Contract


def overdue_contracts(today: datetime.date) -> QuerySet[Contract]:
    """Contracts not yet published whose award publication deadline (細則 §84) has passed: the
    deadline day itself is still on time."""
    return (
        Contract.objects.select_related("agency")
        .filter(published_at__isnull=True, publication_due__lt=today)
        .order_by("publication_due", "id")
    )


def published_award_notices() -> QuerySet[AwardNotice]:
    """The award notices of published contracts, in release order per contract (the OCDS feed)."""
    return (
        AwardNotice.objects.filter(contract__status=Contract.Status.PUBLISHED)
        .select_related("contract", "contract__agency")
        .order_by("contract_id", "imported_at", "id")
    )
