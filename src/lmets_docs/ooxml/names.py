"""Name the XML namespaces of a DOCX once: for the writer, ``check`` and the importers.

``NS`` maps the usual prefixes to their namespaces (for lxml's ``find(..., NS)``); the
``{namespace}`` forms (Clark notation) build tag and attribute names. The source map's own
namespace is here too: the DOCX writer stores it and the importers read it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_XML_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
SOURCE_MAP_NS = "urn:lmets-docs:source-map:1"
"""The custom XML part in which the DOCX writer records the source map (``ooxml.ids``)."""
LINK_ADDRESS_TAG = "link-address"
"""The tag of the locked content control in which the DOCX writer prints a link's address
after its words (" (www.nhs.uk/…)"): for the reader of the paper, not the author's text, so
``check`` compares it with the link's target and the importers leave it out."""

NS: Mapping[str, str] = MappingProxyType({
    "w": W_NS,
    "wp": WP_NS,
    "cp": CP_NS,
    "dc": DC_NS,
    "op": CUSTOM_PROPS_NS,
    "vt": VT_NS,
})
"""Prefix → namespace, for lxml's ``find`` and ``iterfind``."""


def clark(namespace: str) -> str:
    """Return a namespace as the prefix of lxml's tag names: ``{namespace}``."""
    return f"{{{namespace}}}"


W = clark(W_NS)
R = clark(R_NS)
REL = clark(REL_NS)
TYPES = clark(TYPES_NS)
WP = clark(WP_NS)
A = clark(A_NS)
CHART = clark(CHART_NS)
DS = clark(CUSTOM_XML_NS)
SM = clark(SOURCE_MAP_NS)
