from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rdec.petitions.tasks import run_deadline_checks


class Command(BaseCommand):
    help = _("Send due-date reminders and escalate overdue petitions (run daily from cron).")

    def handle(self, *args, **options):
        counts = run_deadline_checks()
        self.stdout.write(_("%(reminded)s reminded, %(escalated)s escalated.") % counts)
