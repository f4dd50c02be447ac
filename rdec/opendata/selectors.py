"""Reads of the catalog, scoped to the user: the public sees published datasets; agency staff also
see their own agency's withdrawn ones; RDEC officers all."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rdec.core.models import Agency
from rdec.core.permissions import visible_agency_ids
from rdec.opendata.models import BADGE_ORDER, Badge, Dataset, PortalSync, Resource, Tag
from rdec.opendata.search import filter_datasets


def published_datasets() -> QuerySet[Dataset]:
    return Dataset.objects.filter(state=Dataset.State.ACTIVE)


def datasets_visible_to(user) -> QuerySet[Dataset]:
    qs = Dataset.objects.all()
    ids = visible_agency_ids(user)
    if ids is None:
        return qs
    if not ids:
        return qs.filter(state=Dataset.State.ACTIVE)
    return qs.filter(Q(state=Dataset.State.ACTIVE) | Q(agency_id__in=ids))


def datasets_editable_by(user) -> QuerySet[Dataset]:
    ids = visible_agency_ids(user)
    if ids is None:
        return Dataset.objects.all()
    return Dataset.objects.filter(agency_id__in=ids)


def get_dataset_for_user(user, key: str) -> Dataset:
    """A dataset by name, identifier or id, if the user may see it; otherwise 404."""
    key = str(key or "").strip()
    lookup = Q(name=key) | Q(identifier=key)
    if key.isdigit():
        lookup |= Q(pk=int(key))
    dataset = (
        datasets_visible_to(user).filter(lookup).select_related("agency").prefetch_related("tags").first()
    )
    if dataset is None:
        raise Http404
    return dataset


def get_resource_for_user(user, key: str) -> Resource:
    """A resource by its id or its resourceID (identifier-001)."""
    key = str(key or "").strip()
    datasets = datasets_visible_to(user)
    qs = Resource.objects.filter(dataset__in=datasets, state=Resource.State.ACTIVE).select_related(
        "dataset", "dataset__agency"
    )
    if key.isdigit():
        resource = qs.filter(pk=int(key)).first()
    else:
        identifier, _sep, number = key.rpartition("-")
        resource = (
            qs.filter(dataset__identifier=identifier, number=int(number)).first()
            if identifier and number.isdigit()
            else None
        )
    if resource is None:
        raise Http404
    return resource


def search_datasets(
    user,
    *,
    q: str = "",
    agencies: list[str] | None = None,
    categories: list[str] | None = None,
    formats: list[str] | None = None,
    tags: list[str] | None = None,
    badges: list[str] | None = None,
    frequencies: list[str] | None = None,
) -> QuerySet[Dataset]:
    """Published (and the user's visible) datasets matching a text query and facet filters.
    Agencies are given by code; formats are compared case-insensitively."""
    qs = datasets_visible_to(user).filter(state=Dataset.State.ACTIVE)
    qs = filter_datasets(qs, q)
    if agencies:
        qs = qs.filter(agency__code__in=agencies)
    if categories:
        qs = qs.filter(category__in=categories)
    for fmt in formats or []:
        qs = qs.filter(
            pk__in=Resource.objects.filter(format__iexact=fmt, state=Resource.State.ACTIVE).values(
                "dataset_id"
            )
        )
    for tag in tags or []:
        qs = qs.filter(tags__name=tag)
    if badges:
        qs = qs.filter(quality_badge__in=badges)
    if frequencies:
        qs = qs.filter(update_frequency__in=frequencies)
    return qs


def facets(qs: QuerySet[Dataset]) -> dict[str, list[dict]]:
    """Counts by agency, category, format and tag over a search result."""
    ids = qs.order_by().values("pk")
    by_agency = (
        Dataset.objects.filter(pk__in=ids)
        .values("agency__code", "agency__short_name", "agency__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "agency__code")
    )
    by_category = Dataset.objects.filter(pk__in=ids).values("category").annotate(n=Count("pk")).order_by("-n")
    by_format = (
        Resource.objects.filter(dataset__in=ids, state=Resource.State.ACTIVE)
        .values("format")
        .annotate(n=Count("dataset", distinct=True))
        .order_by("-n", "format")
    )
    by_tag = (
        Tag.objects.filter(datasets__in=ids)
        .annotate(n=Count("datasets"))
        .order_by("-n", "name")
        .values("name", "n")
    )
    by_badge = Dataset.objects.filter(pk__in=ids).values("quality_badge").annotate(n=Count("pk"))
    by_frequency = (
        Dataset.objects.filter(pk__in=ids).values("update_frequency").annotate(n=Count("pk")).order_by("-n")
    )
    badge_labels = dict(Badge.choices)
    labels = dict(Dataset._meta.get_field("category").choices)
    return {
        "organization": [
            {
                "name": a["agency__code"],
                "display_name": a["agency__name"],
                "short": a["agency__short_name"],
                "count": a["n"],
            }
            for a in by_agency
        ],
        "groups": [
            {"name": c["category"], "display_name": labels.get(c["category"], c["category"]), "count": c["n"]}
            for c in by_category
        ],
        "res_format": [
            {"name": f["format"], "display_name": f["format"], "count": f["n"]}
            for f in by_format
            if f["format"]
        ],
        "tags": [{"name": t["name"], "display_name": t["name"], "count": t["n"]} for t in by_tag[:50]],
        "badge": sorted(
            (
                {
                    "name": b["quality_badge"],
                    "display_name": badge_labels.get(b["quality_badge"], ""),
                    "count": b["n"],
                }
                for b in by_badge
            ),
            key=lambda item: BADGE_ORDER.index(item["name"]) * -1,
        ),
        "update_frequency": [
            {"name": f["update_frequency"], "display_name": f["update_frequency"], "count": f["n"]}
            for f in by_frequency
        ],
    }


def agencies_with_datasets() -> QuerySet[Agency]:
    return (
        Agency.objects.filter(datasets__state=Dataset.State.ACTIVE)
        .annotate(package_count=Count("datasets", filter=Q(datasets__state=Dataset.State.ACTIVE)))
        .order_by("sort_order", "code")
    )


def tag_names(query: str = "") -> list[str]:
    qs = Tag.objects.filter(datasets__state=Dataset.State.ACTIVE).distinct()
    if query:
        qs = qs.filter(name__icontains=query)
    return list(qs.order_by("name").values_list("name", flat=True))


# --- numbers for the strategy module's KPI (10-1-3) -----------------------------------------------


def _quarter_end(year: int, quarter: int) -> datetime.date:
    month = quarter * 3
    next_first = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return next_first - datetime.timedelta(days=1)


def datasets_total_at_quarter_end(year: int, quarter: int) -> int:
    """Published datasets whose 上架日期 is on or before the quarter's last day."""
    end = min(_quarter_end(year, quarter), timezone.localdate())
    return published_datasets().filter(published_on__lte=end).count()


def datasets_added_in_year_to_quarter(year: int, quarter: int) -> int:
    """Published datasets with a 上架日期 from 1 January to the quarter's last day."""
    end = _quarter_end(year, quarter)
    return (
        published_datasets()
        .filter(published_on__gte=datetime.date(year, 1, 1), published_on__lte=end)
        .count()
    )


def portal_syncs(user) -> QuerySet[PortalSync]:
    """The national portal copies of the datasets the user may edit, failures first."""
    from django.db.models import Case, IntegerField, Value, When

    order = Case(
        When(status=PortalSync.Status.FAILED, then=Value(0)),
        When(status=PortalSync.Status.PENDING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        PortalSync.objects.filter(dataset__in=datasets_editable_by(user))
        .select_related("dataset", "dataset__agency")
        .annotate(rank=order)
        .order_by("rank", "-last_attempt_at", "pk")
    )


# --- users' voice ------------------------------------------------------------------------------------


def feedback_visible_to(user) -> QuerySet:
    """Approved items for everyone; also one's own, one's agency's (and those under it) and, for
    RDEC officers, all."""
    from rdec.opendata.models import Feedback

    qs = Feedback.objects.select_related("agency", "dataset", "author")
    ids = visible_agency_ids(user)
    if ids is None:
        return qs
    visible = Q(moderation=Feedback.Moderation.APPROVED)
    if getattr(user, "is_authenticated", False):
        visible |= Q(author=user)
    if ids:
        visible |= Q(agency_id__in=ids)
    return qs.filter(visible)


def get_feedback_for_user(user, pk) -> object:
    item = feedback_visible_to(user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def feedback_to_handle(user, *, due: str = "", today: datetime.date | None = None) -> QuerySet:
    """What waits for the user: RDEC, items to review; an agency, its unanswered approved or pending
    items (the deadline runs from submission, so agencies see pending ones too). due "overdue":
    only the unanswered ones past their answer date."""
    from rdec.opendata.models import Feedback

    qs = feedback_visible_to(user).exclude(moderation=Feedback.Moderation.HIDDEN)
    ids = visible_agency_ids(user)
    if ids is None:
        qs = qs.filter(Q(moderation=Feedback.Moderation.PENDING) | Q(answered_at__isnull=True))
    else:
        qs = qs.filter(agency_id__in=ids, answered_at__isnull=True)
    if due == "overdue":
        qs = qs.filter(answered_at__isnull=True, due_on__lt=today or timezone.localdate())
    return qs.order_by("due_on", "pk")


def feedback_to_handle_count(user) -> int:
    """The home page's number for the feedback inbox (every row it lists)."""
    return feedback_to_handle(user).order_by().count()


def feedback_overdue_count(user) -> int:
    """Comments and data requests past their answer date (the inbox with ?due=overdue)."""
    return feedback_to_handle(user, due="overdue").order_by().count()


# --- quality dashboard -------------------------------------------------------------------------------


def quality_dashboard(days: int = 30, today: datetime.date | None = None) -> list[dict]:
    """Per agency with published datasets: today's counts by badge (live), the share of gold, how
    many are overdue for an update (latest snapshot), and the trend of the gold share over the
    last `days` daily snapshots."""
    from rdec.opendata.models import QualitySnapshot

    today = today or timezone.localdate()
    live = (
        published_datasets()
        .values("agency_id", "agency__name", "agency__short_name", "agency__code")
        .annotate(
            gold=Count("pk", filter=Q(quality_badge=Badge.GOLD)),
            silver=Count("pk", filter=Q(quality_badge=Badge.SILVER)),
            bronze=Count("pk", filter=Q(quality_badge=Badge.BRONZE)),
            none=Count("pk", filter=Q(quality_badge=Badge.NONE)),
            total=Count("pk"),
        )
        .order_by("agency__sort_order", "agency__code")
    )
    since = today - datetime.timedelta(days=days)
    trends: dict[int, list] = {}
    for snap in QualitySnapshot.objects.filter(day__gt=since, day__lte=today).order_by("day"):
        trends.setdefault(snap.agency_id, []).append(snap)
    rows = []
    for row in live:
        snaps = trends.get(row["agency_id"], [])
        points = [(s.day, s.gold_pct) for s in snaps if s.gold_pct is not None]
        gold_pct = round(100 * row["gold"] / row["total"], 1) if row["total"] else None
        rows.append(
            {
                "agency": row["agency__short_name"] or row["agency__name"],
                "code": row["agency__code"],
                **{k: row[k] for k in ("gold", "silver", "bronze", "none", "total")},
                "gold_pct": gold_pct,
                "overdue": snaps[-1].overdue if snaps else None,
                "trend": points,
                "change": round(gold_pct - points[0][1], 1) if points and gold_pct is not None else None,
                "sparkline": _sparkline([p for _d, p in points]),
            }
        )
    return rows


def _sparkline(values: list[float], width: int = 120, height: int = 28) -> str:
    """SVG polyline points of a 0-100 series (empty under two points)."""
    if len(values) < 2:
        return ""
    step = width / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - v / 100 * height:.1f}" for i, v in enumerate(values))
