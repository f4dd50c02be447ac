"""Reads of petitions, scoped to the user."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from rdec.core.models import District, Role
from rdec.core.permissions import is_oversight, require, visible_agency_ids
from rdec.petitions.models import Article, Case, Category


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(active=True).select_related("parent", "default_agency")


def leaf_categories() -> QuerySet[Category]:
    return categories_active().filter(parent__isnull=False)


def leaf_category(code: str) -> Category | None:
    """The active leaf with this code, from a per-process table (intake asks for it on every case);
    a change of the categories is seen within a minute."""
    import time

    now = time.monotonic()
    if now - _leaf_table["at"] > 60:
        _leaf_table.update(at=now, rows={c.code: c for c in leaf_categories()})
    return _leaf_table["rows"].get(code)


_leaf_table: dict = {"at": -1e9, "rows": {}}


def category_vocabulary() -> tuple[dict[int, list[str]], dict[int, int]]:
    """The router's prior, from the service catalogue: ({category id: terms}, {category id: agency id})
    for every active leaf. The terms are the leaf's name, then its everyday vocabulary (as loaded by
    `rdec load_catalogue`; a leaf loaded from the older JSON file has its name only); a leaf
    without a default agency is left out of the second mapping."""
    terms: dict[int, list[str]] = {}
    agency: dict[int, int] = {}
    for pk, name, vocabulary, agency_id in leaf_categories().values_list(
        "pk", "name", "vocabulary", "default_agency_id"
    ):
        terms[pk] = [name, *(t for t in (vocabulary or []) if t != name)]
        if agency_id:
            agency[pk] = agency_id
    return terms, agency


def forget_categories(**_kwargs) -> None:
    """Drop the per-process table (a category was saved in this process)."""
    _leaf_table["at"] = -1e9


def submissions_visible_to(user) -> QuerySet:
    """Queued submissions: one's own; RDEC officers and administrators all."""
    from rdec.petitions.models import Submission

    if is_oversight(user):
        return Submission.objects.all()
    return Submission.objects.filter(actor_id=user.pk) if user.is_authenticated else Submission.objects.none()


def cases_visible_to(user) -> QuerySet[Case]:
    """Oversight: every case; agency staff: their agency's (and co-agency) cases; a call agent:
    every case (to answer callers); a citizen: their own; anyone else: none."""
    qs = Case.objects.select_related("category", "category__parent", "agency", "district", "handler").defer(
        "district__geometry"
    )
    if is_oversight(user):
        return qs
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.role == Role.CALL_AGENT:
        return qs
    if user.role == Role.CITIZEN:
        return qs.filter(citizen=user)
    ids = visible_agency_ids(user)
    if not ids:
        return qs.none()
    # Co-agency cases are few: fetch their ids first, so that the usual case (none) is a plain
    # agency filter that the open-cases index answers in due-date order.
    co_cases = list(
        Case.co_agencies.through.objects.filter(agency_id__in=ids).values_list("case_id", flat=True)[:5000]
    )
    condition = Q(agency__in=ids)
    if co_cases:
        condition |= Q(pk__in=co_cases)
    return qs.filter(condition)


def inbox_for(
    user,
    *,
    status=None,
    category=None,
    district=None,
    due=None,
    handler=None,
    awaiting=None,
    q=None,
    routing=None,
) -> QuerySet[Case]:
    """awaiting "reply": cases of the user's agencies with a reply awaiting approval; "extension":
    with an extension request awaiting a decision (a supervisor's reviews; co-agency cases are the
    main agency's to decide). routing "manual": the RDEC's 分案 queue — cases the router was unsure
    of when filed (event `routing_manual`) that no one has assigned or transferred since."""
    require(user, "petitions.view_inbox")
    qs = cases_visible_to(user)
    if routing == "manual":
        from django.db.models import Exists, OuterRef

        from rdec.petitions.models import CaseEvent

        unsure = CaseEvent.objects.filter(case=OuterRef("pk"), verb="routing_manual")
        moved = CaseEvent.objects.filter(
            case=OuterRef("pk"), verb__in=("assigned", "transferred"), at__gt=OuterRef("received_at")
        )
        qs = qs.filter(Exists(unsure)).exclude(Exists(moved))
    if awaiting in ("reply", "extension"):
        from django.db.models import Exists, OuterRef

        from rdec.petitions.models import Extension, Reply

        if awaiting == "reply":
            pending = Reply.objects.filter(case=OuterRef("pk"), status=Reply.Status.SUBMITTED)
        else:
            pending = Extension.objects.filter(case=OuterRef("pk"), status=Extension.Status.PENDING)
        qs = qs.filter(Exists(pending))
        ids = visible_agency_ids(user)
        if ids is not None:
            qs = qs.filter(agency__in=ids)
    if status == "open" or status is None:
        qs = qs.filter(status__in=Case.OPEN_STATUSES)
    elif status != "all":
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(Q(category__code=category) | Q(category__parent__code=category))
    if district:
        qs = qs.filter(district__code=district)
    if handler == "me":
        qs = qs.filter(handler=user)
    elif handler == "none":
        qs = qs.filter(handler__isnull=True)
    if due:
        from django.utils import timezone

        today = timezone.localdate()
        if due == "overdue":
            qs = qs.filter(due_date__lt=today)
        elif due == "today":
            qs = qs.filter(due_date=today)
        elif due == "soon":
            from rdec.petitions.deadlines import due_soon_until

            qs = qs.filter(due_date__gte=today, due_date__lte=due_soon_until(today))
    if q:
        from rdec.petitions.search import filter_cases

        # Text matches can be many thousands of rows: sort them narrow, then fetch the related rows
        # of the one page shown (joining first would join every match).
        return (
            filter_cases(qs, q, agency_ids=visible_agency_ids(user) if user.role != Role.CALL_AGENT else None)
            .select_related(None)
            .defer(None)
            .prefetch_related(
                "category__parent",
                "agency",
                "handler",
                Prefetch("district", District.objects.defer("geometry")),
            )
            .order_by("-received_at", "-id")
        )
    return qs.order_by("due_date", "id")


def case_text_for_user(user, case: Case, text: str) -> str:
    """Free text of `case` (its subject, a reply, a note) as `user` may see it: in clear for the
    case's handlers, through the core personal-data detector for everyone else."""
    from rdec.petitions.privacy import text_view

    return text_view(text, case, user)


def get_case_for_user(user, number: str) -> Case:
    case = cases_visible_to(user).filter(number=number).first()
    if case is None:
        raise Http404
    return case


def cases_by_phone(user, phone: str) -> QuerySet[Case]:
    """A caller's earlier cases, for the 1999 console."""
    require(user, "petitions.use_console")
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 6:
        return Case.objects.none()
    return (
        Case.objects.filter(petitioner_phone=digits)
        .select_related("category", "agency")
        .order_by("-received_at")
    )


def articles_search(user, query: str, *, limit: int = 20) -> list[Article]:
    """Knowledge-base search: finds the query (and each of its words) inside questions, answers and
    tags — two-character Chinese words inside longer text too — ranked by where and how often it
    occurs; only articles valid today."""
    from django.utils import timezone

    require(user, "petitions.view_kb")
    terms = [t for t in query.split() if t]
    if not terms:
        return []
    today = timezone.localdate()
    cond = Q()
    for term in terms:
        cond &= Q(question__icontains=term) | Q(answer__icontains=term) | Q(tags__icontains=term)
    candidates = (
        Article.objects.filter(cond, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("agency")[:500]
    )

    def score(article: Article) -> float:
        total = 0.0
        for term in terms:
            total += (
                5 * article.question.count(term) + 3 * article.tags.count(term) + article.answer.count(term)
            )
            if article.question.startswith(term):
                total += 2
        return total / (1 + len(article.question) / 40)

    return sorted(candidates, key=lambda a: (-score(a), a.question))[:limit]


def articles_due_for_review(user) -> QuerySet[Article]:
    from django.utils import timezone

    require(user, "petitions.view_kb")
    return (
        Article.objects.filter(review_due__lt=timezone.localdate())
        .select_related("agency")
        .order_by("review_due")
    )


# --- for the pages ----------------------------------------------------------------------------------


def case_for_tracking(number: str, code: str) -> Case | None:
    """The case with this number when the verification code matches; None otherwise (the same
    answer whether the number exists or not, and about the same time)."""
    from rdec.petitions.tracking import check_tracking_code, hash_code

    case = (
        Case.objects.select_related("agency", "category", "category__parent", "merged_into")
        .filter(number=(number or "").strip())
        .first()
    )
    if case is None:
        hash_code("0", code or "")
        return None
    return case if check_tracking_code(case, code or "") else None


def case_for_tracking_token(token: str) -> Case | None:
    from rdec.petitions.tracking import case_from_tracking_token

    return case_from_tracking_token(token)


def public_case_view(case: Case) -> dict:
    """What the petitioner (or anyone holding the link) may see: no internal notes, no personal data."""
    from rdec.petitions.models import CaseEvent, Reply

    main = case.merged_into if case.merged_into_id else case
    reply = (
        Reply.objects.filter(case=main, status=Reply.Status.APPROVED).order_by("-approved_at", "-id").first()
    )
    events = list(
        CaseEvent.objects.filter(case=case, public=True)
        .select_related("agency", "to_agency")
        .order_by("at", "id")
    )
    return {"case": case, "main": main, "reply": reply, "events": events}


def handlers_for_agency(agency_id: int):
    """Staff and supervisors of one agency: the people a case can be given to (改分)."""
    from rdec.core.models import User

    return User.objects.filter(
        agency_id=agency_id, role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR], is_active=True
    ).order_by("role", "display_name", "username")


def case_page_data(case: Case) -> dict:
    """History, replies, extensions and attachments of one case (already checked visible)."""
    from rdec.petitions.models import AgencyTenure, Attachment, CaseEvent, Extension, Reply

    return {
        "events": list(
            CaseEvent.objects.filter(case=case)
            .select_related("actor", "agency", "to_agency")
            .order_by("at", "id")
        ),
        "tenures": list(AgencyTenure.objects.filter(case=case).select_related("agency")),
        "replies": list(Reply.objects.filter(case=case).select_related("author", "approved_by")),
        "extensions": list(
            Extension.objects.filter(case=case)
            .select_related("requested_by", "decided_by")
            .order_by("requested_at")
        ),
        "attachments": list(Attachment.objects.filter(case=case).order_by("created_at", "id")),
        "merged_cases": list(Case.objects.filter(merged_into=case).only("id", "number", "subject", "status")),
        "reply_templates": list(case.category.reply_templates.all()),
    }


def get_article_for_user(user, pk: int) -> Article:
    require(user, "petitions.view_kb")
    article = Article.objects.select_related("agency").filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def duty_contacts_visible_to(user):
    from rdec.petitions.models import DutyContact

    require(user, "petitions.view_kb")
    return (
        DutyContact.objects.filter(active=True)
        .select_related("agency")
        .order_by("agency__sort_order", "agency__code", "-primary", "name")
    )


def duty_contact_for(agency_id: int):
    from rdec.petitions.models import DutyContact

    return DutyContact.objects.filter(agency_id=agency_id, active=True).order_by("-primary", "name").first()


def cases_public() -> QuerySet[Case]:
    """Every case, for public outputs that show no personal data (Open311 GeoReport v2): callers
    must mask or leave out the petitioner's fields themselves."""
    return Case.objects.select_related(
        "category", "category__parent", "agency", "merged_into", "district", "village"
    ).defer("district__geometry", "village__geometry")


def case_for_idempotency_key(key: str) -> Case | None:
    """The case a submission with this idempotency key created, if any."""
    from rdec.petitions.models import IdempotencyKey

    found = IdempotencyKey.objects.select_related("case").filter(key=key).first()
    return found.case if found else None


def case_texts_for_training(*, limit: int | None = None) -> list[tuple[str, str, str, str, str]]:
    """(subject, description, category code, answering agency code, district name) of replied and
    closed cases, newest first: what the case router (analytics) learns from. No petitioner
    fields; a system read for the training job."""
    qs = (
        Case.objects.filter(
            status__in=(Case.Status.REPLIED, Case.Status.CLOSED), category__parent__isnull=False
        )
        .order_by("-received_at")
        .values_list("subject", "description", "category__code", "agency__code", "district__name")
    )
    return [
        (s, d, c, a, n or "") for s, d, c, a, n in (qs[:limit] if limit else qs).iterator(chunk_size=5000)
    ]


# --- counts for the home page's work queue (rdec.core.worklist) ---------------------------------------


def overdue_count(user) -> int:
    """Open cases past their due date, as the inbox lists them with ?due=overdue."""
    return inbox_for(user, due="overdue").order_by().count()


def due_soon_count(user) -> int:
    """Open cases due today or within the reminder window (?due=soon)."""
    return inbox_for(user, due="soon").order_by().count()


def replies_awaiting_approval_count(user) -> int:
    """Open cases with a reply waiting for the supervisor's approval (?awaiting=reply)."""
    return inbox_for(user, awaiting="reply").order_by().count()


def extensions_awaiting_decision_count(user) -> int:
    """Open cases with an extension request (展期) waiting for a decision (?awaiting=extension)."""
    return inbox_for(user, awaiting="extension").order_by().count()


def unassigned_count(user) -> int:
    """Open cases of the user's agency not yet given to a handler (?handler=none)."""
    return inbox_for(user, handler="none").order_by().count()


def articles_due_for_review_count(user) -> int:
    return articles_due_for_review(user).count()
