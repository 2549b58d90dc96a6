"""Find a DOCX's parts the way Word does: by the relationships of the main document.

Word shows a header, a footnote or an imported chunk because ``document.xml.rels`` points
at it, whatever the part is called; so ``check`` follows the same relationships instead of
guessing from file names; so does the importer. The package is opened with the zip-bomb-safe
reader (``ooxml.package``).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from lmets_docs.ooxml.names import REL, TYPES
from lmets_docs.ooxml.package import Package

MAIN = "word/document.xml"
Element = Any
"""An lxml element (lxml ships no type stubs)."""


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its kind (the last word of its type) and its target."""

    kind: str
    target: str
    external: bool


def relationships(package: Package, part: str) -> dict[str, Relationship]:
    """Return a part's relationships by id, internal targets resolved to part names."""
    folder, name = posixpath.split(part)
    root = package.xml(posixpath.join(folder, "_rels", f"{name}.rels"))
    if root is None:
        return {}
    found: dict[str, Relationship] = {}
    for rel in root.iterfind(f"{REL}Relationship"):
        external = rel.get("TargetMode") == "External"
        target = str(rel.get("Target", ""))
        if not external:
            target = part_name(package, _resolve(folder, target))
        kind = str(rel.get("Type", "")).rsplit("/", 1)[-1]
        found[str(rel.get("Id", ""))] = Relationship(kind, target, external)
    return found


def part_name(package: Package, name: str) -> str:
    """Return the package's own spelling of a part name (OPC names ignore case and %-escapes)."""
    if name in package.names:
        return name
    wanted = unquote(name).lower()
    return next((n for n in sorted(package.names) if unquote(n).lower() == wanted), name)


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def related(package: Package, kind: str, part: str = MAIN) -> list[str]:
    """Return the names of the parts that ``part`` relates to as ``kind``, in id order."""
    rels = relationships(package, part)
    return [
        rel.target
        for _id, rel in sorted(rels.items(), key=lambda item: _id_order(item[0]))
        if rel.kind == kind and not rel.external and rel.target in package.names
    ]


def _id_order(rel_id: str) -> tuple[int, str]:
    digits = "".join(c for c in rel_id if c.isdigit())
    return (int(digits) if digits else 0, rel_id)


def content_type(package: Package, part: str) -> str:
    """Return a part's content type from ``[Content_Types].xml`` ("" if none is declared)."""
    root = package.xml("[Content_Types].xml")
    if root is None:
        return ""
    for override in root.iterfind(f"{TYPES}Override"):
        if str(override.get("PartName", "")).lstrip("/") == part:
            return str(override.get("ContentType", ""))
    extension = posixpath.splitext(part)[1].lstrip(".").lower()
    for default in root.iterfind(f"{TYPES}Default"):
        if str(default.get("Extension", "")).lower() == extension:
            return str(default.get("ContentType", ""))
    return ""
