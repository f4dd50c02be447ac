"""Background jobs of transparency (Celery; in-process when no broker is set).

- `expire_due_mous`: daily (CELERY_BEAT_SCHEDULE "transparency-expire-mous"; in the embedded setup
  `rdec expire_mous` from cron): MOUs signed or in force whose term has ended become 'expired'
  unless they renew automatically (services.mous.expire_due_mous). Idempotent.
- `publish_open_data`: nightly ("transparency-open-data"; embedded: `rdec publish_transparency_data`):
  the three registers' datasets in the open data catalog regenerated (opendata.publish_registers).
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="rdec.transparency.tasks.expire_due_mous")
def expire_due_mous() -> None:
    from rdec.transparency.services import mous

    mous.expire_due_mous()


@shared_task(name="rdec.transparency.tasks.publish_open_data")
def publish_open_data() -> dict:
    from rdec.transparency.opendata import publish_registers

    return publish_registers()
