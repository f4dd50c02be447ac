from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core import backup


class Command(BaseCommand):
    help = _(
        "Back up the database, the uploaded files and the secret key into a new directory, with a "
        "manifest of checksums (see docs/operations.md, Backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a new or empty directory")

    def handle(self, *args, **options):
        try:
            manifest = backup.backup(Path(options["directory"]))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backup of the %(engine)s database, files and keys written to %(dir)s (%(size)s bytes).")
            % {
                "engine": manifest["engine"],
                "dir": options["directory"],
                "size": f"{sum(f['size'] for f in manifest['files'].values()):,}",
            }
        )
