"""Transparency pages: ocds (see docs/transparency.md)."""

urlpatterns: list = []
