from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core.reference import ReferenceDataError
from rdec.petitions.reference import BUNDLED, load_categories


class Command(BaseCommand):
    help = _("Load the petition category tree (default agencies, deadlines in working days) from JSON.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(BUNDLED))

    def handle(self, *args, **options):
        try:
            count = load_categories(options["file"])
        except (ReferenceDataError, OSError, KeyError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("%(count)s categories loaded.") % {"count": count})
