import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core.context import acting_as
from rdec.core.models import User
from rdec.documents import importer, services


class Command(BaseCommand):
    help = _(
        "Import document records exported by the document system from a CSV (UTF-8 or Big5) or .xlsx "
        "file with the columns doc_no, agency, doc_class, speed, received_on, due_on, closed_on. Every row "
        "is checked first; any error is reported by row and column and nothing is imported. A document "
        "number already imported for the same agency is updated."
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
                    result = services.import_documents(data, actor=actor, filename=path.name)
            else:
                result = importer.import_file(data, path.name)
        except importer.ImportFailed as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                _("%(count)s error(s); nothing was imported.") % {"count": len(exc.errors)}
            ) from exc
        self.stdout.write(
            _("%(rows)s rows imported in %(seconds).1f s: %(created)s documents added, %(updated)s updated.")
            % {
                "rows": result.rows,
                "seconds": time.monotonic() - started,
                "created": result.created,
                "updated": result.updated,
            }
        )
