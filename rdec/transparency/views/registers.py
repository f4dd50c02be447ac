"""Transparency pages: registers (see docs/transparency.md)."""

urlpatterns: list = []
