"""Write the DOCX package around the text: properties, source map, deterministic zip.

python-docx models the core properties only; the custom properties (``docProps/custom.xml``)
and the source map (a custom XML part) are built here as plain parts. Saving rewrites the zip
with fixed entry times so that the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import Anchor
from lmets_docs.ooxml.names import CUSTOM_PROPS_NS, CUSTOM_XML_NS, SOURCE_MAP_NS, VT_NS

USER_PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CORE_LIMIT = 255


def set_core_properties(document: Document, leaflet: Leaflet, subject: str,
                        today: dt.date) -> None:
    """Fill title, subject, author, keywords and language; date the document ``today``."""
    core = document.core_properties
    core.title = _fit(leaflet.title)
    core.subject = _fit(subject)
    core.author = core.last_modified_by = _fit(leaflet.publisher_name)
    core.keywords = _fit_list([section.title for section in leaflet.sections])
    core.language = leaflet.lang
    core.identifier = leaflet.id
    core.comments = ""
    core.revision = 1
    core.created = core.modified = dt.datetime.combine(today, dt.time())


def _fit(text: str) -> str:
    # Core properties hold at most 255 characters.
    return text if len(text) <= CORE_LIMIT else text[:CORE_LIMIT - 1] + "…"


def _fit_list(items: Iterable[str]) -> str:
    kept: list[str] = []
    for item in items:
        if len("; ".join([*kept, item])) > CORE_LIMIT:
            break
        kept.append(item)
    return "; ".join(kept)


def add_custom_properties(document: Document, values: Mapping[str, str]) -> None:
    """Add ``docProps/custom.xml`` with one text property per item of ``values``."""
    props = "".join(
        f'<property fmtid="{USER_PROPERTY_FMTID}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), start=2)
    )
    xml = f'{XML_HEAD}<Properties xmlns="{CUSTOM_PROPS_NS}" xmlns:vt="{VT_NS}">{props}</Properties>'
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, xml.encode(), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def source_map_xml(leaflet: Leaflet, anchors: Iterable[Anchor],
                   facts: Mapping[str, str] | None = None) -> str:
    """Return the source map: which bookmark holds which source unit of which leaflet.

    Each anchor also records the unit's shape and its source text, and each fact its printed
    form, so that an importer can check the locked facts and show what changed since.
    """
    rows = "".join(
        f"<sm:anchor kind={quoteattr(a.kind)} id={quoteattr(a.id)} "
        f"bookmark={quoteattr(a.bookmark)} shape={quoteattr(a.shape)}>{escape(a.text)}"
        "</sm:anchor>" for a in anchors
    )
    rows += "".join(f"<sm:fact name={quoteattr(name)}>{escape(printed)}</sm:fact>"
                    for name, printed in (facts or {}).items())
    return (f'{XML_HEAD}<sm:sourceMap xmlns:sm="{SOURCE_MAP_NS}" leaflet={quoteattr(leaflet.id)} '
            f"lang={quoteattr(leaflet.lang)} sourceHash={quoteattr(leaflet.source_hash)}>"
            f"{rows}</sm:sourceMap>")


def add_source_map(document: Document, leaflet: Leaflet, anchors: Iterable[Anchor],
                   facts: Mapping[str, str] | None = None) -> None:
    """Store the source map as a custom XML part (Word keeps these when it saves)."""
    package = document.part.package
    item = Part(package.next_partname("/customXml/item%d.xml"), CT.XML,
                source_map_xml(leaflet, anchors, facts).encode(), package)
    store_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{SOURCE_MAP_NS}:{leaflet.id}:{leaflet.lang}")
    props_xml = (f'{XML_HEAD}<ds:datastoreItem xmlns:ds="{CUSTOM_XML_NS}" '
                 f'ds:itemID="{{{str(store_id).upper()}}}"><ds:schemaRefs>'
                 f'<ds:schemaRef ds:uri="{SOURCE_MAP_NS}"/></ds:schemaRefs></ds:datastoreItem>')
    props_name = item.partname.replace("item", "itemProps")
    props = Part(PackURI(props_name), CT.OFC_CUSTOM_XML_PROPERTIES, props_xml.encode(), package)
    item.relate_to(props, RT.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT.CUSTOM_XML)


def drop_template_leftovers(document: Document) -> None:
    """Drop the template's thumbnail and its stale Word 2010 copy of the styles."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            document.part.drop_rel(rel_id)


def save(document: Document, path: Path) -> None:
    """Save the document as a zip whose entries carry fixed times (same input, same bytes)."""
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
