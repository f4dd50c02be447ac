"""The nightly quality run over the whole catalog, and the daily snapshot of badges by agency.

- Linked resources are fetched by a pool of `RDEC_OPENDATA_CHECK_CONCURRENCY` threads (default 4);
  at most that many fetches are under way, and at most `concurrency * 4` results wait for the
  database. The threads only fetch (network, temporary files); every check is evaluated and written
  by the calling thread, so no database connection is shared or opened by the pool.
- Per-host politeness: one request at a time to a host, and `RDEC_OPENDATA_HOST_DELAY` seconds
  (default 1) between the end of one request and the start of the next to the same host.
- Which hosts may be fetched: `RDEC_OPENDATA_FETCH_HOSTS` and `RDEC_OPENDATA_FETCH_PRIVATE`
  (fetch.py; private and loopback addresses are refused unless the latter is true — the demo and
  the tests, which serve their own files).
- Uploaded files are read from storage by the calling thread.
- Agencies whose datasets got a lower badge are told once per run (one e-mail per agency).
"""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from rdec.opendata import fetch, services
from rdec.opendata.models import BADGE_ORDER, Badge, Dataset, QualitySnapshot, Resource
from rdec.opendata.timeliness import update_status


class Politeness:
    """One request at a time per host, `delay` seconds apart (end of one to start of the next)."""

    def __init__(self, delay: float):
        self.delay = delay
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}

    def _lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def fetch(self, url: str) -> fetch.Fetched:
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        with self._lock(host):
            wait_for = self._last.get(host, 0.0) + self.delay - time.monotonic()
            if wait_for > 0:
                time.sleep(wait_for)
            try:
                return fetch.fetch(url)
            finally:
                self._last[host] = time.monotonic()


@dataclass
class RunResult:
    checked: int = 0
    badges: dict[str, int] = field(default_factory=dict)
    lowered: dict[int, list[tuple[Dataset, str, str]]] = field(default_factory=dict)  # agency -> items
    seconds: float = 0.0
    notified: int = 0


def _setting(name: str, default):
    return getattr(settings, name, default)


def resources_to_check(dataset: Dataset | None = None):
    qs = Resource.objects.filter(
        state=Resource.State.ACTIVE, dataset__state=Dataset.State.ACTIVE
    ).select_related("dataset", "dataset__agency")
    if dataset is not None:
        qs = qs.filter(dataset=dataset)
    return qs.order_by("pk")


def run(
    resources: Iterable[Resource] | None = None,
    *,
    concurrency: int | None = None,
    delay: float | None = None,
    notify: bool = True,
) -> RunResult:
    """Check every resource (default: every published one) and keep the results."""
    started = time.monotonic()
    concurrency = max(1, int(concurrency or _setting("RDEC_OPENDATA_CHECK_CONCURRENCY", 4)))
    polite = Politeness(float(_setting("RDEC_OPENDATA_HOST_DELAY", 1.0) if delay is None else delay))
    resources = resources_to_check() if resources is None else resources
    result = RunResult()
    before: dict[int, str] = {}

    def done(resource: Resource, fetched=None) -> None:
        check = services.check_resource_quality(resource, actor=None, fetched=fetched)
        result.checked += 1
        result.badges[check.badge] = result.badges.get(check.badge, 0) + 1
        before.setdefault(resource.dataset_id, check.dataset_badge_before)

    pending: dict[Future, Resource] = {}
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="opendata-check") as pool:

        def drain(limit: int) -> None:
            while len(pending) > limit:
                finished, _rest = wait(list(pending), return_when=FIRST_COMPLETED)
                for future in finished:
                    done(pending.pop(future), future.result())

        for resource in resources.iterator(chunk_size=500) if hasattr(resources, "iterator") else resources:
            if resource.file:
                done(resource)
            else:
                pending[pool.submit(polite.fetch, resource.url)] = resource
                drain(concurrency * 4)
        drain(0)
    # Datasets whose badge went down since the run started, by agency.
    after = dict(Dataset.objects.filter(pk__in=before).values_list("pk", "quality_badge"))
    lowered_ids = [
        pk for pk, old in before.items() if BADGE_ORDER.index(after.get(pk, old)) < BADGE_ORDER.index(old)
    ]
    for dataset in Dataset.objects.filter(pk__in=lowered_ids).select_related("agency").order_by("identifier"):
        result.lowered.setdefault(dataset.agency_id, []).append(
            (dataset, before[dataset.pk], after[dataset.pk])
        )
    if notify:
        result.notified = notify_lower_badges(result.lowered)
    result.seconds = time.monotonic() - started
    return result


def notify_lower_badges(lowered: dict[int, list[tuple[Dataset, str, str]]]) -> int:
    """One e-mail per agency listing its datasets whose badge went down, with the failing criteria's
    messages, to its staff and supervisors. Returns the number of agencies told."""
    from django.core.mail import send_mail
    from django.utils.translation import gettext as _

    from rdec.core.models import Role, User

    if not lowered:
        return 0
    labels = dict(Badge.choices)
    people: dict[int, list[str]] = defaultdict(list)
    for user in User.objects.filter(
        agency_id__in=lowered, role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR], is_active=True
    ).exclude(email=""):
        people[user.agency_id].append(user.email)
    told = 0
    for agency_id, items in lowered.items():
        if not people.get(agency_id):
            continue
        lines = []
        for dataset, old, new in items:
            lines.append(
                f"- {dataset.identifier} {dataset.title}：{labels.get(old, old)} → {labels.get(new, new)} "
                f"{settings.SITE_URL}/opendata/datasets/{dataset.name}/"
            )
            for resource in dataset.resources.filter(state=Resource.State.ACTIVE):
                latest = resource.quality_checks.order_by("-checked_at", "-id").first()
                for message in (latest.messages if latest else [])[:3]:
                    if message.get("indicator"):
                        lines.append(f"    {resource.resource_id}：{message.get('message', '')}")
        subject = _("Open data: the quality badge of %(count)s datasets went down") % {"count": len(items)}
        send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, people[agency_id])
        told += 1
    return told


def take_snapshot(day=None) -> int:
    """Store each agency's published datasets by badge (and how many are overdue for an update) for
    `day` (default today); a second run on the same day replaces it. Returns the number of agencies."""
    day = day or timezone.localdate()
    counts = (
        Dataset.objects.filter(state=Dataset.State.ACTIVE)
        .values("agency_id")
        .annotate(
            gold=Count("pk", filter=Q(quality_badge=Badge.GOLD)),
            silver=Count("pk", filter=Q(quality_badge=Badge.SILVER)),
            bronze=Count("pk", filter=Q(quality_badge=Badge.BRONZE)),
            none=Count("pk", filter=Q(quality_badge=Badge.NONE)),
        )
    )
    overdue: dict[int, int] = defaultdict(int)
    now = timezone.now()
    datasets = Dataset.objects.filter(state=Dataset.State.ACTIVE).exclude(update_frequency="不定期")
    for dataset in datasets.only("pk", "agency_id", "update_frequency", "metadata_modified").prefetch_related(
        "resources"
    ):
        if update_status(dataset, list(dataset.resources.all()), now=now).overdue:
            overdue[dataset.agency_id] += 1
    made = 0
    for row in counts:
        QualitySnapshot.objects.update_or_create(
            agency_id=row["agency_id"],
            day=day,
            defaults={k: row[k] for k in ("gold", "silver", "bronze", "none")}
            | {"overdue": overdue[row["agency_id"]]},
        )
        made += 1
    return made
