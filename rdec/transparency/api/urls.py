"""Transparency's API under /api/v1/transparency/ (mounted by rdec.core.api.urls)."""

from rdec.transparency.api import contracts, disclosures, mous


def register(router) -> None:
    contracts.register(router)
    mous.register(router)
    disclosures.register(router)
