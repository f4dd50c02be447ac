"""consultations: write use cases (see services/__init__.py)."""

from __future__ import annotations

__all__: list[str] = []
