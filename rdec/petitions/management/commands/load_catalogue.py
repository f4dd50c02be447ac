from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core.reference import ReferenceDataError
from rdec.petitions.catalogue import BUNDLED, load_catalogue


class Command(BaseCommand):
    help = _(
        "Load the service catalogue (categories with their agency, deadline rule and everyday vocabulary) "
        "from CSV; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(BUNDLED))

    def handle(self, *args, **options):
        try:
            loaded = load_catalogue(options["file"])
        except (ReferenceDataError, OSError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Service catalogue loaded: %(branches)s groups, %(leaves)s categories; rows new %(created)s, "
                "changed %(updated)s, deactivated %(deactivated)s, removed %(deleted)s."
            )
            % {
                "leaves": loaded.leaves,
                "branches": loaded.branches,
                "created": loaded.created,
                "updated": loaded.updated,
                "deactivated": len(loaded.deactivated),
                "deleted": len(loaded.deleted),
            }
        )
