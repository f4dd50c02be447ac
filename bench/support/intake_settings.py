"""Settings for bench/petitions_intake.py: the product's settings with a URL conf that adds the
bench-only floor endpoint. Never used by the product."""

from rdec.settings import *  # noqa: F403

ROOT_URLCONF = "intake_urls"
