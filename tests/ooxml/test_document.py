"""The one DOCX reader (``ooxml.document``): ``check`` and the importer read the same document.

The seed leaflet's DOCX is built with the real writer and read back by both sides; hostile
files are refused by ``Document`` itself, before either side sees them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from lmets_docs import formats
from lmets_docs.check.docx import Docx
from lmets_docs.errors import ImportDocxError
from lmets_docs.importer.read import read_document
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.document import open_document
from lmets_docs.ooxml.package import open_package
from lmets_docs.options import BuildOptions
from lmets_docs.text import formatter
from tests import zips
from tests.conftest import BEFORE_DUE


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory, seed_leaflet: Leaflet) -> Path:
    """Return the seed leaflet's English DOCX, built with the real writer."""
    out = tmp_path_factory.mktemp("docx")
    options = BuildOptions(out=out, templates=None, today=BEFORE_DUE, jobs=1)
    return out / formats.load("docx").write(seed_leaflet, out, options).files["docx"]


def test_check_and_import_read_the_same_paragraphs(seed_docx: Path, seed_leaflet: Leaflet) -> None:
    checked = list(Docx(seed_docx).paragraphs())
    with open_package(seed_docx) as package:
        imported = read_document(package).paragraphs
    assert [(n, text) for n, _style, text in checked] == [(p.number, p.text) for p in imported]
    # check names an unstyled paragraph "Normal", as Word does; the importer leaves it ""
    assert [style.lower() for _n, style, _t in checked] == [p.style or "normal" for p in imported]
    texts = " ".join(text for _n, _s, text in checked)
    assert seed_leaflet.title in texts
    phone = formatter(seed_leaflet).printed("contacts.helpline.phone")
    assert phone in texts, "text inside the locked fact boxes (content controls) is read"


def test_check_and_import_read_the_same_footers(seed_docx: Path, seed_leaflet: Leaflet) -> None:
    checked = Docx(seed_docx)
    with open_package(seed_docx) as package:
        imported = [root for place, root in read_document(package).parts
                    if place.startswith("footer")]
    assert len(imported) == len(checked.footers) >= 1
    phone = formatter(seed_leaflet).printed("contacts.helpline.phone")
    assert any(phone in "".join(root.itertext()) for root in imported)


def test_document_reads_the_seed_and_its_properties(seed_docx: Path) -> None:
    with open_document(seed_docx) as doc:
        assert doc.main == "word/document.xml"
        assert doc.custom_property("lmets:source_hash")
        assert doc.custom_property("no such property") is None
        assert [name for name, _root in doc.custom_xml()]
        headings = [p for p in doc.paragraphs() if doc.style_name(p.style_id) == "heading 1"]
        assert headings


def test_a_main_part_named_elsewhere_is_found_through_the_relationships(
    seed_docx: Path, tmp_path: Path
) -> None:
    moved = tmp_path / "moved.docx"
    with zipfile.ZipFile(seed_docx) as src, zipfile.ZipFile(moved, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            name = item.filename.replace("word/document.xml", "word/main.xml")
            name = name.replace("word/_rels/document.xml.rels", "word/_rels/main.xml.rels")
            if item.filename in ("_rels/.rels", "[Content_Types].xml"):
                data = data.replace(b"/word/document.xml", b"/word/main.xml")
                data = data.replace(b"word/document.xml", b"word/main.xml")
            dst.writestr(name, data)
    with open_document(moved) as doc:
        assert doc.main == "word/main.xml"
        assert [name for name, _root in doc.related("footer")]
    assert list(Docx(moved).paragraphs()) == list(Docx(seed_docx).paragraphs())


def test_a_zip_bomb_is_refused_by_document(tmp_path: Path) -> None:
    bomb = zips.bomb(tmp_path / "bomb.docx")
    with pytest.raises(ImportDocxError, match=r"word/document.xml: refused: .*\(a zip bomb\?\)"):
        open_document(bomb)


def test_a_package_without_a_body_is_not_a_word_document(tmp_path: Path) -> None:
    empty = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty, "w") as dst:
        dst.writestr("word/document.xml", b"<w:document xmlns:w='urn:x'/>")
    with pytest.raises(ImportDocxError, match=r"not a Word document: it has no word/document\.xml"):
        open_document(empty)
