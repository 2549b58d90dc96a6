"""Draw an SVG image as a PNG for formats that cannot take SVG (python-docx, older Word).

The drawing is WeasyPrint's, the engine that draws the same SVG into the PDF, so the DOCX
shows the picture the PDF prints, and it goes through the same fetcher: a resource outside
the leaflet folder (``file:///etc/passwd``, ``https://``) stops the build, as in the PDF.
WeasyPrint makes a one-page PDF of exactly the image's size; pdfium (pypdfium2) rasterizes
it at ``DPI``. Why not cairosvg: a second SVG renderer would draw some pictures differently
from the PDF, and it needs the cairo library that nothing else here uses.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from lmets_docs.errors import BuildError

DPI = 300
"""Dots per inch of the PNG at the picture's own size: sharp in print, small in a DOCX."""
CSS_PX_PER = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54,
              "mm": 96 / 25.4, "q": 96 / 101.6}
DEFAULT_SIZE = (300.0, 150.0)
"""CSS's size for a replaced element that gives none (a browser shows such an SVG so)."""
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Drawn:
    """A PNG drawn from an SVG, and the SVG's own size in CSS pixels (1/96 inch)."""

    png: bytes
    width_px: float
    height_px: float


def svg_size(svg: bytes) -> tuple[float, float]:
    """Return an SVG's size in CSS pixels: its width and height, or its viewBox's shape."""
    root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True))
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = [float(v) for v in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if v]
    ratio = box[3] / box[2] if len(box) == 4 and box[2] > 0 and box[3] > 0 else None
    if width and height:
        return width, height
    if ratio is None:
        return width or DEFAULT_SIZE[0], height or DEFAULT_SIZE[1]
    if height:
        return height / ratio, height
    return (width or DEFAULT_SIZE[0]), (width or DEFAULT_SIZE[0]) * ratio


def _length(value: str | None) -> float | None:
    """Return an absolute SVG length in CSS pixels (None for none, %, em or nonsense)."""
    match = _LENGTH.fullmatch(value or "")
    if not match or match.group(2).lower() not in CSS_PX_PER or float(match.group(1)) <= 0:
        return None
    return float(match.group(1)) * CSS_PX_PER[match.group(2).lower()]


def draw(path: Path, folders: list[Path]) -> Drawn:
    """Draw the SVG file at ``path`` as a PNG; resources only from ``folders``."""
    svg = path.read_bytes()
    try:
        width, height = svg_size(svg)
    except etree.XMLSyntaxError as exc:
        raise BuildError(f"{path}: is not a well-formed SVG file ({exc})") from exc
    pdf = _pdf(path, width, height, folders)
    return Drawn(_rasterize(pdf), width, height)


def _pdf(path: Path, width: float, height: float, folders: list[Path]) -> bytes:
    """Return a one-page PDF of exactly the image's size with the image on it."""
    from weasyprint import HTML  # noqa: PLC0415 (heavy: only when a leaflet has an SVG)

    from lmets_docs.writers.pdf.fetch import LeafletFetcher  # noqa: PLC0415

    page = (f"<style>@page {{ size: {width}px {height}px; margin: 0 }} html, body {{ margin: 0 }}"
            f"img {{ display: block; width: {width}px; height: {height}px }}</style>"
            f'<img src="{path.resolve().as_uri()}" alt="">')
    from lmets_docs.build import stop  # noqa: PLC0415
    from lmets_docs.writers.pdf import PICTURE_FAILURES, weasyprint_problems  # noqa: PLC0415

    fetcher = LeafletFetcher(folders, [path])
    with weasyprint_problems() as problems:
        pdf: bytes = HTML(string=page, base_url=str(path.parent),
                          url_fetcher=fetcher).write_pdf()
    stop.raise_if_stopped()  # WeasyPrint swallows a stop while it draws an SVG
    if fetcher.refused:  # WeasyPrint only warns when it drops an SVG's resource
        raise BuildError(f"{path}: {fetcher.refused[0]}")
    missing = [p for p in problems if p.startswith(PICTURE_FAILURES)]
    if missing:
        raise BuildError(f"{path}: the picture could not be drawn: WeasyPrint: {missing[0]}")
    return pdf


def _rasterize(pdf: bytes) -> bytes:
    import pypdfium2  # noqa: PLC0415

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=DPI / 72).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(DPI, DPI))
    return out.getvalue()
