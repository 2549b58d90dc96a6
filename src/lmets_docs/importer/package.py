"""The safe DOCX reader, now shared with ``check``: see ``lmets_docs.ooxml.package``."""

from __future__ import annotations

from lmets_docs.ooxml.package import (
    MAX_PART_BYTES,
    MIB,
    Element,
    Package,
    check_directory,
    open_package,
    parse_xml,
    xml_parser,
)

__all__ = ["MAX_PART_BYTES", "MIB", "Element", "Package", "check_directory", "open_package",
           "parse_xml", "xml_parser"]
