"""Tracking test helpers: meetings and items made through the services, as an RDEC officer."""

from __future__ import annotations

import datetime

from django.utils import timezone

from rdec.core.models import Agency, District
from rdec.tracking import services
from rdec.tracking.models import Item, Meeting


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def at(day: datetime.date, hour: int = 14) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def mobile_meeting(officer, *, day: datetime.date | None = None, **extra) -> Meeting:
    values = {
        "type": Meeting.Type.MOBILE,
        "title": "115年大甲區行動市政會議",
        "held_at": at(day or timezone.localdate() - datetime.timedelta(days=1)),
        "place": "大甲區公所禮堂",
        "district": District.objects.get(name="大甲區"),
        "chair_name": "市長",
        "chair_is_mayoral": True,
        "agencies": [agency("construction"), agency("tourism")],
        "representatives": [
            {"role": "district_chief", "name": "陳志明"},
            {"role": "village_chief", "name": "林美華", "note": "朝陽里"},
            {"role": "councillor", "name": "張文雄"},
        ],
    }
    values.update(extra)
    return services.create_meeting(actor=officer, **values)


DEFAULT = object()


def item(
    officer, *, owner="construction", deadline=DEFAULT, source=Item.Source.MAYOR, co=(), **extra
) -> Item:
    values = {
        "source": source,
        "title": "文心路人行道改善",
        "owner": agency(owner),
        "co_agencies": [agency(c) for c in co],
        "deadline": timezone.localdate() + datetime.timedelta(days=30) if deadline is DEFAULT else deadline,
    }
    values.update(extra)
    return services.create_item(actor=officer, **values)
