"""Background jobs of transparency (Celery; in-process when no broker is set).

- `expire_due_mous`: daily (CELERY_BEAT_SCHEDULE "transparency-expire-mous"; in the embedded setup
  `rdec expire_mous` from cron): MOUs signed or in force whose term has ended become 'expired'
  unless they renew automatically (services.mous.expire_due_mous). Idempotent.
- `publish_open_data`: nightly ("transparency-open-data"; embedded: `rdec publish_transparency_data`):
  the three registers' datasets in the open data catalog regenerated (opendata.publish_registers).
- `weekly_digest`: Mondays ("transparency-digest"; embedded: `rdec transparency_reminders`): each
  agency's disclosure follow-up by e-mail, the whole city's to the RDEC (reminders.py).
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


@shared_task(name="rdec.transparency.tasks.weekly_digest")
def weekly_digest() -> int:
    from rdec.transparency.reminders import send_weekly_digest

    return send_weekly_digest()
