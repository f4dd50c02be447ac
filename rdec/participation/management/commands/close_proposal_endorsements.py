from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rdec.participation.services.proposals import close_due_endorsements


class Command(BaseCommand):
    help = _(
        "Close the support period of proposals whose last day has passed: established or not "
        "established (run daily from cron)."
    )

    def handle(self, *args, **options):
        counts = close_due_endorsements()
        self.stdout.write(
            _("%(established)s proposal(s) established, %(not_established)s not established.") % counts
        )
