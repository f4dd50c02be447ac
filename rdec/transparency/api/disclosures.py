"""The transparency API: disclosures (see docs/transparency.md)."""


def register(router) -> None:
    pass
