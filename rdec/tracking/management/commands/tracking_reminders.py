from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rdec.tracking.tasks import run_reminders


class Command(BaseCommand):
    help = _(
        "Remind agencies of tracked items due soon or missing a report, escalate overdue items, and "
        "remind agencies of the council report (run daily from cron)."
    )

    def handle(self, *args, **options):
        counts = run_reminders()
        self.stdout.write(
            _(
                "%(reminded)s item(s) reminded, %(escalated)s escalated, %(no_report)s missing a report; "
                "%(council)s council reminder(s)."
            )
            % counts
        )
