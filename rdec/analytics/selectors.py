"""Reads of the analytics, scoped to the user: route suggestions."""

from __future__ import annotations

from rdec.analytics.models import RouterModel
from rdec.core import geo
from rdec.core.permissions import require

_loaded: dict = {"id": None, "router": None}


class RouterUnavailable(Exception):
    """No case router has been trained yet."""


def active_router():
    """The router in use, loaded once per process (and again when a newer one is trained)."""
    import joblib

    model = RouterModel.objects.filter(active=True).order_by("-trained_at").only("id", "path").first()
    if model is None:
        raise RouterUnavailable
    if _loaded["id"] != model.pk:
        _loaded.update(id=model.pk, router=joblib.load(model.path))
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
        {"agency": agencies[s.agency], "category": categories[s.category], "score": s.score}
        for s in found
        if s.agency in agencies and s.category in categories
    ]


def similar_cases(user, case, *, limit: int = 5) -> list[dict]:
    """Duplicate candidates of `case` among the cases the user may see, most similar first:
    [{"case", "similarity", "distance_m"}] (see rdec.analytics.similar)."""
    require(user, "analytics.find_similar", case)
    from rdec.analytics import similar
    from rdec.petitions import selectors as petitions

    found = similar.rank(case, similar.candidates_for(case, petitions.cases_visible_to(user)), limit=limit)
    return [{"case": c, "similarity": score, "distance_m": d} for c, score, d in found]
