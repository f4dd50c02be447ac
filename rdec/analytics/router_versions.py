"""Versions of the case router and the gate a new one must pass to be put in use.

A retraining (``retrain()``: the weekly Celery task ``rdec.analytics.tasks.retrain_router``, the
command ``rdec retrain_router`` and the admin action) learns from the labels of
``rdec.analytics.router_labels`` (transfers, re-assignments, closed cases, weighted by recency) plus
each category's vocabulary, through the routing module's training function, and keeps the fitted
model as a file beside the others (``DATA_DIR/models/router-*.joblib``, joblib, as
``services.train_router`` does), recorded as a *candidate* ``RouterModel`` with the next version.

The gate: the candidate and the model in use are measured on the same held-out labels (a fixed
tenth of the cases, chosen by a hash of the case number, so every retraining holds out the same
cases and neither model trained on them). The candidate is put in use only if

- its agency top-1 ≥ the active model's − ``RDEC_ROUTER_GATE_TOLERANCE`` (default 0.01), and
- its precision at coverage (the top-1 precision over the ``RDEC_ROUTER_GATE_COVERAGE`` share,
  default 0.7, of held-out texts it is surest of) is not lower than the active model's;

otherwise it stays a candidate, with the reason. Both figures and the decision are kept on the
candidate and shown in the admin, where an administrator may also put a candidate in use by hand
(recorded as who promoted it). Before any trained model, the active model is the router fitted on
the vocabulary alone.
"""

from __future__ import annotations

import math
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from rdec.analytics import router_labels, routing
from rdec.analytics.models import RouterModel
from rdec.core import audit
from rdec.core.permissions import require

MIN_LABELS = 50


def tolerance() -> float:
    return float(getattr(settings, "RDEC_ROUTER_GATE_TOLERANCE", 0.01))


def coverage_target() -> float:
    return float(getattr(settings, "RDEC_ROUTER_GATE_COVERAGE", 0.7))


def held_out(number: str, share: float = 0.1) -> bool:
    """Whether the case is in the held-out set: the same cases every time (crc32 of its number)."""
    return zlib.crc32(number.encode()) % 1000 < round(share * 1000)


def precision_at_coverage(router, texts: list[str], agencies: list[str], coverage: float) -> float:
    """Top-1 agency precision over the `coverage` share of the texts the router is surest of."""
    if not texts:
        return 0.0
    found = router.suggest_many(texts, top=1)
    ranked = sorted(zip(found, agencies, strict=True), key=lambda pair: -pair[0][0].score)
    kept = ranked[: max(1, math.ceil(coverage * len(ranked)))]
    return sum(got[0].agency == agency for got, agency in kept) / len(kept)


def measure(router, tested: list[tuple[str, str, str]]) -> dict:
    """Held-out figures of `router` on [(text, category or "", agency)]."""
    texts, agencies = [t for t, _c, _a in tested], [a for _t, _c, a in tested]
    figures = routing.evaluate(router, texts, [c or None for _t, c, _a in tested], agencies)
    figures["precision_at_coverage"] = precision_at_coverage(router, texts, agencies, coverage_target())
    figures["coverage"] = coverage_target()
    return figures


def gate(candidate: dict, active: dict | None) -> tuple[bool, str]:
    """(put in use?, why) for a candidate's held-out figures against the active model's."""
    if active is None or not active.get("tested_on"):
        return True, _("No model in use to compare with.")
    figures = {
        "c1": candidate["agency_top1"] * 100,
        "a1": active["agency_top1"] * 100,
        "cp": candidate["precision_at_coverage"] * 100,
        "ap": active["precision_at_coverage"] * 100,
        "tol": tolerance() * 100,
        "cov": coverage_target() * 100,
    }
    if candidate["agency_top1"] < active["agency_top1"] - tolerance() - 1e-9:
        return False, _(
            "Kept as a candidate: agency top-1 %(c1).1f%% is below the model in use (%(a1).1f%%) by more "
            "than the tolerance of %(tol).1f points."
        ) % figures
    if candidate["precision_at_coverage"] < active["precision_at_coverage"] - 1e-9:
        return False, _(
            "Kept as a candidate: precision at %(cov).0f%% coverage %(cp).1f%% is lower than the model in "
            "use (%(ap).1f%%)."
        ) % figures
    return True, _(
        "Put in use: agency top-1 %(c1).1f%% (in use: %(a1).1f%%), precision at %(cov).0f%% coverage "
        "%(cp).1f%% (in use: %(ap).1f%%)."
    ) % figures


def next_version() -> int:
    from django.db.models import Max

    return (RouterModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def promote(model: RouterModel, *, actor=None, decision: str = "") -> RouterModel:
    """Put `model` in use; the one in use before is retired."""
    RouterModel.objects.filter(active=True).exclude(pk=model.pk).update(
        active=False, status=RouterModel.Status.RETIRED
    )
    model.active, model.status = True, RouterModel.Status.ACTIVE
    model.promoted_at = timezone.now()
    model.promoted_by = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if decision:
        model.decision = decision
    model.save(update_fields=["active", "status", "promoted_at", "promoted_by", "decision"])
    audit.record(
        "analytics.router_promoted", model, version=model.version, by_hand=model.promoted_by_id is not None
    )
    return model


def register(
    router,
    figures: dict,
    *,
    data_summary: dict,
    active: RouterModel | None,
    active_figures: dict | None,
    **fields,
) -> RouterModel:
    """Keep the fitted `router` as the next version's file, record it as a candidate with its
    held-out `figures` beside the active model's, and apply the gate."""
    import joblib

    from rdec.analytics.services import _models_dir

    stamp = timezone.now()
    path = _models_dir() / f"router-{stamp:%Y%m%d-%H%M%S-%f}.joblib"
    joblib.dump(router, path, compress=3)
    with override(settings.LANGUAGE_CODE):
        promote_it, why = gate(figures, active_figures)
    model = RouterModel.objects.create(
        trained_at=stamp,
        path=str(path),
        version=next_version(),
        status=RouterModel.Status.CANDIDATE,
        active=False,
        trained_on=fields.get("trained_on", 0),
        tested_on=figures["tested_on"],
        category_top1=figures["category_top1"],
        category_top3=figures["category_top3"],
        agency_top1=figures["agency_top1"],
        agency_top3=figures["agency_top3"],
        precision_at_coverage=figures["precision_at_coverage"],
        coverage=figures["coverage"],
        seconds=fields.get("seconds", 0.0),
        confusion=figures.get("confusion", {}),
        data_summary=data_summary,
        compared_with=active,
        compared_top1=active_figures["agency_top1"] if active_figures else None,
        compared_top3=active_figures["agency_top3"] if active_figures else None,
        compared_precision=active_figures["precision_at_coverage"] if active_figures else None,
        decision=why,
    )
    audit.record("analytics.router_trained", model, version=model.version, promoted=promote_it)
    if promote_it:
        promote(model)
    return model


def training_data(*, holdout: float = 0.1, limit: int | None = None, now=None, choose=None):
    """(labels to train on, held-out labels, summary) of the labels as they are now."""
    found = router_labels.labels(limit=limit, now=now, choose=choose)
    held = [lb for lb in found if held_out(lb.case, holdout)]
    train = [lb for lb in found if not held_out(lb.case, holdout)]
    summary = router_labels.summary(found)
    summary.update(trained_on=len(train), held_out=len(held))
    return train, held, summary


def broad() -> bool:
    """Whether retraining also learns from the shipped broad corpus (the routing module's FAQ and
    Kaohsiung texts, settings.RDEC_ROUTER_BROAD) where the routing module has it."""
    return bool(getattr(settings, "RDEC_ROUTER_BROAD", True)) and hasattr(routing, "train_broad")


def retrain(
    *, actor=None, holdout: float = 0.1, limit: int | None = None, now=None, choose=None, use_broad=None
) -> RouterModel:
    """Train a candidate on the labels (each counted `weight` times) and the category vocabulary,
    and, with the broad corpus (`use_broad`, default broad()), on its training split too; measure it
    and the model in use on the same held-out texts (the held-out labels, and the broad corpus's
    test split), and apply the gate."""
    require(actor, "analytics.train_router")
    import time

    from rdec.analytics.selectors import active_router
    from rdec.petitions import selectors as petitions

    started = time.monotonic()
    train, held, summary = training_data(holdout=holdout, limit=limit, now=now, choose=choose)
    if len(train) < MIN_LABELS:
        raise ValidationError(
            _("Too few labelled cases to learn from: %(n)s (at least %(min)s).")
            % {"n": len(train), "min": MIN_LABELS}
        )
    agency_of = {c.code: c.default_agency.code for c in petitions.leaf_categories() if c.default_agency_id}
    use_broad = broad() if use_broad is None else use_broad
    if use_broad:
        router, tested = _train_broad(train, held, agency_of, summary)
    else:
        texts, categories, agencies = [], [], []
        for lb in train:
            texts += [lb.text] * lb.weight
            categories += [lb.category] * lb.weight
            agencies += [lb.agency] * lb.weight
        router, _metrics = routing.train(texts, categories, agencies, agency_of, holdout=0)
        tested = [(lb.text, lb.category, lb.agency) for lb in held]
    figures = measure(router, tested)
    active = RouterModel.objects.filter(active=True).order_by("-trained_at").first()
    active_figures = measure(active_router(), tested) if tested else None
    return register(
        router,
        figures,
        data_summary=summary,
        active=active,
        active_figures=active_figures,
        trained_on=len(train),
        seconds=round(time.monotonic() - started, 1),
    )


def _train_broad(train, held, agency_of, summary):
    """The routing module's broad training on its shipped corpus plus the labels: a label filed
    under another agency's category teaches its agency only (routing.AGENCY_LABEL)."""
    from collections import Counter

    Text = routing.Text

    def label_of(lb):
        return lb.category if lb.own_category else routing.AGENCY_LABEL + lb.agency

    shipped = routing.shipped_texts()
    texts = [t for t in shipped if t.split != "test"]
    for lb in train:
        texts += [
            Text(lb.text, label_of(lb), lb.source, "train", lb.at.date().isoformat(), lb.category)
        ] * lb.weight
    texts += [
        Text(lb.text, label_of(lb), lb.source, "test", lb.at.date().isoformat(), lb.category) for lb in held
    ]
    from rdec.analytics import selectors

    # the service catalogue's vocabulary as the prior, as services.train_router gives it
    router, _metrics = routing.train_broad(texts, agency_of, prior=selectors.catalogue_prior())
    tested = [(lb.text, lb.category, lb.agency) for lb in held]
    for t in shipped:
        if t.split == "test":
            tested.append((t.text, t.category, router.agency_for(t.label)))
    summary["broad"] = dict(Counter(t.source for t in shipped))
    summary["held_out_broad"] = len(tested) - len(held)
    return router, tested


def promote_by_hand(model: RouterModel, *, actor) -> RouterModel:
    """An administrator puts a version in use regardless of the gate (recorded as who promoted it)."""
    require(actor, "analytics.train_router")
    with override(settings.LANGUAGE_CODE):
        note = _("Put in use by hand by %(user)s.") % {"user": actor.get_username()}
    decision = f"{model.decision} {note}".strip()
    promote(model, actor=actor, decision=decision)
    return model
