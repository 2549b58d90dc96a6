"""An SVG figure: printed by the PDF, and in the DOCX as a PNG drawn from it with the SVG beside.

A real build of both formats (with their own checks); both files are read back: the PDF page
and the DOCX's picture are rasterized and must show the same picture, and the DOCX keeps the
SVG itself as Word's ``svgBlip`` alternative.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pypdfium2
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from PIL import Image

from lmets_docs.cli import cli
from lmets_docs.writers.pdf.svg_png import svg_size
from tests.conftest import BEFORE_DUE, DATA

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="2in" height="1in" viewBox="0 0 20 10">'
       '<rect width="20" height="10" fill="#dddddd"/><circle cx="10" cy="5" r="4" fill="#cc0000"/>'
       '</svg>')
ALT = "A simple diagram with two boxes"
GREY, RED = (221, 221, 221), (204, 0, 0)
CIRCLE = 3.14159 * 4 * 4 / (20 * 10)
"""The share of the picture the circle covers."""
ASVG = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"


@dataclass(frozen=True)
class Built:
    """The PDF and DOCX built from a leaflet whose figure is an SVG."""

    pdf: Path
    docx: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("svg") / "leaflet"
    shutil.copytree(DATA / "minimal", folder)
    (folder / "device.svg").write_text(SVG, encoding="utf-8")
    yaml = folder / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("diagram.png", "device.svg"),
                    encoding="utf-8")
    out = folder.parent / "out"
    result = CliRunner(mix_stderr=False).invoke(cli, [
        "build", str(folder), "--format", "pdf", "--format", "docx", "--out", str(out),
        "--templates", "none", "--today", BEFORE_DUE.isoformat()])
    assert result.exit_code == 0, result.stdout + result.stderr  # its own check passed too
    return Built(next(out.rglob("*.pdf")), next(out.rglob("*.docx")))


def _picture(path: Path) -> tuple[Any, Any]:
    """Return the DOCX's document and its only picture (the inline drawing)."""
    document = docx.Document(str(path))
    inlines = document.element.body.findall(".//" + qn("wp:inline"))
    assert len(inlines) == 1
    return document, inlines[0]


def _share(image: Image.Image, colour: tuple[int, int, int]) -> float:
    """Return the share of the image's pixels within a few levels of ``colour``."""
    pixels = _pixels(image)
    return sum(1 for p in pixels if _near(p, colour)) / len(pixels)


def test_the_docx_shows_a_png_drawn_from_the_svg_at_its_size(built: Built) -> None:
    document, inline = _picture(built.docx)
    extent = inline.find(qn("wp:extent"))
    assert (int(extent.get("cx")), int(extent.get("cy"))) == (2 * 914400, 914400)  # 2 x 1 in
    assert inline.find(qn("wp:docPr")).get("descr") == ALT
    blip = inline.find(".//" + qn("a:blip"))
    part = document.part.related_parts[blip.get(qn("r:embed"))]
    assert part.content_type == "image/png"
    png = Image.open(io.BytesIO(part.blob))
    assert png.size == (600, 300)  # 300 dots per inch
    assert _share(png, RED) == pytest.approx(CIRCLE, abs=0.02)
    assert _share(png, GREY) == pytest.approx(1 - CIRCLE, abs=0.02)
    assert png.convert("RGB").getpixel((300, 150)) == RED
    assert png.convert("RGB").getpixel((5, 5)) == GREY


def test_the_docx_keeps_the_svg_itself_as_the_alternative(built: Built) -> None:
    document, inline = _picture(built.docx)
    svg_blips = inline.findall(".//" + ASVG)
    assert len(svg_blips) == 1
    part = document.part.related_parts[svg_blips[0].get(qn("r:embed"))]
    assert part.content_type == "image/svg+xml"
    assert part.blob == SVG.encode()


def test_the_pdf_prints_the_same_picture(built: Built) -> None:
    pdf = pypdfium2.PdfDocument(built.pdf)
    try:  # at 72 dots per inch, the 2 x 1 inch picture is 144 x 72 dots
        pages = [pdf[i].render(scale=1).to_pil().convert("RGB") for i in range(len(pdf))]
    finally:
        pdf.close()
    red = [_share(page, RED) for page in pages]
    assert max(red) > 0, "the circle is not printed"
    page = pages[red.index(max(red))]
    mask = Image.new("L", page.size)
    mask.putdata([255 if _near(p, RED) else 0 for p in _pixels(page)])
    box = mask.getbbox()  # the circle: 8 of the picture's 20 units across, of 144 dots
    assert box is not None
    assert (box[2] - box[0], box[3] - box[1]) == pytest.approx((57.6, 57.6), abs=3)
    middle = ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
    assert _near(page.getpixel(middle), RED)
    for dx, dy in ((-60, 0), (60, 0), (0, -32), (0, 32)):  # the grey square around it
        assert _near(page.getpixel((middle[0] + dx, middle[1] + dy)), GREY), (dx, dy)


def _pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    data = image.convert("RGB").tobytes()
    return [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]


def _near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 6 for a, b in zip(pixel, colour, strict=True))


@pytest.mark.parametrize(("svg", "size"), [
    ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"/>', (200, 100)),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="72pt" height="1in"/>', (96, 96)),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="400" viewBox="0 0 20 10"/>', (400, 200)),
    ('<svg xmlns="http://www.w3.org/2000/svg" height="5cm" viewBox="0 0 2 1"/>',
     (2 * 5 * 96 / 2.54, 5 * 96 / 2.54)),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10"/>', (300, 150)),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="50%"/>', (300, 150)),
    ('<svg xmlns="http://www.w3.org/2000/svg"/>', (300, 150)),
])
def test_an_svg_is_drawn_at_the_size_css_gives_it(svg: str, size: tuple[float, float]) -> None:
    assert svg_size(svg.encode()) == pytest.approx(size)
