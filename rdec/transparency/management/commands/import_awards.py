from django.core.management.base import CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from rdec.core.management.importing import ImportCommand
from rdec.core.models import Agency
from rdec.transparency.services import contracts


class Command(ImportCommand):
    help = _(
        "Import PCC award notices (決標公告) as contracts from a CSV file (UTF-8 or Big5) whose header "
        "holds the PCC fields, or a JSON file (a list of objects of PCC fields, or a pcc API answer). "
        "Every row is checked; any error is reported by row and column and nothing is imported."
    )
    failure = contracts.AwardImportFailed

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--agency", help="file every notice under this agency (its code or government agency code)"
        )

    def handle(self, *args, **options):
        self.agency = None
        code = options.get("agency")
        if code:
            self.agency = Agency.objects.filter(Q(code=code) | Q(oid=code)).first()
            if self.agency is None:
                raise CommandError(_("No agency has the code %(code)s.") % {"code": code})
        return super().handle(*args, **options)

    def as_user(self, data, filename, actor):
        return contracts.import_award_file(data, filename, agency=self.agency, actor=actor)

    def as_system(self, data, filename):
        return contracts.import_award_file(data, filename, agency=self.agency)

    def summary(self, result, seconds):
        return _(
            "imported: %(contracts)s contracts (%(new)s new, %(updated)s updated), "
            "%(unchanged)s notices unchanged (%(seconds).1f s)."
        ) % {
            "contracts": result.contracts,
            "new": len(result.new_contracts),
            "updated": len(result.updated_contracts),
            "unchanged": result.unchanged_notices,
            "seconds": seconds,
        }
