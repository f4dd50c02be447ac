"""Transparency pages: documents (see docs/transparency.md)."""

urlpatterns: list = []
