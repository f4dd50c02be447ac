"""Background jobs of document timeliness (Celery; in-process when no broker is set).

`recount_documents(since)` counts the documents received on or after `since` again after a rule
version was saved (services.save_rule_version queues it on commit). After a change of the office
calendar, run `rdec recount_documents` (the same function for every document).
"""

from __future__ import annotations

import datetime

from celery import shared_task

from rdec.documents import importer


@shared_task
def recount_documents(since: str | None = None) -> None:
    importer.recount(datetime.date.fromisoformat(since) if since else None)
