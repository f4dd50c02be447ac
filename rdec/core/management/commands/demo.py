import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rdec.core import reference
from rdec.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, ensure_demo_accounts
from rdec.core.models import Agency, CalendarDay, District, Village
from rdec.core.registry import module_apps, optional_module


def use_demo_site_url(port: int) -> str:
    """The absolute links the demo writes (e-mails, SMS, feeds) point at the port it serves on,
    unless SITE_URL is set in the environment (settings.SITE_URL_CONFIGURED; an operator's own address wins)."""
    if not settings.SITE_URL_CONFIGURED:
        settings.SITE_URL = f"http://127.0.0.1:{port}"
    return settings.SITE_URL


class Command(BaseCommand):
    help = _(
        "Set up and serve the demo: migrate, load reference data, create an account for every role, "
        "seed demo content, and serve on 127.0.0.1 until stopped. A second run reuses the data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not serve")
        parser.add_argument(
            "--size",
            type=int,
            default=None,
            help="how many demo records each module seeds (e.g. petitions; default: the module's own)",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        # this data dir is a demo's: the published demo password is accepted here (RDEC_DEMO)
        (settings.DATA_DIR / "demo-installation").touch()
        settings.RDEC_DEMO = True
        use_demo_site_url(options["port"])
        if not getattr(settings, "RDEC_SMS_SENDER", ""):
            # SMS (phone one-time codes, petition notices) "arrive" on this terminal, masked like the demo's
            # console e-mail (rdec.core.sms.ConsoleSmsSender); an operator's own sender wins
            settings.RDEC_SMS_SENDER = "rdec.core.sms.ConsoleSmsSender"
        call_command("migrate", interactive=False, verbosity=0)
        if not (
            District.objects.exists()
            and Village.objects.exists()
            and Agency.objects.exists()
            and CalendarDay.objects.exists()
        ):
            counts = reference.load_bundled(settings.RDEC_CITY_CODE)
            self.stdout.write(_("Reference data loaded: %(counts)s") % {"counts": counts})
        ensure_demo_accounts()
        for app in module_apps():
            demo = optional_module(f"{app}.demo")
            if demo is not None and hasattr(demo, "seed"):
                kwargs = {"size": options["size"]} if options["size"] is not None else {}
                demo.seed(stdout=self.stdout, **kwargs)
        self.stdout.write(
            _("Ready in %(seconds).1f s. Demo accounts (password %(password)s):")
            % {"seconds": time.monotonic() - started, "password": DEMO_PASSWORD}
        )
        for username, role, agency, _name in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {role.label}{' / ' + agency if agency else ''}")
        if options["no_serve"]:
            return
        self.stdout.write(_("Serving on http://127.0.0.1:%(port)s/ — press Ctrl+C to stop.") % options)
        call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False, skip_checks=True)
