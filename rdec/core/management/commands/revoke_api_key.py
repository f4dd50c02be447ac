from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core import services


class Command(BaseCommand):
    help = _("Revoke an API key by its prefix (the part before the dot).")

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, **options):
        prefix = options["prefix"].split(".", 1)[0]
        try:
            key = services.revoke_api_key(prefix=prefix, actor=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(_("Key %(prefix)s (%(name)s) revoked.") % {"prefix": key.prefix, "name": key.name})
