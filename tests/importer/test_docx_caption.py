"""A picture's caption in the DOCX: written under the picture, printed (by LibreOffice), proved
by ``check``, and imported as the figure's description (with its alternative text).

The seed leaflet is given a real picture (a PNG); the DOCX is built by the real writer,
edited as a translator would (the caption typed over, the alternative text changed, or both)
and imported; LibreOffice opens, saves and prints it.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.importer import import_docx
from lmets_docs.model import Figure
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from tests import tamper
from tests.conftest import BEFORE_DUE, SEED
from tests.docx_edit import W, edit_docx, pseudo, translate_docx
from tests.importer.test_import_docx import build_docx
from tests.importer.test_libreoffice import soffice
from tests.writers.docx.test_docx import png

DOCUMENT = "word/document.xml"
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
DESCRIPTION = "Diagram showing butterfly accessing Ventricular device"


def with_picture(folder: Path) -> Path:
    """Give the seed leaflet copy in ``folder`` a real picture file; return the folder."""
    (folder / "device.png").write_bytes(png(40, 20))
    data = folder / "leaflet.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("file: null", "file: device.png"),
                    encoding="utf-8")
    return folder


@pytest.fixture
def pictured(leaflet_dir: Path) -> Path:
    """Return a copy of the seed leaflet whose figure has a picture file."""
    return with_picture(leaflet_dir)


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the English DOCX of the seed leaflet with a picture."""
    folder = tmp_path_factory.mktemp("src") / "leptomeningeal-metastases"
    shutil.copytree(SEED, folder)
    return build_docx(load_leaflet(with_picture(folder), "en-GB"),
                      tmp_path_factory.mktemp("en"))


def paragraphs(path: Path) -> list[Any]:
    """Return the DOCX's body paragraphs (python-docx)."""
    return list(docx.Document(str(path)).paragraphs)


def picture_and_caption(path: Path) -> tuple[Any, Any]:
    """Return the paragraph holding the picture and the one after it."""
    found = paragraphs(path)
    index = next(i for i, p in enumerate(found) if p._p.find(f".//{W}drawing") is not None)
    return found[index], found[index + 1]


def edited(source: Path, target: Path, caption: str | None, alt: str | None) -> Path:
    """Copy a DOCX with the caption's text and/or the picture's alternative text replaced
    (``caption=""`` deletes the caption paragraph)."""
    def edit(root: Any) -> None:
        props = next(root.iter(WP_DOCPR))
        holder = next(props.iterancestors(f"{W}p"))
        under = holder.getnext()
        if alt is not None:
            props.set("descr", alt)
        if caption == "":
            under.getparent().remove(under)
        elif caption is not None:
            texts = list(under.iter(f"{W}t"))
            texts[0].text = caption
            for extra in texts[1:]:
                extra.text = ""
    return edit_docx(source, target, {DOCUMENT: edit})


def imported_description(pictured: Path, docx_file: Path) -> str:
    """Import a Welsh DOCX into the leaflet and return its figure's description (the rest
    of its text is still English: ``force``)."""
    import_docx(docx_file, "cy", pictured, force=True)
    return next(b.alt for b in load_leaflet(pictured, "cy").all_blocks()
                if isinstance(b, Figure))


# The writer ---------------------------------------------------------------------------------


def test_the_caption_under_the_picture_says_its_description(english: Path) -> None:
    picture, caption = picture_and_caption(english)
    assert caption.style.name == "Caption"
    assert caption.text == DESCRIPTION
    assert picture._p.find(f".//{WP_DOCPR}").get("descr") == DESCRIPTION
    assert picture.paragraph_format.keep_with_next  # never a page between them


def test_the_caption_is_upright_black_and_at_the_bodys_size(english: Path) -> None:
    document = docx.Document(str(english))
    style = document.styles["Caption"]
    assert style.font.size.pt == document.styles["Normal"].font.size.pt == 14  # clear print
    assert style.font.italic is False and style.font.bold is False
    assert str(style.font.color.rgb) == "000000"
    assert style.element.find(f"{W}rPr/{W}bCs") is None
    assert not style.hidden


def test_a_docx_without_a_picture_has_no_caption(tmp_path: Path) -> None:
    built = build_docx(load_leaflet(SEED, "en-GB"), tmp_path)
    assert not [p for p in paragraphs(built) if p.style.name == "Caption"]


# LibreOffice: printed and saved -------------------------------------------------------------


@pytest.fixture(scope="module")
def libreoffice(english: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return LibreOffice's PDF of the English DOCX and its save of it as DOCX."""
    tmp = tmp_path_factory.mktemp("libreoffice")
    profile = tmp / "profile"
    [saved] = soffice([english], "docx", tmp / "saved", profile)
    [pdf] = soffice([english], "pdf", tmp / "pdf", profile)
    return {"saved": saved, "pdf": pdf}


def test_the_printed_docx_shows_the_description_under_the_picture(
        libreoffice: dict[str, Path]) -> None:
    with pdfplumber.open(libreoffice["pdf"]) as pdf:
        for page in pdf.pages:
            if page.images:
                image = page.images[0]
                below = page.within_bbox((0, image["bottom"], page.width, page.height))
                lines = (below.extract_text() or "").splitlines()
                break
        else:
            pytest.fail("LibreOffice printed no picture")
    assert lines[0] == DESCRIPTION


def test_a_docx_saved_by_libreoffice_imports_its_translated_caption(
        libreoffice: dict[str, Path], pictured: Path, tmp_path: Path) -> None:
    saved = libreoffice["saved"]
    assert picture_and_caption(saved)[1].style.name.lower() == "caption"
    welsh = edited(saved, tmp_path / "cy.docx", caption="Diagram glöyn byw", alt=None)
    assert imported_description(pictured, welsh) == "Diagram glöyn byw"


# Import: what wins --------------------------------------------------------------------------


@pytest.mark.parametrize(("caption", "alt", "wins"), [
    ("Llun: y ddyfais", None, "Llun: y ddyfais"),           # the caption typed over
    (None, "Llun: y ddyfais", "Llun: y ddyfais"),           # only the alternative text
    ("Llun: y ddyfais", "Llun: y ddyfais", "Llun: y ddyfais"),
    ("", "Llun: y ddyfais", "Llun: y ddyfais"),             # the caption deleted
], ids=["caption-only", "alt-only", "both-same", "caption-deleted"])
def test_the_translated_description_is_taken_from_what_was_translated(
        english: Path, pictured: Path, tmp_path: Path, caption: str | None, alt: str | None,
        wins: str) -> None:
    welsh = edited(english, tmp_path / "cy.docx", caption, alt)
    assert imported_description(pictured, welsh) == wins


def test_two_different_translations_keep_the_caption_and_say_so(
        english: Path, pictured: Path, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    welsh = edited(english, tmp_path / "cy.docx", "Y capsiwn", "Y testun amgen")
    with caplog.at_level(logging.WARNING):
        assert imported_description(pictured, welsh) == "Y capsiwn"
    assert "the caption is kept as its description ('Y capsiwn')" in caplog.text
    assert "alternative text dropped ('Y testun amgen')" in caplog.text


def test_a_pseudo_translated_docx_imports_its_caption_without_a_stray_paragraph(
        english: Path, pictured: Path, tmp_path: Path) -> None:
    welsh = translate_docx(english, tmp_path / "cy.docx", pseudo)
    assert imported_description(pictured, welsh) == pseudo(DESCRIPTION)


# check --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the DOCX of the seed leaflet with a picture; return its language folder."""
    root = tmp_path_factory.mktemp("built")
    folder = root / "content" / "leptomeningeal-metastases"
    shutil.copytree(SEED, folder)
    build([with_picture(folder)], BuildOptions(
        out=root / "output", formats=("docx",), jobs=1, today=BEFORE_DUE, templates=None,
        cache_dir=root / "cache", tts="espeak"))
    return root / "output" / "leptomeningeal-metastases" / "en-GB"


def _caption_errors(out: Path, edit: Callable[[Any], None]) -> list[str]:
    tamper.edit_docx(next(out.glob("*.docx")), edit)
    report = check([out], BEFORE_DUE, allow_edited=True)
    return [f"{f.place}: {f.message}" for f in report.errors if f.code == "docx-caption"]


def _caption(document: Any) -> Any:
    holder = next(document.element.body.iter(WP_DOCPR)).getparent()
    return next(holder.iterancestors(f"{W}p")).getnext()


def test_check_passes_the_built_caption(built: Path, tmp_path: Path) -> None:
    out = shutil.copytree(built, tmp_path / "en-GB")
    assert _caption_errors(out, lambda _document: None) == []


def test_check_finds_a_caption_missing(built: Path, tmp_path: Path) -> None:
    out = shutil.copytree(built, tmp_path / "en-GB")
    def delete(document: Any) -> None:
        caption = _caption(document)
        caption.getparent().remove(caption)
    [found] = _caption_errors(out, delete)
    assert "the picture has no caption under it" in found and DESCRIPTION in found


def test_check_finds_a_caption_that_is_not_the_alternative_text(built: Path,
                                                                 tmp_path: Path) -> None:
    out = shutil.copytree(built, tmp_path / "en-GB")
    def retype(document: Any) -> None:
        next(_caption(document).iter(f"{W}t")).text = "A picture"
    [found] = _caption_errors(out, retype)
    assert f"caption 'A picture' is not its alternative text '{DESCRIPTION}'" in found
