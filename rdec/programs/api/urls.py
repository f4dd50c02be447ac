"""The programmes' API under /api/v1/programs/ (mounted by rdec.core.api.urls)."""

from rdec.programs.api import calls, fields


def register(router) -> None:
    calls.register(router)
    fields.register(router)
    from rdec.programs.api import revitalisation

    revitalisation.register(router)
