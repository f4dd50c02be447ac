"""What the file-import commands share (`rdec import_tender_progress`, `rdec import_documents`):
the file argument, `--user` to import with a user's permissions (the service's checks and audit
as that user) or else as the system, every error printed and nothing imported, the time taken."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core.context import acting_as
from rdec.core.models import User


class ImportCommand(BaseCommand):
    """Subclasses set `failure` (the importer's all-or-nothing exception, with `.errors`) and define
    `as_user(data, filename, actor)`, `as_system(data, filename)` and `summary(result, seconds)`."""

    failure: type[Exception] = Exception

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
                    result = self.as_user(data, path.name, actor)
            else:
                result = self.as_system(data, path.name)
        except self.failure as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                _("%(count)s error(s); nothing was imported.") % {"count": len(exc.errors)}
            ) from exc
        self.stdout.write(self.summary(result, time.monotonic() - started))

    def as_user(self, data: bytes, filename: str, actor):
        raise NotImplementedError

    def as_system(self, data: bytes, filename: str):
        raise NotImplementedError

    def summary(self, result, seconds: float) -> str:
        raise NotImplementedError
