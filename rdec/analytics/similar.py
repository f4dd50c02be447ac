"""Duplicate candidates (併案): cases of the same issue as a given case — same category group, filed
within a few weeks of it, nearby (or in the same district when a point is missing), with similar
text. Each candidate gets a similarity from 0 to 1:

    similarity = 0.6 × text + 0.4 × place

text: cosine of the subject and description in the case router's text representation (its fitted
character 1–3-gram TF-IDF, `routing.Router.vectors`: the same understanding the route and
knowledge-base suggestions use; n-grams the router never saw do not count);
place: 1 at the same point, falling linearly to 0 at RADIUS_M (0.5 when only the district is known
to be the same). Candidates below MIN_SIMILARITY are left out.
"""

from __future__ import annotations

import datetime
import math

WINDOW_DAYS = 30
RADIUS_M = 500.0
MIN_SIMILARITY = 0.35
MAX_CANDIDATES = 400


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def candidates_for(case, qs):
    """Narrow `qs` (cases the user may see) to the plausible duplicates of `case`."""
    from django.db.models import Q

    start = case.received_at - datetime.timedelta(days=WINDOW_DAYS)
    end = case.received_at + datetime.timedelta(days=WINDOW_DAYS)
    parent = case.category.parent_id or case.category_id
    qs = qs.filter(received_at__range=(start, end)).exclude(pk=case.pk).exclude(status="merged")
    qs = qs.filter(Q(category_id=case.category_id) | Q(category__parent_id=parent))
    if case.lat is not None and case.lon is not None:
        dlat = RADIUS_M / 111_320
        dlon = RADIUS_M / (111_320 * math.cos(math.radians(case.lat)))
        near = Q(lat__range=(case.lat - dlat, case.lat + dlat), lon__range=(case.lon - dlon, case.lon + dlon))
        if case.district_id:
            near |= Q(lat__isnull=True, district_id=case.district_id)
        qs = qs.filter(near)
    elif case.district_id:
        qs = qs.filter(district_id=case.district_id)
    return qs.order_by("-received_at")[:MAX_CANDIDATES]


def rank(case, candidates, limit: int = 5) -> list[tuple[object, float, float | None]]:
    """(candidate, similarity, distance in metres or None), most similar first."""
    from rdec.analytics.selectors import active_router

    candidates = list(candidates)
    if not candidates:
        return []
    texts = [f"{c.subject} {c.description}" for c in [case, *candidates]]
    matrix = active_router().vectors(texts)  # L2-normalised rows: the dot product is the cosine
    text_scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    ranked = []
    for other, text_score in zip(candidates, text_scores, strict=True):
        distance = None
        if None not in (case.lat, case.lon, other.lat, other.lon):
            distance = distance_m(case.lat, case.lon, other.lat, other.lon)
            place = max(0.0, 1 - distance / RADIUS_M)
        else:
            place = 0.5 if case.district_id and case.district_id == other.district_id else 0.0
        score = round(0.6 * float(text_score) + 0.4 * place, 3)
        if score >= MIN_SIMILARITY:
            ranked.append((other, score, distance))
    ranked.sort(key=lambda item: -item[1])
    return ranked[:limit]
