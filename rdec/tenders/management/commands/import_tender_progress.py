from django.utils.translation import gettext as _

from rdec.core.management.importing import ImportCommand
from rdec.tenders import importer, services


class Command(ImportCommand):
    help = _(
        "Import monthly tender progress from a CSV (UTF-8 or Big5) or .xlsx file with the columns "
        "tender_no, agency, name, type, contract_amount, month, planned_pct, actual_pct, reason. "
        "Every row is checked first; any error is reported by row and column and nothing is imported."
    )
    failure = importer.ImportFailed

    def as_user(self, data, filename, actor):
        return services.import_tender_progress(data, actor=actor, filename=filename)

    def as_system(self, data, filename):
        return importer.import_file(data, filename)

    def summary(self, result, seconds):
        return _(
            "%(rows)s rows imported in %(seconds).1f s: %(tenders)s new tenders, %(created)s months "
            "entered, %(updated)s corrected, %(late)s late."
        ) % {
            "rows": result.rows,
            "seconds": seconds,
            "tenders": result.tenders_created,
            "created": result.progress_created,
            "updated": result.progress_updated,
            "late": result.late,
        }
