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


def image_problem(path: Path, folder: Path) -> str | None:
    """Return what is wrong with an image file, or None if the writers can use it.

    ``folder``: the leaflet folder, the only place an SVG may draw a file from.

    Pillow and lxml are imported here, not with the module: most leaflets have no picture,
    and every build's serial start loads this module (about 20 ms of imports).
    """
    if path.suffix.lower() == ".svg":
        return svg_problem(path, folder)
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
