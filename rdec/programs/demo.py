"""Demo content of the programmes (`rdec demo` calls `seed(stdout)`), one part each."""

from __future__ import annotations


def seed(stdout=None, **kwargs) -> None:
    from rdec.programs import demo_revitalisation

    demo_revitalisation.seed(stdout=stdout, **kwargs)
