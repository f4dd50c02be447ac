"""Demo content for document timeliness (`rdec demo` calls `seed(stdout, size)`): a year of
document records (about 40,000) of every ranked agency — the 42 of the 機關組 and the 29 district
offices — received over the last twelve months up to today, closed mostly within their limits;
three agencies of the 機關組 (都發局, 地政局, 水利局) and two district offices (大里區公所, 太平區公所)
close 6–9 % late, so they are flagged most months. The last months' documents are partly
still pending. Last month's ranking is left for the RDEC to publish.

Idempotent: does nothing when any document exists. Made, not lived: rows are written through the
importer's writer with their counted figures (rules.count_document), not through the services.
Document numbers are fictional.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from rdec.core.models import Agency
from rdec.documents import importer, rules, selectors
from rdec.documents.models import Document

DEFAULT_DOCUMENTS = 40_000
LATE = {
    "urban-development": 0.08,
    "land": 0.07,
    "water-resources": 0.06,
    "district-office-66000280": 0.09,
    "district-office-66000270": 0.07,
}
# a few busy agencies get more documents
WEIGHT = {
    "construction": 3,
    "education": 3,
    "civil-affairs": 2,
    "urban-development": 2,
    "environment": 2,
    "police": 2,
}
SPEEDS = [
    (Document.Speed.ORDINARY, 70),
    (Document.Speed.URGENT, 15),
    (Document.Speed.MOST_URGENT, 5),
    (Document.Speed.TIME_LIMITED, 10),
]
CLASSES = [
    (Document.DocClass.GENERAL, 74),
    (Document.DocClass.COUNTERSIGN, 13),
    (Document.DocClass.APPLICATION, 10),
    (Document.DocClass.APPEAL, 3),
]
UNITS = ["綜合企劃科", "行政科", "業務一科", "業務二科", "秘書室", "會計室", "人事室"]


def seed(stdout=None, size: int | None = None) -> None:
    if Document.objects.exists():
        return
    agencies = list(Agency.objects.filter(evaluation_group__in=selectors.GROUPS))
    if not agencies:
        return
    total = max(min(size or DEFAULT_DOCUMENTS, DEFAULT_DOCUMENTS), 3_000)
    rng = random.Random(66000)  # noqa: S311 - demo data
    index = rules.WorkingDayIndex()
    book = rules.RuleBook()
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    working = [
        datetime.date.fromordinal(o) for o in index.working if start.toordinal() <= o <= today.toordinal()
    ]
    if not working:
        return
    weights = [WEIGHT.get(a.code, 1) for a in agencies]
    per_weight = total / sum(weights)
    speeds, speed_w = zip(*SPEEDS, strict=True)
    classes, class_w = zip(*CLASSES, strict=True)
    roc = today.year - 1911
    rows = []
    for agency, weight in zip(agencies, weights, strict=True):
        late_p = LATE.get(agency.code, rng.uniform(0.0005, 0.004))
        for n in range(1, round(per_weight * weight) + 1):
            received = rng.choice(working)
            speed = rng.choices(speeds, speed_w)[0]
            doc_class = rng.choices(classes, class_w)[0]
            rule = book.on(received)
            deadline = None
            late = rng.random() < late_p
            if speed == Document.Speed.TIME_LIMITED:
                deadline = received + datetime.timedelta(days=rng.randint(5, 20))
                span = (deadline - received).days
                calendar_days = span + rng.randint(1, 8) if late else rng.randint(0, span)
                closed = received + datetime.timedelta(days=calendar_days)
                while not index.covers(closed) or not _working(index, closed):
                    closed += datetime.timedelta(days=1)
            else:
                limit = rule.limit_days(speed)
                days = limit + rng.randint(1, 6) if late else rng.choice([0, *range(1, limit + 1)])
                closed = index.add(received, days) if days else received
            if closed is None or closed > today or rng.random() < 0.004:
                closed = None  # still pending
            extension = rng.choice([3, 5, 10]) if late and rng.random() < 0.3 else 0
            counted = rules.count_document(
                rule, index, speed=speed, received_on=received, closed_on=closed,
                deadline_on=deadline, extension_days=extension,
            )  # fmt: skip
            rows.append(
                (
                    agency.pk, f"{roc}{agency.sort_order:04d}{n:05d}", rng.choice(UNITS), doc_class, speed,
                    received, deadline, closed, extension, "", counted.due_on, counted.days_used,
                    counted.counted_days, counted.is_overdue,
                )
            )  # fmt: skip
    with transaction.atomic():
        importer.write_rows(rows, None)
    if stdout is not None:
        stdout.write(f"documents: {len(rows)} document records of {len(agencies)} agencies")


def _working(index: rules.WorkingDayIndex, day: datetime.date) -> bool:
    ordinal = day.toordinal()
    previous = index.by_ordinal.get(ordinal - 1, 0)
    return index.by_ordinal[ordinal] > previous
