from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rdec.transparency.reminders import send_weekly_digest


class Command(BaseCommand):
    help = _(
        "Send the weekly disclosure follow-up: each agency's overdue contracts and MOUs, MOUs ending soon and "
        "stale disclosure items (run on Mondays from cron)."
    )

    def handle(self, *args, **options):
        self.stdout.write(_("%(count)s e-mails sent.") % {"count": send_weekly_digest()})
