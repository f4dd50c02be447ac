from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.core.tabular import ImportFailed
from rdec.security import services


class Command(BaseCommand):
    help = _(
        "Load vulnerability feeds: NVD CVE API 2.0 JSON, CVE JSON 5 records (one per file or JSONL) and the "
        "CISA KEV catalog, in any order. Re-loading a file changes nothing; a record modified since is "
        "updated, and the assets it concerns are matched again."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, **options):
        summary = services.ImportSummary()
        for path in options["files"]:
            try:
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
            except OSError as exc:
                raise CommandError(str(exc)) from exc
            try:
                services.import_feed_text(text, actor=None, filename=path, summary=summary)
            except ImportFailed as exc:
                raise CommandError("\n".join(exc.errors)) from exc
        self.stdout.write(
            _(
                "CVEs: %(created)s new, %(updated)s updated, %(unchanged)s unchanged; KEV: %(kc)s new, "
                "%(ku)s updated, %(kn)s unchanged; findings: %(opened)s new, %(reopened)s reopened, %(closed)s closed."
            )
            % {
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "kc": summary.kev_created,
                "ku": summary.kev_updated,
                "kn": summary.kev_unchanged,
                "opened": summary.findings_opened,
                "reopened": summary.findings_reopened,
                "closed": summary.findings_closed,
            }
        )
