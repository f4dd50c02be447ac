import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core.models import User
from rdec.opendata.importer import BUNDLED, ImportFailed, import_file


class Command(BaseCommand):
    help = _(
        "Import an open data catalog export (CSV, UTF-8 or Big5): Taichung's platform export or the "
        "national portal's column names. Every row is checked first; any error is reported by row and "
        "column and nothing is imported. Without FILE, the bundled Taichung catalog of July 2018."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(BUNDLED))
        parser.add_argument("--user", help="username recorded as the importer (default: system)")
        parser.add_argument(
            "--published-on",
            help="publication date (YYYY-MM-DD) for rows without 上架日期 (default: today)",
        )

    def handle(self, *args, **options):
        actor = None
        if options.get("user"):
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No user named %(name)s.") % {"name": options["user"]})
        published_on = None
        if options.get("published_on"):
            try:
                published_on = datetime.date.fromisoformat(options["published_on"])
            except ValueError as exc:
                raise CommandError(_("Write the date as YYYY-MM-DD.")) from exc
        started = time.monotonic()
        try:
            result = import_file(options["file"], actor=actor, published_on=published_on)
        except ImportFailed as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                _("%(count)s error(s); nothing was imported.") % {"count": len(exc.errors)}
            ) from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        for warning in result.warnings:
            self.stdout.write(warning)
        self.stdout.write(
            _("%(datasets)s datasets imported (%(resources)s resources) in %(seconds).1f s.")
            % {
                "datasets": result.datasets,
                "resources": result.resources,
                "seconds": time.monotonic() - started,
            }
        )
