"""Reads of participation scoped to a user. Public pages never read phone or e-mail."""

from __future__ import annotations

# --- proposals (提點子) ---------------------------------------------------------------------------
# Public reads give the name the proposer chose (display_name), never the account behind it.

PUBLIC_PROPOSAL_STATUSES = ("endorsing", "established", "not_established", "responded")


def _proposals():
    from rdec.participation.models import Proposal

    return Proposal.objects.select_related("lead_agency")


def with_under_review(qs):
    """Annotate `under_review_count`: supports flagged and waiting for the RDEC's review."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from rdec.participation.models import Endorsement

    pending = (
        Endorsement.objects.filter(proposal=OuterRef("pk"), review=Endorsement.Review.PENDING)
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(under_review_count=Coalesce(Subquery(pending, output_field=IntegerField()), 0))


def under_review_count(proposal) -> int:
    from rdec.participation.models import Endorsement

    return Endorsement.objects.filter(proposal=proposal, review=Endorsement.Review.PENDING).count()


def public_proposals(*, q: str = "", status: str = ""):
    """Proposals open to everyone (accepted after checking), newest first; `q` matches every word
    (split on spaces) inside the subject or content (Chinese substrings, no segmentation needed)."""
    qs = _proposals().filter(status__in=PUBLIC_PROPOSAL_STATUSES)
    if status in PUBLIC_PROPOSAL_STATUSES:
        qs = qs.filter(status=status)
    for word in (q or "").split()[:5]:
        qs = qs.filter(search_text__icontains=word[:50])
    return qs.order_by("-submitted_at", "-id")


def proposals_visible_to(user):
    """Public proposals, plus the user's own (checking, rejected) and, for the RDEC, all."""
    from django.db.models import Q

    from rdec.core.permissions import is_oversight

    if is_oversight(user):
        return _proposals()
    visible = Q(status__in=PUBLIC_PROPOSAL_STATUSES)
    if user is not None and user.is_authenticated:
        visible |= Q(proposer=user)
    return _proposals().filter(visible)


def get_proposal_for_user(user, pk: int):
    from django.http import Http404

    proposal = proposals_visible_to(user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def proposal_timeline(proposal, user=None):
    """The timeline: public events for everyone; the RDEC also sees its own notes."""
    from rdec.core.permissions import is_oversight

    events = proposal.events.all()
    return events if is_oversight(user) else events.filter(public=True)


def proposal_response(proposal) -> dict | None:
    """The agency's point-by-point response (None before it is published)."""
    if proposal.responded_at is None:
        return None
    return {
        "summary": proposal.response_summary,
        "points": [{"point": p.point, "response": p.response} for p in proposal.response_points.all()],
    }


def has_endorsed(user, proposal) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return proposal.endorsements.filter(citizen=user).exists()


def my_proposals(user):
    if user is None or not user.is_authenticated:
        return _proposals().none()
    return _proposals().filter(proposer=user).order_by("-submitted_at")


def my_supported_proposals(user):
    if user is None or not user.is_authenticated:
        return _proposals().none()
    return _proposals().filter(endorsements__citizen=user).order_by("-endorsements__created_at")


def proposals_to_check(user):
    """The 管理小組's queue: proposals being checked, the earliest check due first."""
    from rdec.participation.models import Proposal
    from rdec.participation.permissions import can_check_proposal

    if not can_check_proposal(user):
        return _proposals().none()
    return _proposals().filter(status=Proposal.Status.CHECKING).order_by("check_due", "submitted_at")


def endorsements_to_review(user, proposal=None):
    """Flagged supports waiting for the RDEC's review (the supporter shown by display name only)."""
    from rdec.participation.models import Endorsement
    from rdec.participation.permissions import can_review_endorsement

    if not can_review_endorsement(user):
        return Endorsement.objects.none()
    qs = Endorsement.objects.filter(review=Endorsement.Review.PENDING).select_related("proposal")
    if proposal is not None:
        qs = qs.filter(proposal=proposal)
    return qs.order_by("created_at", "id")


def proposal_deadlines(user):
    """The deadlines board: established proposals awaiting assignment or their response, the
    earliest response due first (RDEC all; an agency its own)."""
    from django.db.models import Q

    from rdec.core.permissions import is_oversight, visible_agency_ids
    from rdec.participation.models import Proposal

    qs = _proposals().filter(status=Proposal.Status.ESTABLISHED)
    if not is_oversight(user):
        ids = visible_agency_ids(user)
        if not ids:
            return qs.none()
        qs = qs.filter(Q(lead_agency_id__in=ids) | Q(co_agencies__in=ids)).distinct()
    return qs.order_by(models_nulls_first("response_due"), "established_at")


def models_nulls_first(field: str):
    from django.db.models import F

    return F(field).asc(nulls_first=True)


SIMILAR_MIN_SCORE = 0.12
SIMILAR_CANDIDATES = 3000


def similar_proposals(text: str, limit: int = 5, *, exclude_pk: int | None = None) -> list:
    """Earlier public proposals like `text` (shown while a citizen types a proposal): the cosine of
    character 1–2-gram TF-IDF vectors (the method of the petitions' duplicate candidates,
    rdec.analytics.similar; Chinese needs no segmentation) over the latest public proposals.
    Returns Proposals, most similar first, each with `similarity` (0–1); [] for a short text."""
    text = (text or "").strip()
    if len(text) < 2:
        return []
    qs = public_proposals()
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    candidates = list(qs[:SIMILAR_CANDIDATES])
    if not candidates:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    corpus = [text[:2000], *[(p.search_text or f"{p.title}\n{p.content}")[:2000] for p in candidates]]
    matrix = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True).fit_transform(corpus)
    scores = cosine_similarity(matrix[0], matrix[1:])[0]
    ranked = sorted(
        ((float(s), p) for s, p in zip(scores, candidates, strict=True) if s >= SIMILAR_MIN_SCORE),
        key=lambda pair: -pair[0],
    )
    found = []
    for score, proposal in ranked[:limit]:
        proposal.similarity = round(score, 3)
        found.append(proposal)
    return found


# --- consultations (眾開講) -----------------------------------------------------------------------

# --- conversations (Pol.is) ----------------------------------------------------------------------

# --- statistics (strategy 10-1-1 live sources) -----------------------------------------------------
