"""Load and validate leaflet sources into the document model.

The loader (``discover``, ``load_folder``, ``load_leaflet``) is imported when first asked
for, not with the package: a writer process needs some of its small modules (``numbers``,
``yamlsrc``) but never the loader, whose import (markdown-it, PyYAML, the source checks: about
0.03 s of CPU) lay on the path of a PDF + DOCX build's early process (``build.early``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lmets_docs.source.loader import discover, load_folder, load_leaflet

__all__ = ["discover", "load_folder", "load_leaflet"]


def __getattr__(name: str) -> object:
    """Return the loader's function ``name`` (imported now, once)."""
    if name in __all__:
        return getattr(importlib.import_module("lmets_docs.source.loader"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
