"""Background jobs of the polls module (Celery; in-process when no broker is set).

- `publish_open_data(survey_id)`: queued when a poll is published or published again after a
  correction (services.publish_survey): its de-identified microdata and frequency tables sent to the
  open data catalog (opendata.publish). Idempotent: an unchanged poll leaves the dataset as it is.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="rdec.polls.tasks.publish_open_data")
def publish_open_data(survey_id: int) -> str:
    from rdec.polls.opendata import publish

    return publish(survey_id)
