from __future__ import annotations

from rdec.core.context import acting_as
from rdec.petitions import services
from rdec.petitions.models import Category


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def file(actor=None, *, code: str = "pothole", **kwargs):
    """File a case the way a citizen would (web), returning (case, tracking code)."""
    values = {
        "channel": "web",
        "category": category(code),
        "subject": "西屯路二段路面坑洞",
        "description": "西屯路二段與河南路口有一個大坑洞，機車經過很危險，請盡速修補。",
        "address": "臺中市西屯區西屯路二段256號",
        "lat": 24.1615,
        "lon": 120.6469,
        "petitioner_name": "王小明",
        "petitioner_phone": "0912-345-678",
        "petitioner_email": "wang@example.com",
    }
    values.update(kwargs)
    with acting_as(actor):
        return services.file_case(actor=actor, **values)
