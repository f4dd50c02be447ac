from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rdec.tenders.tasks import send_improvement_reminders, send_progress_reminders


class Command(BaseCommand):
    help = _(
        "Remind agencies of last month's tender progress not yet entered and of inspection improvement "
        "reports coming due (run daily, e.g. from cron)."
    )

    def handle(self, *args, **options):
        count = send_progress_reminders()
        self.stdout.write(_("%(count)s agencies reminded.") % {"count": count})
        reports = send_improvement_reminders()
        self.stdout.write(_("%(count)s inspection improvement reports reminded.") % {"count": reports})
