"""The names an XLIFF file of lmets-docs uses: namespaces, code types, note categories."""

from __future__ import annotations

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
LMETS_NS = "urn:lmets-docs:xliff:1"
X = f"{{{XLIFF_NS}}}"
L = f"{{{LMETS_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
VERSION = "2.0"
FACT_SUBTYPE = "lmets:fact"
BOLD_SUBTYPE = "xlf:b"
FACT_NOTE = "lmets:fact"
TERM_NOTE = "lmets:glossary"
KIND_NOTE = "lmets:kind"
INITIAL, TRANSLATED = "initial", "translated"
FILE_ID = "f1"
