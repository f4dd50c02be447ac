"""Demo content of participation (called by `rdec demo` through rdec.core's demo hook)."""

from __future__ import annotations


def seed(stdout=None, size: int | None = None) -> None:
    seed_conversations(stdout)
    seed_consultations(stdout)
    seed_proposals(stdout)


# --- proposals (提點子) ---------------------------------------------------------------------------


def seed_proposals(stdout=None) -> None:
    pass


# --- consultations (眾開講) -----------------------------------------------------------------------


def seed_consultations(stdout=None) -> None:
    pass


# --- conversations (Pol.is): the vTaiwan UberX conversation ----------------------------------------


def seed_conversations(stdout=None) -> None:
    pass
