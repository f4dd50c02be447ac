from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from rdec.core.context import acting_as
from rdec.core.models import User
from rdec.tenders import deficiency_list, services
from rdec.tenders.models import Deficiency


class Command(BaseCommand):
    help = _(
        "Load the inspection deficiency list (code, description, points, category, party, source) from "
        "a CSV or JSON file; without a file, the bundled list. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(deficiency_list.BUNDLED))
        parser.add_argument("--user", help="load as this user (default: the system)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            if options.get("user"):
                actor = User.objects.filter(username=options["user"]).first()
                if actor is None:
                    raise CommandError(_("No user named %(name)s.") % {"name": options["user"]})
                with acting_as(actor):
                    result = services.load_deficiencies(data, actor=actor, filename=path.name)
            else:
                rows = deficiency_list.parse(data, path.name)
                with transaction.atomic():
                    result = deficiency_list.store(rows, Deficiency)
        except deficiency_list.LoadFailed as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                _("%(count)s error(s); nothing was loaded.") % {"count": len(exc.errors)}
            ) from exc
        self.stdout.write(
            _("Deficiency list loaded: %(created)s new, %(updated)s updated, %(retired)s no longer in use.")
            % {"created": result.created, "updated": result.updated, "retired": result.retired}
        )
