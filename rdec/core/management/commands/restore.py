from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core import backup


class Command(BaseCommand):
    help = _(
        "Restore a backup made by `rdec backup`: it replaces the database, the uploaded files and the "
        "secret key. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a directory written by rdec backup")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **options):
        source = Path(options["directory"])
        try:
            manifest = backup.verify(source)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["interactive"]:
            answer = input(
                _("This replaces the database, the files and the key with the backup of %(time)s. Type yes: ")
                % {"time": manifest["created_at"]}
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("Nothing was restored."))
        try:
            backup.restore(source)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Restored the backup of %(time)s (rdec %(version)s). Run rdec migrate if this version is newer."
            )
            % {"time": manifest["created_at"], "version": manifest["version"]}
        )
        if backup.secret_key_overridden(source):
            self.stderr.write(
                _(
                    "SECRET_KEY is set in the environment and differs from the backup's key: links and "
                    "codes mailed before the backup will not work until it is set to the backup's key "
                    "(keys/secret_key in the backup)."
                )
            )
