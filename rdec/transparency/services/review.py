"""The agency's review of a contract's public copy: which proposed (or added) redactions to accept,
then the approval and publication (services.documents.approve_and_publish)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from rdec.core.permissions import require
from rdec.transparency.models import Contract, Redaction
from rdec.transparency.services.documents import approve_and_publish


@transaction.atomic
def decide_and_publish(contract: Contract, *, accepted_ids: set[int], actor) -> Contract:
    """Accept the redactions in `accepted_ids` (of this contract's documents), dismiss the other
    undecided ones, make the public copies and publish. A redaction already decided keeps its
    decision."""
    require(actor, "transparency.manage_register", contract)
    now = timezone.now()
    open_ones = Redaction.objects.filter(document__contract=contract, decided_at__isnull=True)
    open_ones.filter(pk__in=accepted_ids).update(accepted=True, decided_by=actor, decided_at=now)
    open_ones.exclude(pk__in=accepted_ids).update(accepted=False, decided_by=actor, decided_at=now)
    return approve_and_publish(contract, actor=actor, accept_proposed=False)
