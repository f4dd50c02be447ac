"""Reads of the disclosure register and the MOU register (合作備忘錄專區 / 政府資訊公開專區).

- `public_mous(...)`: what anyone sees — MOUs published (`published_at` set) and past approval
  (never 'draft' nor 'under_approval'); `q` matches every word (split on spaces) inside the title,
  summary, items of cooperation, parties and the full text (Chinese words inside the text through
  the pairs index on PostgreSQL, rdec.core.textsearch).
- `mous_visible_to(user)`: the public ones, plus every MOU of the user's agencies (the RDEC: all).
- `overdue_mous(today)`: signed, unpublished, `publication_due` before today (管考 flag).
- `expiring_mous(today)`: in force, `term_end` within the rule's `mou_expiry_reminder_days`.
- `public_disclosures(...)`, `stale_items(today)`: the disclosure register and its items not
  updated within their cycle.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from rdec.core.textsearch import match_words
from rdec.transparency.models import DisclosureItem, Mou, MouParty
from rdec.transparency.services.rules import rule_for

NOT_PUBLIC_STATUSES = (Mou.Status.DRAFT, Mou.Status.UNDER_APPROVAL)
PUBLIC_MOU_STATUSES = tuple(s for s in Mou.Status.values if s not in NOT_PUBLIC_STATUSES)
IN_FORCE_STATUSES = (Mou.Status.SIGNED, Mou.Status.ACTIVE)
QUERY_WORDS = 5


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has fewer days (1/31 + 1 → 2/28)."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def roc_or_western_year(year: int) -> int:
    """A year typed as ROC (115) or Western (2026): the Western year."""
    return year + 1911 if 0 < year < 1911 else year


# --- MOUs ---------------------------------------------------------------------------------------------


def _mous() -> QuerySet[Mou]:
    return Mou.objects.select_related("lead_agency").prefetch_related("parties")


def public_mou_rows() -> QuerySet[Mou]:
    """Every public MOU, no joins and no order (for finding one by id)."""
    return Mou.objects.filter(published_at__isnull=False).exclude(status__in=NOT_PUBLIC_STATUSES)


def public_mous(
    *, q: str = "", status: str = "", agency: str = "", party_kind: str = "", year: int | None = None
) -> QuerySet[Mou]:
    """Published MOUs past approval, newest signed first. `agency`: an agency code (responsible or
    co-agency); `party_kind`: a MouParty.Kind; `year`: the year signed (Western or ROC)."""
    qs = public_mou_rows().select_related("lead_agency").prefetch_related("parties")
    if status in PUBLIC_MOU_STATUSES:
        qs = qs.filter(status=status)
    if agency:
        qs = qs.filter(
            Q(lead_agency__code=agency) | Q(pk__in=Mou.objects.filter(co_agencies__code=agency).values("pk"))
        )
    if party_kind in MouParty.Kind.values:
        qs = qs.filter(pk__in=MouParty.objects.filter(kind=party_kind).values("mou_id"))
    if year:
        qs = qs.filter(signed_on__year=roc_or_western_year(int(year)))
    qs = match_words(qs, q, max_words=QUERY_WORDS)
    return qs.order_by("-signed_on", "-id")


def mous_visible_to(user) -> QuerySet[Mou]:
    """The public MOUs plus, for agency members, every MOU (drafts too) their agencies lead; the
    RDEC sees all."""
    from rdec.core.permissions import visible_agency_ids

    ids = visible_agency_ids(user)
    if ids is None:
        return _mous()
    public = Q(published_at__isnull=False) & ~Q(status__in=NOT_PUBLIC_STATUSES)
    if ids:
        public |= Q(lead_agency_id__in=ids)
    return _mous().filter(public)


def overdue_mous(today: datetime.date) -> QuerySet[Mou]:
    """Signed (or later) MOUs not published by their due date: the 管考 overdue flag."""
    return (
        _mous()
        .exclude(status__in=NOT_PUBLIC_STATUSES)
        .filter(published_at__isnull=True, publication_due__lt=today)
        .order_by("publication_due", "id")
    )


def expiring_mous(today: datetime.date) -> QuerySet[Mou]:
    """MOUs in force ending within the rule's reminder days (today included), not renewed
    automatically: their agency decides to renew or let them end."""
    days = rule_for(today).mou_expiry_reminder_days
    return (
        _mous()
        .filter(
            status__in=IN_FORCE_STATUSES,
            auto_renew=False,
            term_end__gte=today,
            term_end__lte=today + datetime.timedelta(days=days),
        )
        .order_by("term_end", "id")
    )


# --- disclosure items ----------------------------------------------------------------------------------


def is_stale(item: DisclosureItem, today: datetime.date, rule=None) -> bool:
    """`updated_on` + the item's cycle (or the rule's) months is before today."""
    months = item.update_months or (rule or rule_for(today)).disclosure_update_months
    return add_months(item.updated_on, months) < today


def stale_items(today: datetime.date, *, agency_ids=None) -> QuerySet[DisclosureItem]:
    """Items not updated within their cycle, oldest first (flagged to their agency and the RDEC).
    `agency_ids`: only these agencies' (None: all)."""
    rule = rule_for(today)
    rows = DisclosureItem.objects.all()
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    # the earliest a row can be stale: cycles are at least one month
    rows = rows.filter(updated_on__lt=today - datetime.timedelta(days=28))
    stale = [
        pk
        for pk, updated_on, months in rows.values_list("pk", "updated_on", "update_months")
        if add_months(updated_on, months or rule.disclosure_update_months) < today
    ]
    return DisclosureItem.objects.select_related("agency").filter(pk__in=stale).order_by("updated_on", "id")


def public_disclosures(
    *, agency: str = "", category: int | None = None, q: str = ""
) -> QuerySet[DisclosureItem]:
    """The register as published: every agency's items (a withheld one shows that it exists, its
    Art. 18 ground and nothing more), by category then newest update. `agency`: an agency code."""
    qs = DisclosureItem.objects.select_related("agency")
    if agency:
        qs = qs.filter(agency__code=agency)
    if category:
        qs = qs.filter(category=category)
    qs = match_words(qs, q, max_words=QUERY_WORDS)
    return qs.order_by("category", "-updated_on", "id")


def disclosures_managed_by(user) -> QuerySet[DisclosureItem]:
    """The items the user may edit: the RDEC all, agency members their agencies'."""
    from rdec.core.permissions import scope_to_agencies
    from rdec.transparency.permissions import can_manage_register

    if not can_manage_register(user):
        return DisclosureItem.objects.none()
    return scope_to_agencies(DisclosureItem.objects.select_related("agency"), user)
