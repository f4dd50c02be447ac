import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core.models import User
from rdec.petitions.importer import ImportFailed, import_file


class Command(BaseCommand):
    help = _(
        "Import cases from the old 1999 system's CSV export (UTF-8 or Big5; ISO or ROC dates). "
        "Every row is checked first; any error is reported by row and column and nothing is "
        "imported. Otherwise the whole file is imported in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", help="username recorded as the importer (default: system)")

    def handle(self, *args, **options):
        actor = None
        if options.get("user"):
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No user named %(name)s.") % {"name": options["user"]})
        started = time.monotonic()
        try:
            result = import_file(options["file"], actor=actor)
        except ImportFailed as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                _("%(count)s error(s); nothing was imported.") % {"count": len(exc.errors)}
            ) from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(cases)s cases imported (%(ratings)s ratings) in %(seconds).1f s.")
            % {"cases": result.cases, "ratings": result.ratings, "seconds": time.monotonic() - started}
        )
