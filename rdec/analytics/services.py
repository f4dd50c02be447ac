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
    *, actor, limit: int | None = None, holdout: float = 0.1, broad: bool | None = None, force: bool = False
) -> RouterModel:
    """Fit the case router on replied and closed cases (the newest `limit`), measure it on the
    `holdout` share kept out of training and keep the model file as the next version
    (rdec.analytics.router_versions). It is put in use only if it is not worse than the model in use
    measured on the same held-out texts (the gate of router_versions.gate); otherwise it stays a
    candidate with the reason. `force`: put it in use anyway, which its decision records.

    `broad` (default: settings.RDEC_ROUTER_BROAD, on): also learn from the shipped broad corpus (the
    FAQ questions of the whole city's business, real 1999 cases; routing.shipped_texts), with the
    held-out design of routing.train_broad (by source and by time), a calibrated confidence, and the
    full evaluation kept in the model (router.evaluation) for the analytics page."""
    require(actor, "analytics.train_router")
    from rdec.analytics import router_versions
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
        everything = routing.shipped_texts() + own
        router, metrics = routing.train_broad(
            everything, agency_of, prior=analytics_selectors.catalogue_prior()
        )
        tested = [(t.text, t.category, router.agency_for(t.label)) for t in everything if t.split == "test"]
    else:
        categories, agencies = [c for *_x, c, _a, _n in rows], [a for *_x, a, _n in rows]
        router, metrics = routing.train(texts, categories, agencies, agency_of, holdout=holdout)
        tested = [(texts[i], categories[i], agencies[i]) for i in metrics["held_out_index"]]
    # the candidate and the model answering now, on the same held-out texts
    figures = router_versions.measure(router, tested)
    active = RouterModel.objects.filter(active=True).order_by("-trained_at").first()
    active_figures = router_versions.measure(analytics_selectors.active_router(), tested) if tested else None
    model = router_versions.register(
        router,
        figures,
        data_summary={
            "command": "train_router",
            "cases": len(rows),
            "broad": bool(broad),
            "held_out": len(tested),
        },
        active=active,
        active_figures=active_figures,
        trained_on=metrics["trained_on"],
        seconds=metrics["seconds"],
    )
    if force and not model.active:
        from django.utils.translation import override

        with override(settings.LANGUAGE_CODE):
            note = _("Put in use with --force, overriding the gate.")
        router_versions.promote(model, decision=f"{model.decision} {note}")
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


def flag_unsure_routing(cases, *, actor=None) -> list:
    """Run by every filing (rdec.petitions.hooks: the web form, the REST API, Open311, the queued
    intake, the 1999 console), inside its transaction and after its own permission check: each new
    case the router is unsure of — calibrated confidence of its first agency below the routing rule
    in force on the day of receipt — gets an internal history entry (event `routing_manual`, with
    the confidence and the suggested agency) so that it waits in the RDEC's 分案 queue (the inbox's
    ?routing=manual) until an agency is assigned; the case is filed under its category's agency
    meanwhile. One suggestion call for the whole batch. Returns the cases flagged. Off with
    settings.RDEC_ROUTER_FLAG_UNSURE = False. `actor`: who records it (None: the system)."""
    if not getattr(settings, "RDEC_ROUTER_FLAG_UNSURE", True):
        return []
    from rdec.analytics.rules import routing_rule_for
    from rdec.analytics.selectors import active_router
    from rdec.petitions.models import CaseEvent

    cases = [c for c in cases if len(f"{c.subject}{c.description}".strip()) >= 4]
    if not cases:
        return []
    texts = [
        routing.text_of(c.subject, c.description, c.district.name if c.district_id else "") for c in cases
    ]
    found = active_router().suggest_many(texts, top=1)
    thresholds: dict = {}
    flagged, events = [], []
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    for case, suggestions in zip(cases, found, strict=True):
        first = suggestions[0] if suggestions else None
        confidence = first.confidence if first else None
        day = timezone.localdate(case.received_at)
        if day not in thresholds:
            thresholds[day] = routing_rule_for(day).auto_route_min_pct
        if confidence is not None and confidence * 100 >= thresholds[day]:
            continue
        flagged.append(case)
        events.append(
            CaseEvent(
                case=case,
                actor=user,
                verb="routing_manual",
                agency=case.agency,
                data={"confidence": confidence, "suggested": first.agency if first else ""},
            )
        )
    CaseEvent.objects.bulk_create(events)
    return flagged
