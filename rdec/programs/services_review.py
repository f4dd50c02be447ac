"""Write use cases of the review pages that the engine's services did not have."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.permissions import require
from rdec.programs.models import Assignment


@transaction.atomic
def remove_assignment(assignment: Assignment, *, actor) -> None:
    """The RDEC withdraws a reviewer's assignment while the reviewer has neither scored nor
    declared a conflict (a review given is never deleted: it stays, excluded or counted)."""
    require(actor, "programs.manage_call", assignment.round.call)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.scored_at is not None or assignment.conflict or assignment.scores.exists():
        raise ValidationError(
            {
                "assignment": ValidationError(
                    _("This reviewer has already scored or declared a conflict; the assignment stays."),
                    code="scored",
                )
            }
        )
    audit.record("programs.assignment_removed", assignment.submission, round=assignment.round.kind)
    assignment.delete()
