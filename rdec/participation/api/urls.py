"""Participation's API under /api/v1/participation/ (mounted by rdec.core.api.urls)."""

from rdec.participation.api import consultations, conversations, proposals


def register(router) -> None:
    proposals.register(router)
    consultations.register(router)
    conversations.register(router)
