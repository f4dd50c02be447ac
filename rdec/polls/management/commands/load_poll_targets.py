from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from rdec.core.management.importing import ImportCommand
from rdec.core.tabular import ImportFailed
from rdec.polls import services
from rdec.polls.models import Survey


class Command(ImportCommand):
    help = _(
        "Load the population targets of the poll SLUG from a CSV file with the columns variable, category, share "
        "and optionally vintage and source. Each variable must name a column of the fieldwork file and its shares "
        "must sum to 1 (± 0.001); otherwise nothing is loaded."
    )
    failure = ImportFailed

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG")
        super().add_arguments(parser)

    def handle(self, *args, **options):
        self.survey = Survey.objects.filter(slug=options["slug"]).first()
        if self.survey is None:
            raise CommandError(_("No poll named %(slug)s.") % {"slug": options["slug"]})
        super().handle(*args, **options)

    def as_user(self, data, filename, actor):
        return services.load_targets(self.survey, data, filename, actor=actor)

    def as_system(self, data, filename):
        return services.load_targets(self.survey, data, filename)

    def summary(self, result, seconds):
        return _("%(count)s targets loaded for %(variables)s.") % {
            "count": len(result),
            "variables": ", ".join(sorted({t.variable for t in result})),
        }
