"""The transparency API: mous (see docs/transparency.md)."""


def register(router) -> None:
    pass
