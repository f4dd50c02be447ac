from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.analytics import routing, services
from rdec.core.context import acting_as


class Command(BaseCommand):
    help = _(
        "Train the case router on replied and closed petitions, report its accuracy on held-out cases "
        "and on the hand-written set, and record it as the next version: it is put in use only if it is not "
        "worse than the model in use on the same held-out texts (--force: put it in use anyway)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="the newest N cases only")
        parser.add_argument("--holdout", type=float, default=0.1, help="share of cases kept out to measure")
        parser.add_argument(
            "--force",
            action="store_true",
            help="put the new version in use even if it is worse than the one in use",
        )

    def handle(self, *args, **options):
        with acting_as(None):
            try:
                model = services.train_router(
                    actor=None, limit=options["limit"], holdout=options["holdout"], force=options["force"]
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        import joblib

        cases = routing.handwritten()
        hand = routing.evaluate(
            joblib.load(model.path),  # the new version, in use or not
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
        self.stdout.write(model.decision)
        if options["force"] and model.active and model.compared_top1 is not None:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Version %(v)s is in use because of --force: the model it replaced had agency top-1 "
                        "%(a1).1f%% on the same held-out texts."
                    )
                    % {"v": model.version, "a1": model.compared_top1 * 100}
                )
            )
        elif not model.active:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Version %(v)s is kept as a candidate; the model in use stays. Run again with --force "
                        "to put it in use anyway."
                    )
                    % {"v": model.version}
                )
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
