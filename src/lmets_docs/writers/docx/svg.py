"""Put an SVG picture into a DOCX: a PNG drawn from it, with the SVG itself as the alternative.

python-docx inserts only raster images, and Word before 2016 and many other readers show only
those. Word 2016 and later (and LibreOffice) show the SVG named by the picture's ``svgBlip``
extension, and fall back to the PNG: the picture stays sharp where it can, and is seen
everywhere. The PNG is drawn by the PDF's own renderer (``svg_png``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.text.run import Run
from lxml import etree

SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
"""The ``a:ext`` uri under which Word keeps a picture's SVG (MS-ODRAWXML 2.3.1.32)."""
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
EMU_PER_CSS_PX = 9525
SVG_CONTENT_TYPE = "image/svg+xml"


def add_svg_picture(run: Run, path: Path, folders: list[Path]) -> Any:
    """Add the SVG at ``path`` to ``run`` as a picture at its own size; return the shape."""
    from lmets_docs.writers.pdf.svg_png import draw  # noqa: PLC0415 (WeasyPrint: only for an SVG)

    drawn = draw(path, folders)
    shape = run.add_picture(io.BytesIO(drawn.png), Emu(round(drawn.width_px * EMU_PER_CSS_PX)),
                            Emu(round(drawn.height_px * EMU_PER_CSS_PX)))
    part = run.part
    svg = Part(part.package.next_partname("/word/media/image%d.svg"), SVG_CONTENT_TYPE,
               path.read_bytes(), part.package)
    blip = shape._inline.find(".//" + qn("a:blip"))
    extensions = blip.find(qn("a:extLst"))
    if extensions is None:
        extensions = etree.SubElement(blip, qn("a:extLst"))
    extension = etree.SubElement(extensions, qn("a:ext"), uri=SVG_EXTENSION)
    svg_blip = etree.SubElement(extension, f"{{{ASVG}}}svgBlip", nsmap={"asvg": ASVG})
    svg_blip.set(qn("r:embed"), part.relate_to(svg, RELATIONSHIP_TYPE.IMAGE))
    return shape
