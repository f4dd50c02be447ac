"""Following proposals and consultations, and the notices (e-mail, SMS, LINE) to followers."""

from __future__ import annotations

__all__: list[str] = []
