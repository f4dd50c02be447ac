from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core.reference import ReferenceDataError
from rdec.strategy.reference import BUNDLED, load_plans


class Command(BaseCommand):
    help = _(
        "Load the development strategies, action plans and targets from JSON (default: the seed's "
        "FY111 plan). Idempotent; existing target values are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(BUNDLED))
        parser.add_argument(
            "--year", type=int, default=None, help=_("the targets' year (default: the file's)")
        )

    def handle(self, *args, **options):
        try:
            counts = load_plans(options["file"], year=options["year"])
        except (ReferenceDataError, OSError, KeyError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(strategies)s strategies, %(plans)s action plans and %(targets)s targets loaded.") % counts
        )
