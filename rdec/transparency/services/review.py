"""The agency's work on a contract after registering it: which proposed redactions to accept before
the approval and publication (services.documents.approve_and_publish), and its amendments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.permissions import require
from rdec.transparency.models import Contract, ContractAmendment, Redaction
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


@transaction.atomic
def record_amendment(
    contract: Contract, *, actor, amended_on, description: str, award_amount=None
) -> ContractAmendment:
    """A change to a signed contract (契約變更): its date, what changed and, when the amount changed,
    the amount after it (empty: unchanged or not public). Shown on the contract's public page."""
    require(actor, "transparency.manage_register", contract)
    errors: dict[str, list[str]] = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Describe what changed.")]
    if amended_on is None:
        errors["amended_on"] = [_("Enter the date of the amendment.")]
    elif amended_on > timezone.localdate():
        errors["amended_on"] = [_("The amendment cannot be dated in the future.")]
    elif contract.signed_on and amended_on < contract.signed_on:
        errors["amended_on"] = [_("The amendment cannot be dated before the contract was signed.")]
    if award_amount is not None and award_amount < 0:
        errors["award_amount"] = [_("An amount cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    amendment = ContractAmendment.objects.create(
        contract=contract, amended_on=amended_on, description=description, award_amount=award_amount
    )
    audit.record("transparency.contract_amended", contract, amended_on=amended_on.isoformat())
    return amendment
