"""Reads of participation scoped to a user. Public pages never read phone or e-mail."""

from __future__ import annotations

# --- proposals (提點子) ---------------------------------------------------------------------------

# --- consultations (眾開講) -----------------------------------------------------------------------

# --- conversations (Pol.is) ----------------------------------------------------------------------

# --- statistics (strategy 10-1-1 live sources) -----------------------------------------------------
