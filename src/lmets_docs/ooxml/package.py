"""Open a DOCX safely: a zip package judged by its directory before anything is decompressed.

A DOCX is a zip of XML parts, and a zip can be a bomb. Before decompressing anything this
module checks the file's size, the entry count in the end-of-directory record (before Python's
zipfile reads the directory), then each entry's declared size and compression ratio and their
total. Only the few parts an import needs are read, each with a hard cap on the bytes really
decompressed (a directory can lie), and parsed by lxml without entities, DTDs, network access
or huge trees. Every failure is an ``ImportDocxError`` that says what the file is instead.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from types import TracebackType
from typing import Any

from lxml import etree

from lmets_docs.errors import ImportDocxError, UnsafeFileError
from lmets_docs.source.files import read_file

MIB = 1 << 20
MAX_FILE_BYTES = 64 * MIB
MAX_ENTRIES = 2000
MAX_DIRECTORY_BYTES = MAX_ENTRIES * 1024
MAX_ENTRY_BYTES = 128 * MIB
MAX_TOTAL_BYTES = 512 * MIB
MAX_RATIO = 100
RATIO_FROM_BYTES = 1 * MIB
"""Entries smaller than this may compress as well as they like (small XML compresses well)."""
MAX_PART_BYTES = 32 * MIB
"""The most bytes decompressed from any one part the import reads."""
END_OF_DIRECTORY = b"PK\x05\x06"
MAX_COMMENT = 0xFFFF
NOT_DOCX = {
    b"%PDF": "a PDF file",
    b"\xd0\xcf\x11\xe0": "an old Word 97-2003 (.doc) file or a password-protected document; "
                         "save it from Word as an unprotected .docx",
    b"{\\rtf": "an RTF file; save it from Word as .docx",
    b"<?xml": "an XML file (Word 2003 XML?); save it from Word as .docx",
}
ODF = b"application/vnd.oasis.opendocument."
"""The start of an OpenDocument file's ``mimetype`` (stored first and uncompressed)."""
Element = Any
"""An lxml element (lxml ships no type stubs)."""


def xml_parser() -> etree.XMLParser:
    """Return an lxml parser that expands no entities, loads no DTD and never goes online."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, dtd_validation=False)


class Package:
    """An open DOCX whose directory passed the checks; read its parts by name."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self._archive = archive
        self.names = frozenset(archive.namelist())

    def __enter__(self) -> Package:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._archive.close()

    def read(self, name: str) -> bytes:
        """Return a part's bytes, decompressing at most ``MAX_PART_BYTES``."""
        try:
            with self._archive.open(name) as handle:
                data = handle.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
                NotImplementedError) as exc:
            raise ImportDocxError(f"{self.path}: {name}: the DOCX is corrupt ({exc})") from exc
        if len(data) > MAX_PART_BYTES:
            raise ImportDocxError(f"{self.path}: {name}: part is larger than "
                                  f"{MAX_PART_BYTES // MIB} MiB; refused")
        return data

    def xml(self, name: str) -> Element | None:
        """Return a part parsed as XML, or None when the package has no such part."""
        return parse_xml(self.path, name, self.read(name)) if name in self.names else None


def parse_xml(path: Path, name: str, data: bytes) -> Element:
    """Parse one part safely; refuse malformed XML and any document type declaration."""
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise ImportDocxError(f"{path}: {name}: the DOCX is corrupt (not well-formed XML: "
                              f"{exc})") from exc
    if root.getroottree().docinfo.doctype:
        raise ImportDocxError(f"{path}: {name}: has a document type declaration, which Word "
                              "never writes; refused")
    return root


def open_package(path: Path) -> Package:
    """Open ``path`` as a DOCX after checking its size and its zip directory."""
    data = _read(path)
    head, entries = data[:8], _entry_count(path, data[-(MAX_COMMENT + 22):])
    if not head.startswith(b"PK"):
        raise ImportDocxError(f"{path}: not a DOCX: {_what(head)}")
    if data[30:38] == b"mimetype" and data[38:].startswith(ODF):  # the ODF spec: first entry
        raise ImportDocxError(
            f"{path}: not a DOCX: it is an OpenDocument file (.odt, LibreOffice's own format); "
            "open it in LibreOffice Writer and save it with File, Save As, 'Word 2007-365 "
            "(.docx)', then import that .docx (its hidden bookmarks and properties are kept)")
    if entries > MAX_ENTRIES:
        raise ImportDocxError(f"{path}: refused: the zip lists {entries} entries (a DOCX has a "
                              f"few dozen; at most {MAX_ENTRIES} are read)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportDocxError(f"{path}: not a DOCX, or a corrupt one: {exc}") from exc
    try:
        check_directory(path, archive.infolist())
    except ImportDocxError:
        archive.close()
        raise
    return Package(path, archive)


def _read(path: Path) -> bytes:
    """Return the file's bytes: a regular file only (never a FIFO or a device), within size."""
    try:
        return read_file(path, MAX_FILE_BYTES, f"a leaflet's DOCX (at most "
                         f"{MAX_FILE_BYTES // MIB} MiB)")
    except UnsafeFileError as exc:
        raise ImportDocxError(f"{path}: {exc}") from exc


def _entry_count(path: Path, tail: bytes) -> int:
    # The end-of-central-directory record says how many entries and how many bytes of
    # directory follow; read it before zipfile parses a directory of any size.
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or len(tail) - at < 22:
        return 0
    count = int.from_bytes(tail[at + 10:at + 12], "little")
    directory = int.from_bytes(tail[at + 12:at + 16], "little")
    if count == 0xFFFF or directory > MAX_DIRECTORY_BYTES:
        raise ImportDocxError(f"{path}: refused: the zip's directory is too large "
                              f"({count} entries, {directory} bytes) for a DOCX")
    return count


def _what(head: bytes) -> str:
    for magic, what in NOT_DOCX.items():
        if head.startswith(magic):
            return f"it is {what}"
    if not head:
        return "the file is empty"
    return "a DOCX is a zip package (it starts with 'PK'), and this file is not one"


def check_directory(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip whose directory promises too much: entries, sizes, ratios, total."""
    if len(entries) > MAX_ENTRIES:
        raise ImportDocxError(f"{path}: refused: the zip has {len(entries)} entries")
    total = 0
    for entry in entries:
        _check_entry(path, entry)
        total += entry.file_size
        if total > MAX_TOTAL_BYTES:
            raise ImportDocxError(f"{path}: refused: the zip would unpack to more than "
                                  f"{MAX_TOTAL_BYTES // MIB} MiB (a zip bomb?)")


def _check_entry(path: Path, entry: zipfile.ZipInfo) -> None:
    where = f"{path}: {entry.filename}"
    if entry.flag_bits & 0x1:
        raise ImportDocxError(f"{where}: the DOCX is encrypted; save it without a password")
    if entry.file_size > MAX_ENTRY_BYTES:
        raise ImportDocxError(f"{where}: refused: it would unpack to {entry.file_size // MIB} "
                              f"MiB (a zip bomb?)")
    ratio = entry.file_size / max(entry.compress_size, 1)
    if entry.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
        raise ImportDocxError(f"{where}: refused: it would unpack to {ratio:.0f} times its "
                              f"size ({entry.file_size // MIB} MiB; a zip bomb?)")
