"""Load and validate leaflet sources into the document model."""

from __future__ import annotations

from lmets_docs.source.loader import discover, load_folder, load_leaflet

__all__ = ["discover", "load_folder", "load_leaflet"]
