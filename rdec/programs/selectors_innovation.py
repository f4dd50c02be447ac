"""Reads of 簡政創新, scoped to the user: the months without a digest (the rule is at least one
sent digest a month), the agencies' referral inboxes, an item's answers across agencies, process
reforms, the year-end review's entries and awards, and the live figure of KPI 10-2-4."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rdec.core.permissions import scope_to_agencies
from rdec.programs.models_innovation import Digest, DigestItem, InnovationEntry, ProcessReform, Referral


def months_due(year: int, today: datetime.date) -> list[int]:
    """The months of `year` that have begun by `today` (none for a future year)."""
    if year > today.year:
        return []
    return list(range(1, (today.month if year == today.year else 12) + 1))


def sent_months(year: int, until: datetime.date | None = None) -> set[int]:
    """The months of `year` with a digest sent (on or before `until`)."""
    qs = Digest.objects.filter(year=year, sent_on__isnull=False)
    if until is not None:
        qs = qs.filter(sent_on__lte=until)
    return set(qs.values_list("month", flat=True))


def missing_digest_months(year: int, today: datetime.date) -> list[int]:
    """The months of `year`, up to the current one, with no digest sent — each a compliance flag
    (臺中市政府簡政創新實施計畫: at least one digest a month)."""
    sent = sent_months(year)
    return [m for m in months_due(year, today) if m not in sent]


def live_digests_sent(year: int, quarter: int) -> int:
    """KPI 10-2-4: the months of the year with a digest sent, from January to the quarter's end."""
    from rdec.strategy.live import quarter_bounds

    end = quarter_bounds(year, quarter)[1]
    return len({m for m in sent_months(year, until=end) if m <= end.month})


def referrals_visible_to(user) -> QuerySet[Referral]:
    """The RDEC sees every referral; agency staff those of their agencies."""
    qs = Referral.objects.select_related("item__digest", "agency", "assessment__tracking_item")
    return scope_to_agencies(qs, user, field="agency")


def reforms_visible_to(user) -> QuerySet[ProcessReform]:
    return scope_to_agencies(ProcessReform.objects.select_related("agency"), user, field="agency")


def entries_of(call) -> QuerySet[InnovationEntry]:
    return InnovationEntry.objects.filter(submission__call=call).select_related("agency", "submission")


def entries_visible_to(user) -> QuerySet[InnovationEntry]:
    qs = InnovationEntry.objects.select_related("agency", "submission__call")
    return scope_to_agencies(qs, user, field="agency")


def check_one_lead(item: DigestItem) -> None:
    """Exactly one lead among a referred item's referrals (a ValidationError otherwise)."""
    if item.referrals.exists() and item.referrals.filter(lead=True).count() != 1:
        raise ValidationError(
            {
                "lead": ValidationError(
                    _("An item referred to several agencies needs exactly one lead agency; choose it."),
                    code="one_lead",
                )
            }
        )
