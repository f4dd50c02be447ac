"""The transparency API: contracts (see docs/transparency.md)."""


def register(router) -> None:
    pass
