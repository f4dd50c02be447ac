"""The programmes' API under /api/v1/programs/ (mounted by rdec.core.api.urls)."""

from rdec.programs.api import calls, fields, research, revitalisation


def register(router) -> None:
    calls.register(router)
    fields.register(router)
    revitalisation.register(router)
    research.register(router)
