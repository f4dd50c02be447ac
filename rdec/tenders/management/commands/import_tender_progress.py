import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core.context import acting_as
from rdec.core.models import User
from rdec.tenders import importer, services


class Command(BaseCommand):
    help = _(
        "Import monthly tender progress from a CSV (UTF-8 or Big5) or .xlsx file with the columns "
        "tender_no, agency, name, type, contract_amount, month, planned_pct, actual_pct, reason. "
        "Every row is checked first; any error is reported by row and column and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--user", help="import as this user, with that user's permissions (default: the system)"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        started = time.monotonic()
        try:
            if options.get("user"):
                actor = User.objects.filter(username=options["user"]).first()
                if actor is None:
                    raise CommandError(_("No user named %(name)s.") % {"name": options["user"]})
                with acting_as(actor):
                    result = services.import_tender_progress(data, actor=actor, filename=path.name)
            else:
                result = importer.import_file(data, path.name)
        except importer.ImportFailed as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                _("%(count)s error(s); nothing was imported.") % {"count": len(exc.errors)}
            ) from exc
        self.stdout.write(
            _(
                "%(rows)s rows imported in %(seconds).1f s: %(tenders)s new tenders, %(created)s months "
                "entered, %(updated)s corrected, %(late)s late."
            )
            % {
                "rows": result.rows,
                "seconds": time.monotonic() - started,
                "tenders": result.tenders_created,
                "created": result.progress_created,
                "updated": result.progress_updated,
                "late": result.late,
            }
        )
