import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core.context import acting_as
from rdec.core.models import User
from rdec.petitions import services
from rdec.petitions.models import Case


class Command(BaseCommand):
    help = _(
        "A petitioner's request about their personal data: export everything held about them (by phone "
        "or e-mail) as JSON, or erase it from a case (the case stays for the statistics). Needs an "
        "administrator's username, recorded in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("--user", required=True, help="the administrator acting on the request")
        parser.add_argument("--contact", help="export: the petitioner's phone number or e-mail")
        parser.add_argument("--case", action="append", default=[], help="erase: a case number (repeatable)")

    def handle(self, *args, **options):
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(_("No active user %(name)s.") % {"name": options["user"]})
        try:
            with acting_as(actor):
                if options["action"] == "export":
                    if not options["contact"]:
                        raise CommandError(_("Give --contact (phone number or e-mail)."))
                    rows = services.export_petitioner_data(options["contact"], actor=actor)
                    self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
                    return
                if not options["case"]:
                    raise CommandError(_("Give at least one --case number."))
                for number in options["case"]:
                    case = Case.objects.filter(number=number).first()
                    if case is None:
                        raise CommandError(_("No case has the number %(number)s.") % {"number": number})
                    services.erase_petitioner_data(case, actor=actor)
                    self.stdout.write(_("Personal data erased from %(number)s.") % {"number": number})
        except PermissionDenied as exc:
            raise CommandError(_("Only an administrator may do this.")) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
