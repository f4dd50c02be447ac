"""眾開講 test helpers: verified citizens with a phone and an e-mail, and consultations made through
the services on a fixed day (the clock is frozen by the tests)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from rdec.core.models import Agency, Role
from rdec.core.tests.factories import UserFactory
from rdec.participation import services
from rdec.participation.models import Consultation

DAY = datetime.date(2026, 10, 5)  # a Monday
NOON = datetime.datetime(2026, 10, 5, 4, 0, tzinfo=datetime.UTC)  # 12:00 in Taipei
PHONES = ["0912345678", "0922333444", "0933555666", "0944777888"]


def verified_citizen(n: int = 0, *, display_name: str | None = None) -> object:
    return UserFactory(
        username=f"commenter{n}",
        role=Role.CITIZEN,
        display_name=f"熱心市民{n}" if display_name is None else display_name,
        email=f"commenter{n}@example.tw",
        phone=PHONES[n % len(PHONES)],
        phone_verified_at=timezone.now(),
        email_verified_at=timezone.now(),
    )


def consultation_values(**extra) -> dict:
    values = {
        "title": "公共自行車 iBike 站點規劃",
        "background": "本市 iBike 站點將擴充至 1,500 站，請市民提供新設站點與調整意見。",
        "questions": "您希望在哪些地點新設站點？\n現有站點有哪些需要調整？",
        "stage": Consultation.Stage.BEFORE,
        "agency": Agency.objects.get(code="construction"),
        "opens_on": DAY,
        "closes_on": DAY + datetime.timedelta(days=14),
    }
    values.update(extra)
    return values


def open_consultation(actor, **extra) -> Consultation:
    c = services.create_consultation(actor=actor, **consultation_values(**extra))
    return services.publish_consultation(c, actor=actor, today=c.opens_on)
