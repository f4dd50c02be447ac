"""Analytics use cases: training the case router."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.analytics import routing
from rdec.analytics.models import RouterModel
from rdec.core import audit
from rdec.core.permissions import require

MIN_CASES = 50


def _models_dir():
    path = settings.DATA_DIR / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _broad_default() -> bool:
    return bool(getattr(settings, "RDEC_ROUTER_BROAD", True))


def train_router(
    *, actor, limit: int | None = None, holdout: float = 0.1, broad: bool | None = None
) -> RouterModel:
    """Fit the case router on replied and closed cases (the newest `limit`), measure it on the
    `holdout` share kept out of training, keep the model file and put it in use.

    `broad` (default: settings.RDEC_ROUTER_BROAD, on): also learn from the shipped broad corpus (the
    FAQ questions of the whole city's business, real 1999 cases; routing.shipped_texts), with the
    held-out design of routing.train_broad (by source and by time), a calibrated confidence, and the
    full evaluation kept in the model (router.evaluation) for the analytics page."""
    require(actor, "analytics.train_router")
    import joblib

    from rdec.analytics import selectors as analytics_selectors
    from rdec.petitions import selectors as petitions

    rows = petitions.case_texts_for_training(limit=limit)
    if len(rows) < MIN_CASES:
        raise ValidationError(
            _("Too few replied or closed cases to learn from: %(n)s (at least %(min)s).")
            % {"n": len(rows), "min": MIN_CASES}
        )
    agency_of = {c.code: c.default_agency.code for c in petitions.leaf_categories() if c.default_agency_id}
    texts = [routing.text_of(s, d, n) for s, d, _c, _a, n in rows]
    if broad is None:
        broad = _broad_default()
    if broad:
        # rows come newest first: their rank stands for their date in the split by time
        own = routing.case_texts(
            [
                (t, c, f"{len(rows) - i:09d}")
                for i, (t, (*_x, c, _a, _n)) in enumerate(zip(texts, rows, strict=True))
            ]
        )
        router, metrics = routing.train_broad(
            routing.shipped_texts() + own, agency_of, prior=analytics_selectors.catalogue_prior()
        )
    else:
        router, metrics = routing.train(
            texts, [c for *_x, c, _a, _n in rows], [a for *_x, a, _n in rows], agency_of, holdout=holdout
        )
    stamp = timezone.now()
    path = _models_dir() / f"router-{stamp:%Y%m%d-%H%M%S-%f}.joblib"
    joblib.dump(router, path, compress=3)
    RouterModel.objects.filter(active=True).update(active=False)
    model = RouterModel.objects.create(
        trained_at=stamp,
        path=str(path),
        trained_on=metrics["trained_on"],
        tested_on=metrics["tested_on"],
        category_top1=metrics["category_top1"],
        category_top3=metrics["category_top3"],
        agency_top1=metrics["agency_top1"],
        agency_top3=metrics["agency_top3"],
        seconds=metrics["seconds"],
        confusion=metrics["confusion"],
    )
    audit.record(
        "analytics.router_trained",
        model,
        cases=len(rows),
        agency_top1=round(model.agency_top1, 4),
        agency_top3=round(model.agency_top3, 4),
    )
    return model


def request_report(*, actor, period: str, day, agency=None, district=None):
    """Ask for a 質量分析報告 of the month, quarter or year containing `day`, for the whole city,
    one agency or one district; it is built by a background job (tasks.build_report)."""
    from rdec.analytics import report as figures
    from rdec.analytics import tasks
    from rdec.analytics.models import Report
    from rdec.core.tasks import enqueue_on_commit

    if agency is None and district is None and actor is not None and not actor.is_oversight:
        agency = actor.agency  # agency staff: their own agency's report
    require(actor, "analytics.request_report", agency)
    if agency is not None and district is not None:
        raise ValidationError({"district": [_("Choose one agency or one district, not both.")]})
    if period not in Report.Period.values:
        raise ValidationError({"period": [_("Choose a month, a quarter or a year.")]})
    p = figures.period_of(period, day)
    report = Report.objects.create(
        period=period,
        start=p.start,
        end=p.end,
        agency=agency,
        district=district,
        requested_by=actor if actor is not None and actor.is_authenticated else None,
        stage=_("Waiting to start"),
    )
    audit.record("analytics.report_requested", report, period=period, start=p.start.isoformat())
    enqueue_on_commit(tasks.build_report, report_id=report.pk)
    return report


def flag_unsure_routing(case, *, actor) -> bool:
    """After a petition is filed at the 1999 console: if the router is unsure of its agency (calibrated
    confidence below the routing rule in force on its day of receipt), record it on the case
    (event `routing_manual`, internal) so that it waits in the RDEC's 分案 queue (the inbox's
    ?routing=manual) until an agency is assigned. Returns whether it was flagged. The petition is
    filed either way; a router that fails to answer flags nothing."""
    from django.utils import timezone as tz

    from rdec.analytics import selectors
    from rdec.analytics.rules import routes_alone
    from rdec.petitions.models import CaseEvent

    text = f"{case.subject} {case.description}".strip()
    if len(text) < 4:
        return False
    suggestions = selectors.route_suggestions(actor, text=text)
    confidence = suggestions[0]["confidence"] if suggestions else None
    if routes_alone(confidence, tz.localdate(case.received_at)):
        return False
    CaseEvent.objects.create(
        case=case,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb="routing_manual",
        agency=case.agency,
        data={"confidence": confidence, "suggested": suggestions[0]["agency"].code if suggestions else ""},
    )
    return True
