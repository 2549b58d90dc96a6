"""A leaflet folder's facts file is named in one place, ``libraryfiles.LEAFLET_FILE``: the
loader, the library's shared contacts, the pictures' text, the build's manifest, the PDF's
source places and ``check``'s languages all take it from there (review s32, hygiene).

Read from the package's own source with ``ast``: no other module has the name as a string of
its own (a message or a docstring may say it)."""

from __future__ import annotations

import ast
from pathlib import Path

from lmets_docs import libraryfiles

PACKAGE = Path(libraryfiles.__file__).parent


def spelt(path: Path) -> list[int]:
    """Return the lines where a module has the string "leaflet.yaml" (the file's name, not
    a message that names it) in its code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value == "leaflet.yaml"]


def test_only_libraryfiles_spells_the_leaflet_file() -> None:
    found = {str(path.relative_to(PACKAGE)): lines for path in sorted(PACKAGE.rglob("*.py"))
             if (lines := spelt(path))}
    assert set(found) == {"libraryfiles.py"}, found
    assert len(found["libraryfiles.py"]) == 1, found
    assert libraryfiles.LEAFLET_FILE == "leaflet.yaml"
