"""Background jobs of participation (Celery; in-process when no broker is set).

- `close_due_endorsements`: daily (CELERY_BEAT_SCHEDULE "participation-close-endorsements"; in the
  embedded setup `rdec close_proposal_endorsements` from cron): endorsing proposals whose last day
  of support has passed become 成案 or 未成案 (services.proposals.close_due_endorsements).
- `notify_proposal_step`: the notices of one step of a proposal (queued on commit by the services).

Tasks take ids and primitives, re-fetch, and are idempotent where they can be (the closing is; a
notice repeated by a retry is a repeated notice, so the task is not retried).
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="rdec.participation.tasks.close_due_endorsements")
def close_due_endorsements() -> None:
    from rdec.participation.services import proposals

    proposals.close_due_endorsements()


@shared_task(name="rdec.participation.tasks.notify_proposal_step")
def notify_proposal_step(
    proposal_id: int, subject: str, body: str, include_supporters: bool = True, agency_staff: bool = False
) -> None:
    from rdec.core.models import AGENCY_ROLES, User
    from rdec.participation.models import Proposal
    from rdec.participation.services import proposals

    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return
    extra = []
    if agency_staff and proposal.lead_agency_id:
        agency_ids = [proposal.lead_agency_id, *proposal.co_agencies.values_list("id", flat=True)]
        extra = list(User.objects.filter(agency_id__in=agency_ids, role__in=AGENCY_ROLES, is_active=True))
    proposals.notify_proposal(
        proposal, subject, body, include_supporters=include_supporters, extra_users=extra
    )
