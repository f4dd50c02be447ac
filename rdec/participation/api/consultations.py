"""API of consultations: viewsets and serializers."""

from __future__ import annotations


def register(router) -> None:
    pass
