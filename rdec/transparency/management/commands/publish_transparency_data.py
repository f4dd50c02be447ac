from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rdec.transparency.opendata import publish_registers


class Command(BaseCommand):
    help = _("Regenerate the transparency registers' open data (contracts, MOUs, proactive disclosure).")

    def handle(self, *args, **options):
        labels = {
            "created": pgettext("open data", "created"),
            "updated": pgettext("open data", "updated"),
            "unchanged": pgettext("open data", "unchanged"),
        }
        for register, outcome in publish_registers().items():
            self.stdout.write(f"{register}: {labels[outcome]}")
