from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.analytics import routing, services
from rdec.core.context import acting_as


class Command(BaseCommand):
    help = _(
        "Train the case router on replied and closed petitions, report its accuracy on held-out cases "
        "and on the hand-written set, and put it in use."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="the newest N cases only")
        parser.add_argument("--holdout", type=float, default=0.1, help="share of cases kept out to measure")

    def handle(self, *args, **options):
        with acting_as(None):
            try:
                model = services.train_router(actor=None, limit=options["limit"], holdout=options["holdout"])
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        from rdec.analytics.selectors import active_router

        cases = routing.handwritten()
        hand = routing.evaluate(
            active_router(),
            [c["text"] for c in cases],
            [c["category"] for c in cases],
            [c["agency"] for c in cases],
        )
        self.stdout.write(
            _(
                "Trained on %(train)s cases in %(seconds)s s. Held-out %(test)s cases: agency top-1 %(a1).1f%%, "
                "top-3 %(a3).1f%%; category top-1 %(c1).1f%%, top-3 %(c3).1f%%."
            )
            % {
                "train": model.trained_on,
                "seconds": model.seconds,
                "test": model.tested_on,
                "a1": model.agency_top1 * 100,
                "a3": model.agency_top3 * 100,
                "c1": model.category_top1 * 100,
                "c3": model.category_top3 * 100,
            }
        )
        self.stdout.write(
            _(
                "Hand-written set (%(n)s texts): agency top-1 %(a1).1f%%, top-3 %(a3).1f%%; category top-1 %(c1).1f%%."
            )
            % {
                "n": hand["tested_on"],
                "a1": hand["agency_top1"] * 100,
                "a3": hand["agency_top3"] * 100,
                "c1": hand["category_top1"] * 100,
            }
        )
