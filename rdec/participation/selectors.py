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


def public_proposal_rows():
    """Public proposals, the rows alone (no joins, no order): for finding one by its id."""
    from rdec.participation.models import Proposal

    return Proposal.objects.filter(status__in=PUBLIC_PROPOSAL_STATUSES)


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

# Public reads never touch the commenters' accounts beyond the display name they chose.


def _consultations():
    from rdec.participation.models import Consultation

    return Consultation.objects.select_related("agency")


def public_consultations(*, q: str = "", status: str = "", agency: str = ""):
    """Published consultations (not drafts), newest first; `q` matches every word (split on spaces)
    inside the title or background (Chinese words need no segmentation: substrings); `agency` is an
    agency code."""
    from rdec.participation.models import Consultation

    qs = _consultations().exclude(status=Consultation.Status.DRAFT)
    if status in Consultation.Status.values and status != Consultation.Status.DRAFT:
        qs = qs.filter(status=status)
    if agency:
        qs = qs.filter(agency__code=agency)
    for word in (q or "").split()[:5]:
        qs = qs.filter(search_text__icontains=word[:50])
    return qs.order_by("-opens_on", "-id")  # explicit: an annotated (grouped) query drops Meta.ordering


def consultations_managed_by(user):
    """Every consultation (drafts included) the user manages: RDEC all, agency staff their agencies'."""
    from rdec.core.permissions import scope_to_agencies
    from rdec.participation.permissions import can_manage_consultation

    if not can_manage_consultation(user):
        return _consultations().none()
    return scope_to_agencies(_consultations(), user)


def get_consultation_for_user(user, slug: str):
    from django.http import Http404

    from rdec.participation.permissions import can_view_consultation

    consultation = _consultations().filter(slug=slug).first()
    if consultation is None or not can_view_consultation(user, consultation):
        raise Http404
    return consultation


def consultation_questions(consultation) -> list[tuple[int, str]]:
    """The questions asked, numbered from 1 (one per line of `questions`)."""
    lines = [line.strip() for line in (consultation.questions or "").splitlines()]
    return list(enumerate([line for line in lines if line], start=1))


def comment_numbers(consultation) -> dict[int, int]:
    """Comment id → its public number in the consultation (1, 2, … in the order they were posted)."""
    ids = consultation.comments.order_by("created_at", "id").values_list("id", flat=True)
    return {pk: n for n, pk in enumerate(ids, start=1)}


def comment_threads(consultation, *, reveal_hidden: bool = False) -> list:
    """The top-level comments in order, each with `.number`, `.reply_list` (its replies, numbered);
    a hidden comment keeps its place and number but its text is never read for the page (see the
    template: only the moderation notice)."""
    from rdec.participation.models import Comment

    numbers = comment_numbers(consultation)
    rows = list(
        Comment.objects.filter(consultation=consultation)
        .only("id", "parent_id", "question", "display_name", "body", "created_at", "hidden")
        .order_by("created_at", "id")
    )
    top, replies = [], {}
    for c in rows:
        c.number = numbers[c.pk]
        if c.hidden and not reveal_hidden:  # the moderators' page alone shows it
            c.body = ""
        if c.parent_id is None:
            top.append(c)
        else:
            replies.setdefault(c.parent_id, []).append(c)
    for c in top:
        c.reply_list = replies.get(c.pk, [])
    return top


def visible_comment_count(consultation) -> int:
    return consultation.comments.filter(hidden=False).count()


def moderation_log(consultation) -> list[dict]:
    """The public moderation log: for each hidden comment its number, when it was posted, the name
    it was posted under, the rule applied and when — never the hidden text."""
    from rdec.participation.models import Comment, HidingGround, ModerationEntry

    numbers = comment_numbers(consultation)
    entries = list(
        ModerationEntry.objects.filter(consultation=consultation, target=ModerationEntry.Target.COMMENT)
    )
    comments = Comment.objects.only("id", "created_at", "display_name").in_bulk(
        [e.target_id for e in entries]
    )
    out = []
    for e in entries:
        c = comments.get(e.target_id)
        out.append(
            {
                "number": numbers.get(e.target_id),
                "posted_at": c.created_at if c else None,
                "display_name": c.display_name if c else "",
                "ground": e.ground,
                "ground_label": HidingGround(e.ground).label if e.ground in HidingGround.values else e.ground,
                "at": e.at,
            }
        )
    return out


def report_themes(consultation) -> list:
    """The response report's themes with their linked comments' numbers (`.comment_numbers`)."""
    numbers = comment_numbers(consultation)
    themes = list(consultation.themes.prefetch_related("comments"))
    for t in themes:
        t.comment_numbers = sorted(numbers[c.pk] for c in t.comments.all() if c.pk in numbers)
    return themes


def open_consultation_count(user=None) -> int:
    """Published consultations not yet closed (what is open for a citizen's participation)."""
    from django.utils import timezone

    from rdec.participation.models import Consultation

    # the list filtered by status=open shows exactly these (closing runs before it reads)
    return Consultation.objects.filter(
        status=Consultation.Status.OPEN, closes_on__gte=timezone.localdate()
    ).count()


def consultation_reports_due_count(user) -> int:
    """Closed consultations the user manages whose response report is not yet published."""
    from rdec.participation.models import Consultation

    return consultations_managed_by(user).filter(status=Consultation.Status.CLOSED).count()


def topic_candidates(user, *, today=None) -> dict:
    """Candidate topics for a consultation, from the petitions analytics (through its selectors):
    the rising words of the last 30 days, the hotspots of the last 4 weeks and the quarter's most
    frequent subjects. Each list holds {"text": what fills topic_source, "detail": why}. Analytics
    failing or missing gives empty lists, never an error."""
    import datetime
    import logging

    from django.core.cache import cache
    from django.utils import timezone
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from rdec.core.permissions import check

    today = today or timezone.localdate()
    out: dict = {"rising": [], "hotspots": [], "subjects": []}
    if not check(user, "analytics.view_reports"):
        return out
    key = f"participation:topic-candidates:{today.isoformat()}:{user.pk}:{get_language()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    log = logging.getLogger(__name__)
    try:
        from rdec.analytics import topics

        found = topics.hot_topics(user, start=today - datetime.timedelta(days=29), end=today, sample=3000)
        for t in found["rising"][:8]:
            where = "、".join(name for name, _n in t.where.get("district", [])[:2])
            detail = _("%(count)s cases") % {"count": t.count}
            out["rising"].append(
                {
                    "text": _("Rising word: %(word)s") % {"word": t.word},
                    "detail": f"{detail} ({where})" if where else detail,
                }
            )
    except Exception:  # noqa: BLE001 - candidates are a help, the form works without them
        log.exception("rising words for consultation topics")
    try:
        from rdec.analytics import selectors as analytics

        for h in analytics.hotspots(user, start=today - datetime.timedelta(days=27), end=today, limit=6):
            out["hotspots"].append(
                {
                    "text": _("Hotspot: %(district)s, %(category)s")
                    % {"district": h["district"].name, "category": h["category"].name},
                    "detail": _("%(count)s cases (expected %(expected).1f)")
                    % {"count": h["count"], "expected": h["expected"]},
                }
            )
    except Exception:  # noqa: BLE001
        log.exception("hotspots for consultation topics")
    try:
        from rdec.analytics import report

        period = report.period_of(report.QUARTER, today)
        for r in report.subjects(report.scope_of(), period)[:8]:
            out["subjects"].append(
                {
                    "text": _("Hot issue this quarter: %(subject)s") % {"subject": r["subject"]},
                    "detail": _("%(count)s cases") % {"count": r["current"]},
                }
            )
    except Exception:  # noqa: BLE001
        log.exception("hot issues for consultation topics")
    cache.set(key, out, 600)
    return out


# --- conversations (Pol.is) ----------------------------------------------------------------------


def conversations_list():
    """Every conversation, newest first (public)."""
    from rdec.participation.models import Conversation

    return Conversation.objects.select_related("consultation").order_by("-created_at")


def get_conversation(slug: str):
    from django.shortcuts import get_object_or_404

    from rdec.participation.models import Conversation

    return get_object_or_404(Conversation.objects.select_related("consultation"), slug=slug)


def statement_public_id(statement) -> int:
    """The id a statement is known by outside: Pol.is's comment id for an imported statement
    (`external_id`), else the platform's primary key."""
    return statement.external_id if statement.external_id is not None else statement.pk


def _visible_statements(conversation, keys) -> dict:
    from rdec.participation.models import Statement

    rows = Statement.objects.filter(conversation=conversation, pk__in=set(keys)).exclude(
        moderated=Statement.Moderation.HIDDEN
    )
    return {s.pk: s for s in rows}


def conversation_groups(conversation) -> dict:
    """The groups API's answer: {"groups": [{id, size, participants, representative}], "consensus": [...]}.
    Participants are opaque ids only (Pol.is voter ids for an imported conversation). A statement hidden
    after the last computation is left out."""
    result = conversation.result or {}
    keys = [r["statement"] for g in result.get("groups", []) for r in g.get("representative", [])]
    keys += [c["statement"] for c in result.get("consensus", [])]
    statements = _visible_statements(conversation, keys)
    groups = []
    for group in result.get("groups", []):
        groups.append(
            {
                "id": group["id"],
                "size": group["size"],
                "participants": list(group["participants"]),
                "representative": [
                    {
                        "statement_id": statement_public_id(statements[r["statement"]]),
                        "text": statements[r["statement"]].text,
                        "agree_ratio": r["agree_ratio"],
                        "direction": r["direction"],
                    }
                    for r in group.get("representative", [])
                    if r["statement"] in statements
                ],
            }
        )
    consensus = [
        {
            "statement_id": statement_public_id(statements[c["statement"]]),
            "text": statements[c["statement"]].text,
            "score": c["score"],
        }
        for c in result.get("consensus", [])
        if c["statement"] in statements
    ]
    return {"groups": groups, "consensus": consensus}


GROUP_LETTERS = "ABCDE"
GROUP_SHAPES = ("circle", "square", "triangle", "diamond", "cross")


def conversation_page(conversation, user, *, width: int = 640, height: int = 400, pad: int = 16) -> dict:
    """What the conversation page shows: the opinion map's points scaled to the SVG box, each group
    with a letter and a marker shape (not colour alone), their representative statements with the share
    of the group voting that way, the consensus statements, the statements open for the user's vote
    (with the user's vote), the moderation queue for moderators and the public moderation log."""
    from rdec.core.permissions import check
    from rdec.participation.models import ModerationEntry, Participant, Statement, Vote

    result = conversation.result or {}
    points = result.get("points", [])
    xs = [p[1] for p in points] or [0.0]
    ys = [p[2] for p in points] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def sx(x):
        return round(pad + (x - min(xs)) / span_x * (width - 2 * pad), 1)

    def sy(y):
        return round(height - pad - (y - min(ys)) / span_y * (height - 2 * pad), 1)

    marks = [{"x": sx(p[1]), "y": sy(p[2]), "group": p[3]} for p in points]
    data = conversation_groups(conversation)
    groups = []
    for group, raw in zip(data["groups"], result.get("groups", []), strict=False):
        g = group["id"]
        groups.append(
            {
                **group,
                "letter": GROUP_LETTERS[g % len(GROUP_LETTERS)],
                "shape": GROUP_SHAPES[g % len(GROUP_SHAPES)],
                "index": g % len(GROUP_SHAPES),
                "centre": {"x": sx(raw["centre"][0]), "y": sy(raw["centre"][1])},
                "representative": [
                    {
                        **r,
                        "percent": round(
                            100 * (r["agree_ratio"] if r["direction"] == "agree" else d["disagree_ratio"])
                        ),
                    }
                    for r, d in zip(group["representative"], _kept(raw, conversation), strict=False)
                ],
            }
        )
    unclustered = [m for m in marks if m["group"] is None]
    marker_size = 1.8 if len(marks) <= 200 else 1.3 if len(marks) <= 800 else 1.0
    half = round(5 * marker_size, 1)
    voting, my_votes = [], {}
    can_vote = check(user, "participation.vote_in_conversation", conversation)
    if can_vote:
        participant = Participant.objects.filter(conversation=conversation, user=user).first()
        if participant is not None:
            my_votes = dict(Vote.objects.filter(participant=participant).values_list("statement_id", "value"))
    accepted = list(conversation.statements.filter(moderated=Statement.Moderation.ACCEPTED).order_by("id"))
    for statement in accepted:
        voting.append(
            {
                "statement": statement,
                "public_id": statement_public_id(statement),
                "mine": my_votes.get(statement.pk),
            }
        )
    can_moderate = check(user, "participation.moderate_conversation", conversation)
    queue = (
        list(conversation.statements.filter(moderated=Statement.Moderation.UNMODERATED).order_by("id"))
        if can_moderate
        else []
    )
    log = ModerationEntry.objects.filter(conversation=conversation).order_by("-at", "-id")[:50]
    return {
        "width": width,
        "height": height,
        "marks": marks,
        "unclustered": len(unclustered),
        "marker_defs": _marker_defs(marker_size),
        "swatch_box": f"{-half} {-half} {2 * half} {2 * half}",
        "groups": groups,
        "consensus": data["consensus"],
        "voting": voting,
        "can_vote": can_vote,
        "can_add": check(user, "participation.add_statement", conversation),
        "can_moderate": can_moderate,
        "queue": queue,
        "log": log,
        "figures": {
            "participants": result.get("participants", 0),
            "in_conversation": result.get("in_conversation", 0),
            "statements": result.get("statements", 0),
            "votes": result.get("votes", 0),
        },
    }


def _marker_defs(f: float):
    """The SVG <defs> of the groups' marker shapes (circle, square, triangle, diamond, cross, and a
    hollow circle for participants not grouped), `f` times the base size: bigger when there are few
    points, so they stay visible on a phone."""
    from django.utils.html import format_html

    def n(x):
        return round(x * f, 2)

    return format_html(
        '<circle id="cv-m0" r="{}"/>'
        '<rect id="cv-m1" x="{}" y="{}" width="{}" height="{}"/>'
        '<polygon id="cv-m2" points="0,{} {},{} {},{}"/>'
        '<polygon id="cv-m3" points="0,{} {},0 0,{} {},0"/>'
        '<path id="cv-m4" d="M{},{}H{}V{}H{}V{}H{}V{}H{}V{}H{}V{}H{}Z"/>'
        '<circle id="cv-mx" r="{}"/>',
        n(3.2),
        n(-2.8), n(-2.8), n(5.6), n(5.6),
        n(-3.8), n(3.4), n(2.6), n(-3.4), n(2.6),
        n(-3.8), n(3.8), n(3.8), n(-3.8),
        n(-3.5), n(-1.2), n(-1.2), n(-3.5), n(1.2), n(-1.2), n(3.5), n(1.2), n(1.2), n(3.5), n(-1.2), n(1.2), n(-3.5),
        n(2.4),
    )  # fmt: skip


def _kept(raw_group: dict, conversation) -> list[dict]:
    """The raw representative rows whose statement is still visible (aligned with conversation_groups)."""
    statements = _visible_statements(
        conversation, [r["statement"] for r in raw_group.get("representative", [])]
    )
    return [r for r in raw_group.get("representative", []) if r["statement"] in statements]


# --- statistics (strategy 10-1-1 live sources) -----------------------------------------------------
# Year-to-date counts for the strategy module's live KPI sources (rdec.strategy.live): each takes
# (year, quarter) and covers 1 January to the quarter's last day (Asia/Taipei). Registered in apps.py;
# see docs/participation.md "Statistics (strategy KPI 10-1-1)".


def _ytd(year: int, quarter: int):
    """(first day, last day, aware start, aware end-exclusive) of the year to the quarter's end."""
    import datetime

    from django.utils import timezone

    if not (1 <= quarter <= 4):
        raise ValueError("quarter 1-4")
    first = datetime.date(year, 1, 1)
    last = (
        datetime.date(year, 12, 31)
        if quarter == 4
        else datetime.date(year, quarter * 3 + 1, 1) - datetime.timedelta(days=1)
    )
    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    hi = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return first, last, lo, hi


def consultations_held(year: int, quarter: int) -> int:
    """Consultations (眾開講) opened to the public from 1 January to the quarter's end (drafts never)."""
    from rdec.participation.models import Consultation

    first, last, _lo, _hi = _ytd(year, quarter)
    return (
        Consultation.objects.exclude(status=Consultation.Status.DRAFT)
        .filter(opens_on__gte=first, opens_on__lte=last)
        .count()
    )


def comments_made(year: int, quarter: int) -> int:
    """Comments and replies written in consultations in the period, hidden ones (moderated) left out."""
    from rdec.participation.models import Comment

    _first, _last, lo, hi = _ytd(year, quarter)
    return Comment.objects.filter(created_at__gte=lo, created_at__lt=hi, hidden=False).count()


def participants(year: int, quarter: int) -> int:
    """Distinct accounts that took part in the period: proposed (accepted or not), supported (a support
    voided on review left out), commented, or voted in a conversation. Imported conversations'
    voters (no account on the platform) are not counted."""
    from rdec.participation.models import Comment, Endorsement, Proposal, Vote

    _first, _last, lo, hi = _ytd(year, quarter)
    ids = set(
        Proposal.objects.filter(submitted_at__gte=lo, submitted_at__lt=hi).values_list(
            "proposer_id", flat=True
        )
    )
    ids |= set(
        Endorsement.objects.filter(created_at__gte=lo, created_at__lt=hi)
        .exclude(review=Endorsement.Review.VOIDED)
        .values_list("citizen_id", flat=True)
    )
    ids |= set(
        Comment.objects.filter(created_at__gte=lo, created_at__lt=hi).values_list("author_id", flat=True)
    )
    ids |= set(
        Vote.objects.filter(
            created_at__gte=lo, created_at__lt=hi, participant__user__isnull=False
        ).values_list("participant__user_id", flat=True)
    )
    ids.discard(None)
    return len(ids)


def proposals_submitted(year: int, quarter: int) -> int:
    """Proposals (提點子) submitted in the period, whatever the outcome of checking."""
    from rdec.participation.models import Proposal

    _first, _last, lo, hi = _ytd(year, quarter)
    return Proposal.objects.filter(submitted_at__gte=lo, submitted_at__lt=hi).count()


def proposals_established(year: int, quarter: int) -> int:
    """Proposals that reached the threshold in time (成案) in the period."""
    from rdec.participation.models import Proposal

    _first, _last, lo, hi = _ytd(year, quarter)
    return Proposal.objects.filter(established_at__gte=lo, established_at__lt=hi).count()


def _on_time_rate(counts: dict):
    from decimal import Decimal

    if not counts["done"]:
        return None
    return (Decimal(counts["on_time"]) * 100 / Decimal(counts["done"])).quantize(Decimal("0.01"))


def proposal_responses_on_time_rate(year: int, quarter: int):
    """Of the established proposals responded to in the period, the share (%) responded on or before
    their response due date (an extension announced publicly moves the due date). None when none."""
    from django.db.models import Count, F, Q

    from rdec.participation.models import Proposal

    _first, _last, lo, hi = _ytd(year, quarter)
    counts = Proposal.objects.filter(
        responded_at__gte=lo, responded_at__lt=hi, response_due__isnull=False
    ).aggregate(done=Count("id"), on_time=Count("id", filter=Q(responded_at__date__lte=F("response_due"))))
    return _on_time_rate(counts)


def consultation_reports_on_time_rate(year: int, quarter: int):
    """Of the consultation response reports published in the period, the share (%) published on or
    before the report's due date. None when none was published."""
    from django.db.models import Count, F, Q

    from rdec.participation.models import Consultation

    _first, _last, lo, hi = _ytd(year, quarter)
    counts = Consultation.objects.filter(
        report_published_at__gte=lo, report_published_at__lt=hi, report_due__isnull=False
    ).aggregate(
        done=Count("id"), on_time=Count("id", filter=Q(report_published_at__date__lte=F("report_due")))
    )
    return _on_time_rate(counts)


# --- following (my follows) and the feed of what is open ------------------------------------------------


def follows_of(user) -> list[dict]:
    """What `user` follows, newest first, as title/url/kind/status rows (public targets only)."""
    from django.urls import reverse

    from rdec.participation.models import Follow

    rows = []
    for f in (
        Follow.objects.filter(user=user)
        .select_related("proposal", "consultation")
        .order_by("-created_at", "-id")
    ):
        if f.proposal is not None and f.proposal.is_public:
            p = f.proposal
            rows.append(
                {
                    "title": p.title,
                    "url": reverse("participation:proposal-detail", args=[p.number]),
                    "kind_label": p._meta.verbose_name,
                    "status_label": p.get_status_display(),
                    "created_at": f.created_at,
                }
            )
        elif f.consultation is not None and f.consultation.status != f.consultation.Status.DRAFT:
            c = f.consultation
            rows.append(
                {
                    "title": c.title,
                    "url": reverse("participation:consultation-detail", args=[c.slug]),
                    "kind_label": c._meta.verbose_name,
                    "status_label": c.get_status_display(),
                    "created_at": f.created_at,
                }
            )
    return rows


def open_for_participation(*, limit: int = 100, today=None) -> list[dict]:
    """Proposals open for support (附議, until their last day) and consultations open for comments,
    newest first: the Atom feed's entries. Public fields only (the name the proposer chose, the
    agency); free text masked by the personal-data detector."""
    import datetime

    from django.urls import reverse
    from django.utils import timezone
    from django.utils.text import Truncator

    from rdec.core import pii
    from rdec.participation.models import Consultation, Proposal

    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()

    def at(day):
        return datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=tz) if day else None

    items = []
    for p in Proposal.objects.filter(status=Proposal.Status.ENDORSING, endorse_until__gte=today).order_by(
        "-endorse_from", "-id"
    )[:limit]:
        published = p.checked_at or at(p.endorse_from) or p.submitted_at
        items.append(
            {
                "title": p.title,
                "summary": Truncator(pii.mask_text(p.content)).chars(400),
                "url": reverse("participation:proposal-detail", args=[p.number]),
                "published": published,
                "updated": published,
                "author": p.display_name,
                "kind_label": str(Proposal._meta.verbose_name),
            }
        )
    for c in (
        Consultation.objects.filter(
            status=Consultation.Status.OPEN, opens_on__lte=today, closes_on__gte=today
        )
        .select_related("agency")
        .order_by("-opens_on", "-id")[:limit]
    ):
        items.append(
            {
                "title": c.title,
                "summary": Truncator(pii.mask_text(c.background)).chars(400),
                "url": reverse("participation:consultation-detail", args=[c.slug]),
                "published": at(c.opens_on),
                "updated": at(c.opens_on),
                "author": c.agency.name,
                "kind_label": str(Consultation._meta.verbose_name),
            }
        )
    items.sort(key=lambda i: i["published"], reverse=True)
    return items[:limit]
