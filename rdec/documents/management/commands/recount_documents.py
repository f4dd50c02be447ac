import datetime

from django.core.management.base import BaseCommand, CommandError

from rdec.documents import importer


class Command(BaseCommand):
    help = (
        "Count the document records again (days used, due date, closed late) under the current rule "
        "versions and office calendar; run after loading a new calendar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="only documents received on or after this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        since = None
        if options.get("since"):
            try:
                since = datetime.date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"{importer.recount(since)} documents recounted.")
