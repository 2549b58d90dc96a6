"""lmets-docs: one structured source for accessible patient leaflets."""

from __future__ import annotations

__version__ = "0.1.0"
