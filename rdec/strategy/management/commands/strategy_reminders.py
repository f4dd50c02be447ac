from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rdec.strategy.tasks import send_reminders


class Command(BaseCommand):
    help = _("Send the strategy reminders due today (KPI windows closing, subsidy reports due or late).")

    def handle(self, *args, **options):
        self.stdout.write(_("%(count)s reminder(s) sent.") % {"count": send_reminders()})
