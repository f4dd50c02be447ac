from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core import reference


class Command(BaseCommand):
    help = _(
        "Load reference data: the districts, villages, agencies and office calendar shipped with rdec "
        "(Taichung), or another city's files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--districts", help="GeoJSON of districts (TOWNCODE, TOWNNAME, TOWNENG)")
        parser.add_argument("--villages", help="GeoJSON of villages (VILLCODE, VILLNAME, TOWNCODE)")
        parser.add_argument("--agencies", help="JSON agency tree")
        parser.add_argument("--city-code", default=None, help="keep only features of this county code")

    def handle(self, *args, **options):
        try:
            if not any(options[k] for k in ("districts", "villages", "agencies")):
                counts = reference.load_bundled(options["city_code"] or "66000")
            else:
                counts = {}
                if options["districts"]:
                    counts["districts"] = reference.load_districts(options["districts"], options["city_code"])
                if options["villages"]:
                    counts["villages"] = reference.load_villages(options["villages"], options["city_code"])
                if options["agencies"]:
                    counts["agencies"] = reference.load_agencies(options["agencies"])
        except reference.ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
