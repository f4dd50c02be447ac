import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rdec.opendata import services
from rdec.opendata.models import Dataset, Resource


class Command(BaseCommand):
    help = _(
        "Run the machine quality check on the uploaded resources of every published dataset, or of one "
        "dataset (--dataset NAME or identifier). Linked resources are recorded as not evaluated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dataset", help="the dataset's URL name or identifier")

    def handle(self, *args, **options):
        resources = Resource.objects.filter(
            state=Resource.State.ACTIVE, dataset__state=Dataset.State.ACTIVE
        ).select_related("dataset")
        if options.get("dataset"):
            key = options["dataset"]
            dataset = (
                Dataset.objects.filter(name=key).first() or Dataset.objects.filter(identifier=key).first()
            )
            if dataset is None:
                raise CommandError(_("No dataset is named %(name)s.") % {"name": key})
            resources = resources.filter(dataset=dataset)
        started = time.monotonic()
        badges: dict[str, int] = {}
        for resource in resources.iterator(chunk_size=500):
            result = services.check_resource_quality(resource, actor=None)
            badges[result.badge] = badges.get(result.badge, 0) + 1
        self.stdout.write(
            _("%(count)s resources checked in %(seconds).1f s: %(badges)s")
            % {
                "count": sum(badges.values()),
                "seconds": time.monotonic() - started,
                "badges": ", ".join(f"{k} {v}" for k, v in sorted(badges.items())) or "-",
            }
        )
