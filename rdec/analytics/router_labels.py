"""What the case router learns from the work: every 移文 and every re-分案 is a label.

A case's label is the agency that finally holds it (and a category of that agency), dated when
the label was made:

- ``transfer``: the case was transferred (移文, event ``transferred``) to the agency that holds it
  now; dated at that transfer.
- ``reassign``: the case was routed again (分案 by the RDEC or a 1999 agent, event ``assigned``)
  from another agency to the one that holds it now; dated at that assignment.
- ``closed``: a replied or closed case that was never moved to its agency: the agency that
  answered it, dated at the reply (or closure).

One label per case: its last move to the agency holding it (a case moved A → B → C gives C). Open
cases that were never moved, withdrawn and merged cases give none. The text is the case's subject,
description and district with personal data masked as the platform masks it for non-handlers
(``rdec.petitions.privacy.public_text``: names, phones, ID numbers, e-mails, house numbers).

The category of a label is the case's category when that category's routing agency is the label's
agency; otherwise (the case was filed under another agency's category) the label's agency's
category that the router in use finds likeliest for the text, so the router learns that such
wording belongs to the agency it was transferred to. An agency without categories gives no label.

Reorganisations: a label counts ``weight`` times in training, more for newer labels
(``RDEC_ROUTER_RECENT_WEIGHT`` for a label made today, halving towards 1 every
``RDEC_ROUTER_HALF_LIFE_DAYS``), so once a kind of petition is transferred to its new agency the
newer transfers outweigh the older cases answered by the old one.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.utils import timezone

SOURCES = ("transfer", "reassign", "closed")
MOVES = {"transferred": "transfer", "assigned": "reassign"}


@dataclass
class Label:
    case: str  # case number (not personal data)
    text: str  # masked
    agency: str  # agency code
    category: str  # leaf category code
    at: datetime.datetime  # when the label was made
    source: str  # transfer | reassign | closed
    weight: int = 1  # how many times it counts in training
    own_category: bool = True  # False: the case was filed under another agency's category


def recent_weight() -> int:
    return max(1, int(getattr(settings, "RDEC_ROUTER_RECENT_WEIGHT", 3)))


def half_life_days() -> float:
    return max(1.0, float(getattr(settings, "RDEC_ROUTER_HALF_LIFE_DAYS", 180)))


def weight(at: datetime.datetime, now: datetime.datetime) -> int:
    """1 + (RECENT_WEIGHT − 1) · ½^(age / half-life), rounded: 3 today, 2 after one half-life, 1 later."""
    age = max(0.0, (now - at).total_seconds() / 86400)
    return 1 + round((recent_weight() - 1) * 0.5 ** (age / half_life_days()))


def labels(*, limit: int | None = None, now: datetime.datetime | None = None, choose=None) -> list[Label]:
    """The dated labels of the platform's cases, newest first. `limit`: the newest N closed-case
    labels only (transfers and re-assignments are always all kept). `choose(texts, agency_codes)`
    picks a category per text among an agency's categories (default: the router in use)."""
    from rdec.analytics.routing import text_of
    from rdec.petitions.models import Case, CaseEvent, Category
    from rdec.petitions.privacy import public_text

    now = now or timezone.now()
    # the last move of each case to another agency (events are ordered by time)
    moves: dict[int, tuple[str, int, datetime.datetime]] = {}
    events = (
        CaseEvent.objects.filter(verb__in=MOVES, to_agency__isnull=False)
        .exclude(agency_id=F("to_agency_id"))
        .order_by("at", "id")
        .values_list("case_id", "verb", "to_agency_id", "at")
    )
    for case_id, verb, to_agency, at in events.iterator(chunk_size=5000):
        moves[case_id] = (MOVES[verb], to_agency, at)
    open_or_answered = (*Case.OPEN_STATUSES, Case.Status.REPLIED, Case.Status.CLOSED)
    fields = (
        "id", "number", "subject", "description", "district__name", "status", "agency_id", "agency__code",
        "category__code", "category__default_agency_id", "replied_at", "closed_at", "received_at",
        "petitioner_name", "petitioner_phone", "petitioner_email",
    )  # fmt: skip
    moved = Case.objects.filter(pk__in=list(moves), status__in=open_or_answered).values(*fields)
    answered = (
        Case.objects.filter(
            status__in=(Case.Status.REPLIED, Case.Status.CLOSED), category__parent__isnull=False
        )
        .exclude(pk__in=list(moves))
        .order_by("-received_at")
        .values(*fields)
    )
    rows = [*moved, *(answered[:limit] if limit else answered)]

    found: list[Label] = []
    wrong_category: list[int] = []
    for row in rows:
        move = moves.get(row["id"])
        if move is not None and move[1] != row["agency_id"]:
            move = None  # moved on and back again by other means: the holder is what counts
        if move is None and row["status"] not in (Case.Status.REPLIED, Case.Status.CLOSED):
            continue
        source, _to, at = move if move else ("closed", None, row["closed_at"] or row["replied_at"])
        case = _Petitioner(row)
        text = public_text(text_of(row["subject"], row["description"], row["district__name"] or ""), case)
        at = at or row["received_at"]
        found.append(Label(row["number"], text, row["agency__code"], row["category__code"], at, source))
        if row["category__default_agency_id"] != row["agency_id"]:
            wrong_category.append(len(found) - 1)
    if wrong_category:
        # the label's agency's own category for these texts
        categories: dict[str, list[str]] = {}
        for code, agency in Category.objects.filter(
            parent__isnull=False, active=True, default_agency__isnull=False
        ).values_list("code", "default_agency__code"):
            categories.setdefault(agency, []).append(code)
        choose = choose or _choose_by_router
        picked = choose(
            [found[i].text for i in wrong_category], [found[i].agency for i in wrong_category], categories
        )
        for i, category in zip(wrong_category, picked, strict=True):
            found[i].category, found[i].own_category = category or "", False
        found = [label for label in found if label.category]
    for label in found:
        label.weight = weight(label.at, now)
    found.sort(key=lambda label: label.at, reverse=True)
    return found


class _Petitioner:
    """The petitioner fields public_text needs, from a values() row."""

    def __init__(self, row: dict):
        self.petitioner_name = row["petitioner_name"]
        self.petitioner_phone = row["petitioner_phone"]
        self.petitioner_email = row["petitioner_email"]


def _choose_by_router(texts: list[str], agencies: list[str], categories: dict[str, list[str]]) -> list[str]:
    """For each text, the category of its agency that the router in use scores highest (the
    agency's first category when the router knows none of them); "" for an agency without any."""
    from rdec.analytics.selectors import active_router

    router = active_router()
    classes = {str(c): j for j, c in enumerate(router.pipeline.classes_)}
    probabilities = router.pipeline.predict_proba(texts)
    picked = []
    for row, agency in zip(probabilities, agencies, strict=True):
        own = categories.get(agency, [])
        known = [c for c in own if c in classes]
        if known:
            picked.append(max(known, key=lambda c: row[classes[c]]))
        else:
            picked.append(own[0] if own else "")
    return picked


def summary(found: list[Label]) -> dict:
    """Counts by source, the weighted total and the newest label's date: what a training used."""
    by_source = Counter(label.source for label in found)
    newest = {s: max((lb.at for lb in found if lb.source == s), default=None) for s in SOURCES}
    return {
        "labels": len(found),
        "weighted": sum(label.weight for label in found),
        "by_source": {s: by_source.get(s, 0) for s in SOURCES},
        "latest": max(found, key=lambda lb: lb.at).at.isoformat() if found else None,
        "latest_by_source": {s: at.isoformat() if at else None for s, at in newest.items()},
        "half_life_days": half_life_days(),
        "recent_weight": recent_weight(),
    }
