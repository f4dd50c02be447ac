from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.analytics import router_versions
from rdec.core.context import acting_as


class Command(BaseCommand):
    help = _(
        "Retrain the case router on transfers, re-assignments and closed cases (newer ones weigh more); "
        "the new version is put in use only if it is not worse than the one in use on the held-out cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only show the training data")
        parser.add_argument("--show", type=int, default=20, help="with --dry-run: the newest N labels")
        parser.add_argument("--limit", type=int, default=None, help="the newest N closed cases only")
        parser.add_argument("--holdout", type=float, default=0.1, help="share of cases kept out to measure")

    def handle(self, *args, **options):
        with acting_as(None):
            if options["dry_run"]:
                return self.dry_run(options)
            try:
                model = router_versions.retrain(
                    actor=None, limit=options["limit"], holdout=options["holdout"]
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.counts(model.data_summary)
        self.stdout.write(
            _("Version %(v)s: agency top-1 %(a1).1f%%, top-3 %(a3).1f%%, precision at coverage %(p).1f%%.")
            % {
                "v": model.version,
                "a1": model.agency_top1 * 100,
                "a3": model.agency_top3 * 100,
                "p": (model.precision_at_coverage or 0) * 100,
            }
        )
        self.stdout.write(model.decision)

    def counts(self, summary: dict) -> None:
        by = summary["by_source"]
        self.stdout.write(
            _(
                "Labels: %(n)s (transfers %(t)s, re-assignments %(r)s, closed cases %(c)s); newest %(latest)s; "
                "trained on %(train)s, held out %(held)s."
            )
            % {
                "n": summary["labels"],
                "t": by["transfer"],
                "r": by["reassign"],
                "c": by["closed"],
                "latest": summary["latest"] or "-",
                "train": summary["trained_on"],
                "held": summary["held_out"],
            }
        )

    def dry_run(self, options) -> None:
        train, held, summary = router_versions.training_data(
            holdout=options["holdout"], limit=options["limit"]
        )
        self.counts(summary)
        for label in sorted([*train, *held], key=lambda lb: lb.at, reverse=True)[: options["show"]]:
            self.stdout.write(
                f"{label.case}\t{label.source}\t{timezone.localtime(label.at):%Y-%m-%d %H:%M}\t{label.agency}\t"
                f"{label.category}\t×{label.weight}\t{label.text[:40]}"
            )
