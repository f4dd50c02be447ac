from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core import reference


class Command(BaseCommand):
    help = _(
        "Load the government office calendar from the JSON of data.gov.tw dataset 14718 or the "
        "government's original CSV (Big5 or UTF-8: 西元日期, 星期, 是否放假, 備註). Existing days are updated."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")

    def handle(self, *args, **options):
        total = 0
        for path in options["files"]:
            try:
                count = reference.load_calendar_file(path)
            except (reference.ReferenceDataError, OSError) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{path}: {count}")
            total += count
        self.stdout.write(_("%(count)s days loaded.") % {"count": total})
