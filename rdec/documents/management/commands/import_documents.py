from django.utils.translation import gettext as _

from rdec.core.management.importing import ImportCommand
from rdec.documents import importer, services


class Command(ImportCommand):
    help = _(
        "Import document records exported by the document system from a CSV (UTF-8 or Big5) or .xlsx "
        "file with the columns doc_no, agency, doc_class, speed, received_on, due_on, closed_on. Every row "
        "is checked first; any error is reported by row and column and nothing is imported. A document "
        "number already imported for the same agency is updated."
    )
    failure = importer.ImportFailed

    def as_user(self, data, filename, actor):
        return services.import_documents(data, actor=actor, filename=filename)

    def as_system(self, data, filename):
        return importer.import_file(data, filename)

    def summary(self, result, seconds):
        return _(
            "%(rows)s rows imported in %(seconds).1f s: %(created)s documents added, %(updated)s updated."
        ) % {"rows": result.rows, "seconds": seconds, "created": result.created, "updated": result.updated}
