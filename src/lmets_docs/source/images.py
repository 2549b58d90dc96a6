"""Prove that an image file of a leaflet is a picture the writers can read, before building.

A raster image (PNG, JPEG, GIF, BMP, TIFF: what both the PDF and the DOCX take) is opened and
verified with Pillow, refusing decompression bombs; an SVG must be well-formed XML (read
without entities or network). Anything else would pass ``validate`` and then stop the build.
"""

from __future__ import annotations

import warnings
from pathlib import Path

RASTER = ("PNG", "JPEG", "GIF", "BMP", "TIFF")


def image_problem(path: Path) -> str | None:
    """Return what is wrong with an image file, or None if the writers can use it.

    Pillow and lxml are imported here, not with the module: most leaflets have no picture,
    and every build's serial start loads this module (about 20 ms of imports).
    """
    if path.suffix.lower() == ".svg":
        return _svg_problem(path)
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind = image.format
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, OSError, SyntaxError, ValueError) as exc:
        return f"is not a picture that can be read ({exc or exc.__class__.__name__})"
    if kind not in RASTER:
        return f"is a {kind} image; use PNG, JPEG, GIF, BMP, TIFF or SVG"
    return None


def _svg_problem(path: Path) -> str | None:
    from lxml import etree  # noqa: PLC0415 (see ``image_problem``)

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        return f"is not a well-formed SVG file ({exc})"
    if etree.QName(root).localname != "svg":
        return "is not an SVG file (its root element is not <svg>)"
    return None
