import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.participation.polis_import import ImportFailed, import_polis


class Command(BaseCommand):
    help = _(
        "Import a Pol.is export as a conversation: DIR holds comments.csv and votes.csv (optionally "
        "summary.csv; .csv.gz also read). Voter ids are kept as the participants' ids; comments moderated "
        "out (moderated = -1) are left out. Every row is checked first; errors are reported by file and line "
        "and nothing is imported. Importing again into the same short name replaces the earlier import."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument(
            "--slug", required=True, help="the conversation's short name (letters, digits, -, _)"
        )
        parser.add_argument("--title", help="the conversation's title (default: summary.csv's topic)")
        parser.add_argument(
            "--attribution", help="the attribution shown with the data (default: Pol.is's CC BY 4.0 text)"
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            result = import_polis(
                options["directory"],
                slug=options["slug"],
                title=options.get("title"),
                attribution=options.get("attribution"),
            )
        except ImportFailed as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                _("%(count)s error(s); nothing was imported.") % {"count": len(exc.errors)}
            ) from exc
        groups = len(result.conversation.result.get("groups", []))
        self.stdout.write(
            _(
                "%(slug)s: %(statements)s statements (%(hidden)s moderated out, left out), %(participants)s "
                "participants, %(votes)s votes, %(groups)s opinion groups, in %(seconds).1f s."
            )
            % {
                "slug": result.conversation.slug,
                "statements": result.statements,
                "hidden": result.hidden,
                "participants": result.participants,
                "votes": result.votes,
                "groups": groups,
                "seconds": time.monotonic() - started,
            }
        )
