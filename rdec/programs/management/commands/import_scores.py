from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from rdec.core.management.importing import ImportCommand
from rdec.programs import score_import, services
from rdec.programs.models import Call


class Command(ImportCommand):
    help = _(
        "Import a paper panel's scores for the call SLUG from a CSV (UTF-8 or Big5) or .xlsx file with the "
        "columns submission (the reference), reviewer (a username), criterion (the code), score (0-100) and "
        "conflict (true/false). Every row is checked first; any error is reported by row and column and "
        "nothing is imported."
    )
    failure = score_import.ImportFailed

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG")
        super().add_arguments(parser)
        parser.add_argument("--round", default="written", choices=["written", "panel"])

    def handle(self, *args, **options):
        self.call = Call.objects.filter(slug=options["slug"]).first()
        if self.call is None:
            raise CommandError(_("No call named %(slug)s.") % {"slug": options["slug"]})
        self.round_kind = options["round"]
        super().handle(*args, **options)

    def as_user(self, data, filename, actor):
        return services.import_scores(
            data, self.call, actor=actor, filename=filename, round_kind=self.round_kind
        )

    def as_system(self, data, filename):
        return score_import.import_scores(data, self.call, filename=filename, round_kind=self.round_kind)

    def summary(self, result, seconds):
        return _(
            "%(rows)s rows imported in %(seconds).1f s: %(reviews)s reviews (%(conflicts)s with a declared conflict)."
        ) % {
            "rows": result.rows,
            "seconds": seconds,
            "reviews": result.reviews,
            "conflicts": result.conflicts,
        }
