"""Read an XLIFF file safely: bounded in size, parsed by lxml without entities, DTDs, network
access or huge trees, and any document type declaration refused (an XML bomb or an external
entity needs one). Then check its shape: XLIFF 2, one file of lmets-docs, one segment per unit.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from lmets_docs.errors import ImportXliffError, UnsafeFileError
from lmets_docs.source.files import read_file
from lmets_docs.xliff.codes import Element
from lmets_docs.xliff.names import KIND_NOTE, L, X

SAFE_ID = re.compile(r"[\w.:\-]{1,80}")
MIB = 1 << 20
MAX_BYTES = 16 * MIB
"""A leaflet's XLIFF file is some tens of kilobytes."""


@dataclass(frozen=True)
class FileUnit:
    """One unit of the file: its id, source, target (None if absent), state and data."""

    id: str
    source: Element
    target: Element | None
    state: str
    data: dict[str, str]
    kind: str = ""
    """The unit's ``lmets:kind`` note: what it is (a heading, a list item …)."""


@dataclass(frozen=True)
class XliffFile:
    """What an import reads from an XLIFF file."""

    path: Path
    leaflet: str
    source_lang: str
    target_lang: str
    source_hash: str
    units: list[FileUnit]
    facts: dict[str, str]
    """Every fact of the leaflet as printed when the file was made, by name."""


def parser() -> etree.XMLParser:
    """Return an lxml parser that expands no entities, loads no DTD and never goes online."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, dtd_validation=False, remove_comments=True)


def read_xliff(path: Path) -> XliffFile:
    """Return the file's languages, leaflet, source hash and units; refuse anything else."""
    root = parse(path, read_bytes(path))
    file = _the_file(path, root)
    units = [_unit(path, element) for element in file.iter(f"{X}unit")]
    twice = [key for key, count in Counter(u.id for u in units).items() if count > 1]
    if twice:
        raise ImportXliffError(f"{path}: {twice[0]}: the unit is in the file twice; keep one")
    leaflet = file.get(f"{L}leaflet") or ""
    facts = {str(f.get("name", "")): "".join(f.itertext())
             for f in file.iterfind(f"{L}facts/{L}fact")}
    return XliffFile(path, leaflet, root.get("srcLang", ""), root.get("trgLang", ""),
                     file.get(f"{L}sourceHash") or "", units, facts)


def shown(unit_id: str) -> str:
    """Return a unit id as a message may show it: as is when plain, else quoted and cut."""
    return unit_id if SAFE_ID.fullmatch(unit_id) else repr(unit_id[:80])


def read_bytes(path: Path) -> bytes:
    """Return the file's bytes, refusing one too large to be a leaflet's."""
    try:  # a regular file only: never a FIFO or a device
        return read_file(path, MAX_BYTES, f"a leaflet's XLIFF file (at most "
                         f"{MAX_BYTES // MIB} MiB)")
    except UnsafeFileError as exc:
        raise ImportXliffError(f"{path}: {exc}") from exc


def parse(path: Path, data: bytes) -> Element:
    """Parse the file; refuse malformed XML and any document type declaration."""
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        raise ImportXliffError(f"{path}: not an XLIFF file: not well-formed XML ({exc})") from exc
    if root.getroottree().docinfo.doctype or root.getroottree().docinfo.internalDTD:
        raise ImportXliffError(f"{path}: refused: the file has a document type declaration "
                               "(entities), which XLIFF files never need")
    if root.tag != f"{X}xliff" or not str(root.get("version", "")).startswith("2."):
        raise ImportXliffError(f"{path}: not an XLIFF 2 file (the root is {root.tag!r}, "
                               f"version {root.get('version')!r}); export it again with "
                               "lmets-docs export-xliff")
    return root


def _the_file(path: Path, root: Element) -> Element:
    files = root.findall(f"{X}file")
    if len(files) != 1 or files[0].get(f"{L}leaflet") is None:
        raise ImportXliffError(f"{path}: not an XLIFF file of lmets-docs (it needs one <file> "
                               "naming its leaflet); export it again with lmets-docs "
                               "export-xliff")
    if not root.get("trgLang"):
        raise ImportXliffError(f"{path}: the file names no target language (trgLang)")
    return files[0]


def _unit(path: Path, element: Element) -> FileUnit:
    unit_id = shown(str(element.get("id", "")))
    segments = element.findall(f"{X}segment")
    if len(segments) != 1 or element.find(f"{X}ignorable") is not None:
        raise ImportXliffError(f"{path}: {unit_id}: the unit has {len(segments)} segments; "
                               "lmets-docs writes one per unit (turn the tool's segmentation "
                               "off for this file)")
    source = segments[0].find(f"{X}source")
    if source is None:
        raise ImportXliffError(f"{path}: {unit_id}: the unit has no <source>")
    data = {str(d.get("id")): "".join(d.itertext())
            for d in element.iterfind(f"{X}originalData/{X}data")}
    kind = next((note.text or "" for note in element.iterfind(f"{X}notes/{X}note")
                 if note.get("category") == KIND_NOTE), "")
    return FileUnit(unit_id, source, segments[0].find(f"{X}target"),
                    str(segments[0].get("state", "")), data, kind)

