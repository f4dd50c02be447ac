from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from rdec.core.management.importing import ImportCommand
from rdec.core.tabular import ImportFailed
from rdec.polls import services


class Command(ImportCommand):
    help = _(
        "Import a poll's fieldwork file (CSV in UTF-8 or Big5, .xlsx or SPSS .sav) into the poll SLUG: one row "
        "per case with case_id, frame, district, disposition (the AAPOR code), sex, age_band, education, an "
        "optional base_weight and the answers Q1, Q2, ... Columns that look like phone numbers are dropped. Every "
        "row is checked first; any error is reported by row and column and nothing is imported."
    )
    failure = ImportFailed

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG")
        super().add_arguments(parser)
        parser.add_argument("--create", action="store_true", help="make a draft poll SLUG from the file")
        parser.add_argument("--title", default="", help="the title of the poll made by --create")

    def handle(self, *args, **options):
        self.slug = options["slug"]
        self.create = options["create"]
        self.title = options["title"]
        if self.create and not self.title:
            raise CommandError(_("--create needs --title."))
        super().handle(*args, **options)

    def as_user(self, data, filename, actor):
        return services.import_responses(
            self.slug, data, filename, actor=actor, create=self.create, title=self.title
        )

    def as_system(self, data, filename):
        return services.import_responses(self.slug, data, filename, create=self.create, title=self.title)

    def summary(self, result, seconds):
        text = _(
            "%(cases)s cases imported in %(seconds).1f s: %(completes)s complete interviews, questions %(questions)s."
        ) % {
            "cases": result.cases,
            "seconds": seconds,
            "completes": result.completes,
            "questions": ", ".join(result.questions) or "—",
        }
        if result.dropped:
            text += "\n" + _("Dropped (phone numbers are never kept): %(columns)s.") % {
                "columns": ", ".join(result.dropped)
            }
        return text
