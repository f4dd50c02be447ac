"""Reads of the analytics, scoped to the user: route suggestions."""

from __future__ import annotations

from rdec.analytics.models import RouterModel
from rdec.core import dates, geo
from rdec.core.permissions import check, require

_loaded: dict = {"id": None, "router": None}


def active_router():
    """The router in use, loaded once per process (and again when a newer one is trained). Before
    any training, a router fitted on the categories' everyday vocabulary alone (a few seconds, once
    per process), so a new installation routes from the first case."""
    import joblib

    model = RouterModel.objects.filter(active=True).order_by("-trained_at").only("id", "path").first()
    key = model.pk if model is not None else "vocabulary"
    if _loaded["id"] != key:
        if model is not None:
            router = joblib.load(model.path)
        else:
            from rdec.analytics import routing
            from rdec.petitions import selectors as petitions

            agency_of = {
                c.code: c.default_agency.code for c in petitions.leaf_categories() if c.default_agency_id
            }
            router, _metrics = routing.train([], [], [], agency_of, holdout=0)
        _loaded.update(id=key, router=router)
    return _loaded["router"]


def route_suggestions(user, *, text: str, lat: float | None = None, lon: float | None = None, top: int = 3):
    """The likeliest agencies for a petition's text, best first: [{"agency", "category", "score"}]
    with Agency and Category rows. The point, when given, adds its district to the text."""
    require(user, "analytics.route")
    from rdec.core.models import Agency
    from rdec.petitions import selectors as petitions

    router = active_router()
    district = ""
    if lat is not None and lon is not None:
        place = geo.resolve(lat, lon)
        district = place.district_name if place else ""
    from rdec.analytics.routing import text_of

    found = router.suggest(text_of(text, "", district), top=top)
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[s.agency for s in found])}
    categories = {c.code: c for c in petitions.leaf_categories().filter(code__in=[s.category for s in found])}
    return [
        {
            "agency": agencies[s.agency],
            # None: the agency is known from broad texts (FAQ) but none of its categories fits
            "category": categories.get(s.category),
            "score": s.score,
            "confidence": s.confidence,
        }
        for s in found
        if s.agency in agencies
    ]


_kb: dict = {"key": None, "index": None}


def _kb_index():
    """The knowledge-base articles valid today, vectorised by the router in use: kept per process and
    rebuilt when the router, the articles (their number or latest change) or the day change."""
    from django.db.models import Count, Max, Q
    from django.utils import timezone

    from rdec.analytics import knowledge
    from rdec.petitions.models import Article

    router = active_router()
    today = timezone.localdate()
    valid = Article.objects.filter(valid_from__lte=today).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    state = Article.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    key = (id(router), today, state["n"], state["changed"])
    if _kb["key"] != key:
        rows = list(valid.order_by("pk").values_list("pk", "question", "tags", "answer"))
        _kb.update(key=key, index=knowledge.Index(router, rows))
    return _kb["index"]


def kb_suggestions(user, *, text: str, top: int = 3) -> list[dict]:
    """The knowledge-base articles that answer a caller's question, best first, read with the
    router's text understanding (rdec.analytics.knowledge): [{"article", "score"}] with Article
    rows, at most `top`, none below knowledge.MIN_SCORE. Empty for a user who may not read the
    knowledge base."""
    require(user, "analytics.route")
    if not check(user, "petitions.view_kb"):
        return []
    from rdec.petitions.models import Article

    hits = _kb_index().suggest(text, top=top)
    articles = Article.objects.select_related("agency").in_bulk([h.article for h in hits])
    return [{"article": articles[h.article], "score": h.score} for h in hits if h.article in articles]


def routes_alone(suggestions: list[dict], day=None) -> bool:
    """Whether the first suggestion is sure enough to route alone under the routing rule in force
    (rdec.analytics.rules); otherwise the console and the case pages show 「建議人工分案」."""
    from django.utils import timezone

    from rdec.analytics.rules import routes_alone as sure

    if not suggestions:
        return False
    return sure(suggestions[0]["confidence"], day or timezone.localdate())


def similar_cases(user, case, *, limit: int = 5) -> list[dict]:
    """Duplicate candidates of `case` among the cases the user may see, most similar first:
    [{"case", "similarity", "distance_m"}] (see rdec.analytics.similar)."""
    require(user, "analytics.find_similar", case)
    from rdec.analytics import similar
    from rdec.petitions import selectors as petitions

    found = similar.rank(case, similar.candidates_for(case, petitions.cases_visible_to(user)), limit=limit)
    return [
        {
            "case": c,
            "subject": petitions.case_text_for_user(user, c, c.subject),
            "similarity": score,
            "distance_m": d,
        }
        for c, score, d in found
    ]


def hotspots(
    user, *, start, end, district: str = "", category: str = "", level: str = "district", limit: int = 200
) -> list[dict]:
    """District (or, with level="village", village) × category × week cells with significantly more
    cases than expected (see rdec.analytics.hotspots), highest score first, among the cases the user
    may see: [{"district", "village" (None at district level), "category", "period_start", "count",
    "expected", "score"}]."""
    require(user, "analytics.view_hotspots")

    from django.db.models import Count, DateField, Min, Q
    from django.db.models.functions import TruncWeek
    from django.utils import timezone

    from rdec.analytics import hotspots as method
    from rdec.core.models import District, Village
    from rdec.petitions import selectors as petitions
    from rdec.petitions.models import Case, Category

    by_village = level == "village"
    place = "village_id" if by_village else "district_id"
    since, until = dates.days_span(method.history_start(start), end)
    qs = petitions.cases_visible_to(user).filter(
        received_at__gte=since, received_at__lt=until, **{f"{place}__isnull": False}
    )
    if district:
        qs = qs.filter(district__code=district)
    if category:
        qs = qs.filter(Q(category__code=category) | Q(category__parent__code=category))
    rows = (
        qs.order_by()
        .annotate(week=TruncWeek("received_at", output_field=DateField()))
        .values_list(place, "category_id", "week")
        .annotate(n=Count("id"))
    )
    first = Case.objects.aggregate(first=Min("received_at"))["first"]
    data_since = timezone.localdate(first) if first else start
    found = method.score(method.weekly_counts(rows), start, end, data_since)[:limit]
    # the scoring names its cells by district; at village level the "district" is the village
    villages = (
        Village.objects.defer("geometry").select_related("district").in_bulk({h.district_id for h in found})
        if by_village
        else {}
    )
    districts = (
        {v.pk: v.district for v in villages.values()}
        if by_village
        else District.objects.defer("geometry").in_bulk({h.district_id for h in found})
    )
    categories = Category.objects.in_bulk({h.category_id for h in found})
    return [
        {
            "district": districts[h.district_id],
            "village": villages.get(h.district_id),
            "category": categories[h.category_id],
            "period_start": h.period_start,
            "count": h.count,
            "expected": h.expected,
            "score": h.score,
        }
        for h in found
    ]


def point_clusters(
    user, *, start, end, district: str = "", category: str = "", limit: int = 100, max_points: int = 200_000
) -> list[dict]:
    """Places reported again and again (rdec.analytics.clusters) among the cases the user may see
    received from `start` to `end`: [{"category", "district", "village", "lat", "lon", "count",
    "radius_m", "first_received", "last_received", "cases"}], largest first. `cases`: the case
    numbers, newest first (at most 20)."""
    require(user, "analytics.view_hotspots")

    from django.db.models import Q

    from rdec.analytics import clusters as method
    from rdec.petitions import selectors as petitions
    from rdec.petitions.models import Category

    since, until = dates.days_span(start, end)
    qs = petitions.cases_visible_to(user).filter(
        received_at__gte=since, received_at__lt=until, lat__isnull=False, lon__isnull=False
    )
    if district:
        qs = qs.filter(district__code=district)
    if category:
        qs = qs.filter(Q(category__code=category) | Q(category__parent__code=category))
    rows = qs.order_by().values_list("number", "received_at", "category_id", "lat", "lon")[:max_points]
    found = method.point_clusters(((number, at), cat, lat, lon) for number, at, cat, lat, lon in rows)[:limit]
    categories = Category.objects.in_bulk({c.category_id for c in found})
    results = []
    for c in found:
        members = sorted(c.members, key=lambda m: m[1], reverse=True)
        place = geo.resolve(c.lat, c.lon)
        results.append(
            {
                "category": categories[c.category_id],
                "district": {"code": place.district_code, "name": place.district_name} if place else None,
                "village": place.village_name if place and place.village_name else "",
                "lat": c.lat,
                "lon": c.lon,
                "count": c.count,
                "radius_m": c.radius_m,
                "first_received": members[-1][1],
                "last_received": members[0][1],
                "cases": [number for number, _at in members[:20]],
            }
        )
    return results


def reports_visible_to(user):
    """The analysis reports the user may open: RDEC all; agency staff their agencies' reports."""
    from rdec.analytics.models import Report
    from rdec.core.permissions import visible_agency_ids

    if not check(user, "analytics.view_reports"):
        return Report.objects.none()
    qs = Report.objects.select_related("agency", "district", "requested_by").defer(
        "district__geometry", "figures"
    )
    ids = visible_agency_ids(user)
    return qs if ids is None else qs.filter(agency_id__in=ids)


def get_report_for_user(user, pk: int):
    from django.http import Http404

    from rdec.analytics.models import Report

    report = (
        Report.objects.select_related("agency", "district").defer("district__geometry").filter(pk=pk).first()
    )
    if report is None or not check(user, "analytics.view_report", report):
        raise Http404
    return report


def router_evaluation(user) -> dict | None:
    """The held-out evaluation of the router in use (kept with the model by routing.train_broad), ready
    for the RDEC's page: per source the top-1/top-3 and what the routing rule in force routes alone, as
    labelled and at first level (`first`, `first_at_rule`: second-level agencies folded into their
    first-level agency, routing.first_level_summary); per agency precision and recall, as labelled and per
    first-level agency; the agency confusion; the reliability table. None when the
    router in use was trained without the broad corpus (no held-out design to show)."""
    require(user, "analytics.train_router")
    from django.utils import timezone

    from rdec.analytics import routing
    from rdec.analytics.rules import routing_rule_for
    from rdec.core.models import Agency

    evaluation = getattr(active_router(), "evaluation", None)
    if not evaluation:
        return None
    rule = routing_rule_for(timezone.localdate())
    threshold = rule.auto_route_min_pct / 100
    names = dict(Agency.objects.values_list("code", "short_name"))
    sources = []
    for name, m in evaluation["sources"].items():
        at_rule = next((a for a in m["abstention"] if abs(a["threshold"] - threshold) < 1e-9), None)
        first = routing.first_level_summary(m)
        first_at_rule = next(
            (a for a in first.get("abstention", []) if abs(a["threshold"] - threshold) < 1e-9), None
        )
        sources.append(
            {"name": name, **m, "at_rule": at_rule, "first": first, "first_at_rule": first_at_rule}
        )
    everything = evaluation["sources"]["all"]
    agencies = sorted(everything["per_agency"], key=lambda a: -everything["per_agency"][a]["support"])
    per_agency = [{"code": a, "name": names.get(a, a), **everything["per_agency"][a]} for a in agencies]
    first_level = routing.first_level_summary(everything)["per_agency"]
    per_first_level = [
        {"code": a, "name": names.get(a, a), **first_level[a]}
        for a in sorted(first_level, key=lambda a: -first_level[a]["support"])
    ]
    expected = [a for a in agencies if everything["per_agency"][a]["support"]]
    confusion = [
        {
            "name": names.get(a, a),
            "cells": [everything["confusion"].get(a, {}).get(b, 0) for b in agencies],
            "diagonal": agencies.index(a),
        }
        for a in expected
    ]
    return {
        "evaluation": evaluation,
        "rule": rule,
        "sources": sources,
        "per_agency": per_agency,
        "per_first_level": per_first_level,
        "columns": [names.get(a, a) for a in agencies],
        "confusion": confusion,
        "reliability": everything["reliability"],
    }


def catalogue_prior() -> dict[str, list[str]]:
    """{category code: the category's name and everyday vocabulary} of the service catalogue
    (rdec.petitions.selectors.category_vocabulary), the broad router's prior."""
    from rdec.petitions import selectors as petitions

    terms, _agencies = petitions.category_vocabulary()
    codes = dict(petitions.leaf_categories().values_list("pk", "code"))
    return {codes[pk]: words for pk, words in terms.items() if pk in codes}
