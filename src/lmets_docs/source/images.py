"""Prove that an image file of a leaflet is a picture the writers can read, before building.

A raster image (PNG, JPEG, GIF, BMP, TIFF: what both the PDF and the DOCX take) is opened and
verified with Pillow, refusing decompression bombs; an SVG must be well-formed XML (read
without entities or network) that only draws (``svg``: no script, DOCTYPE, network, bomb).
Anything else would pass ``validate`` and then stop the build, hang it or be published.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from lmets_docs.source.svg import svg_problem

RASTER = ("PNG", "JPEG", "GIF", "BMP", "TIFF")
MAX_PIXELS = 25_000_000
"""The most pixels a leaflet's picture may have (and an SVG drawn for the DOCX at 300 dpi):
a picture the width of an A4 page at 300 dpi is 2,480 pixels wide, a whole page 8.7 million;
25 million (5,000 x 5,000) leaves room to crop. Pillow's own limit, 89 million, let a 315 KB
9,000 x 9,000 PNG take 0.8 GB to build."""


def image_problem(path: Path) -> str | None:
    """Return what is wrong with an image file, or None if the writers can use it.

    Pillow and lxml are imported here, not with the module: most leaflets have no picture,
    and every build's serial start loads this module (about 20 ms of imports).
    """
    if path.suffix.lower() == ".svg":
        return svg_problem(path) or _svg_too_big(path)
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind, (width, height) = image.format, image.size
                if width * height > MAX_PIXELS:
                    return _too_many(width, height, "has")
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, OSError, SyntaxError, ValueError) as exc:
        return f"is not a picture that can be read ({exc or exc.__class__.__name__})"
    if kind not in RASTER:
        return f"is a {kind} image; use PNG, JPEG, GIF, BMP, TIFF or SVG"
    return None


def _too_many(width: int, height: int, verb: str) -> str:
    return (f"{verb} {width:,} x {height:,} pixels ({width * height / 1e6:.0f} million); a "
            f"leaflet's picture may have at most {MAX_PIXELS // 1_000_000} million (a whole A4 "
            "page at 300 dpi is 8.7 million): make it smaller")


def _svg_too_big(path: Path) -> str | None:
    """Refuse an SVG whose own size, drawn at 300 dpi for the DOCX, has too many pixels."""
    from lmets_docs.writers.pdf.svg_png import DPI, svg_size  # noqa: PLC0415

    width, height = svg_size(path.read_bytes())
    scale = DPI / 96
    drawn = round(width * scale), round(height * scale)
    if drawn[0] * drawn[1] <= MAX_PIXELS:
        return None
    return (_too_many(*drawn, f"is {width:g} x {height:g} px, drawn for the DOCX at {DPI} dpi:")
            + " (its width and height)")
