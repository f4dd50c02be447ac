"""Who may do what in participation: `can_<action>(user, obj=None) -> bool` (rdec.core.permissions)."""

from __future__ import annotations

from rdec.core.models import Role  # noqa: F401
from rdec.core.permissions import has_role, is_oversight  # noqa: F401

# --- proposals (提點子) ---------------------------------------------------------------------------

# --- consultations (眾開講) -----------------------------------------------------------------------

# --- conversations (Pol.is) ----------------------------------------------------------------------

# --- identity, following and notices ---------------------------------------------------------------
