from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.opendata import quality_run
from rdec.opendata.models import Dataset


class Command(BaseCommand):
    help = _(
        "Run the machine quality check on every resource of every published dataset, or of one dataset "
        "(--dataset NAME or identifier); linked resources are fetched with bounded concurrency and a "
        "delay between requests to one host. --snapshot also stores today's badges by agency."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dataset", help="the dataset's URL name or identifier")
        parser.add_argument("--concurrency", type=int, help="fetches under way at once")
        parser.add_argument("--delay", type=float, help="seconds between two requests to one host")
        parser.add_argument("--snapshot", action="store_true", help="store today's badges by agency")
        parser.add_argument("--no-notify", action="store_true", help="do not e-mail agencies of lower badges")

    def handle(self, *args, **options):
        dataset = None
        if options.get("dataset"):
            key = options["dataset"]
            dataset = (
                Dataset.objects.filter(name=key).first() or Dataset.objects.filter(identifier=key).first()
            )
            if dataset is None:
                raise CommandError(_("No dataset is named %(name)s.") % {"name": key})
        result = quality_run.run(
            quality_run.resources_to_check(dataset),
            concurrency=options.get("concurrency"),
            delay=options.get("delay"),
            notify=not options.get("no_notify"),
        )
        self.stdout.write(
            _("%(count)s resources checked in %(seconds).1f s: %(badges)s")
            % {
                "count": result.checked,
                "seconds": result.seconds,
                "badges": ", ".join(f"{k} {v}" for k, v in sorted(result.badges.items())) or "-",
            }
        )
        if options.get("snapshot"):
            quality_run.take_snapshot()
