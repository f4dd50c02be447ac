from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rdec.transparency.services.mous import expire_due_mous


class Command(BaseCommand):
    help = _(
        "Mark as expired the MOUs whose term has ended (unless they renew automatically); run daily from cron."
    )

    def handle(self, *args, **options):
        count = expire_due_mous()
        self.stdout.write(_("%(count)s MOU(s) expired.") % {"count": count})
