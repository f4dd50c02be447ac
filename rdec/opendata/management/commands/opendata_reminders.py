from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rdec.opendata.tasks import send_feedback_reminders


class Command(BaseCommand):
    help = _(
        "Remind agencies of comments and data requests whose answer is due soon, and send one overdue "
        "notice for those past their deadline (for cron where no Celery beat runs)."
    )

    def handle(self, *args, **options):
        count = send_feedback_reminders()
        self.stdout.write(_("%(count)s comments or data requests reminded.") % {"count": count})
