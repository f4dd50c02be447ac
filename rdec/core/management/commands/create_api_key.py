from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core import services
from rdec.core.models import Agency


class Command(BaseCommand):
    help = _("Create an API key for a connected system. The key is printed once, as the last line.")

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--agency", help="agency code; the key then sees that agency's work")
        parser.add_argument(
            "--oversight",
            action="store_true",
            help="the key reads every agency's work as an RDEC officer does (always read-only)",
        )
        parser.add_argument("--read-only", action="store_true", help="the key may read but never write")

    def handle(self, *args, **options):
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(_("No agency has the code %(code)s.") % {"code": options["agency"]})
        try:
            key, raw = services.create_api_key(
                name=options["name"],
                agency=agency,
                actor=None,
                oversight=options["oversight"],
                read_only=options["read_only"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            _("Key %(prefix)s created for %(name)s (%(scope)s). Keep it safe: it is not shown again.")
            % {"prefix": key.prefix, "name": key.name, "scope": key.scope_label}
        )
        self.stdout.write(raw)
