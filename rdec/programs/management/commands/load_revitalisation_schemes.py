from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rdec.programs import services_revitalisation


class Command(BaseCommand):
    help = _(
        "Load the catalogue of central schemes for regional revitalisation (rdec/programs/data/"
        "revitalisation-schemes.json, or FILE), added or updated by code."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(services_revitalisation.SCHEMES_FILE))

    def handle(self, *args, **options):
        count = services_revitalisation.load_schemes(options["file"])
        self.stdout.write(_("%(count)s schemes loaded.") % {"count": count})
