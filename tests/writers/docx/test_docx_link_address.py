"""A link whose words are not its address prints the address after them in the DOCX, as the
PDF does ("NHS website (www.nhs.uk/conditions/chemotherapy)"), inside the link: a clinic that
prints the DOCX keeps the address.

The address sits in a locked content control tagged ``link-address`` (a translator does not
type over it); ``import-docx`` leaves it out, tagged or not (LibreOffice drops the tag when
it saves), and the XLIFF route never holds it; ``check`` fails an address that is not the
link's target. ``chemo-fever`` (English, Arabic, Urdu) links "NHS website" to the NHS page.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from docx import Document
from lxml import etree

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.importer import import_docx
from lmets_docs.options import BuildOptions
from lmets_docs.xliff.export import export_xliff
from tests.conftest import DATA
from tests.docx_edit import edit_docx
from tests.importer.test_libreoffice import soffice

TODAY = dt.date(2026, 6, 1)
URL = "https://www.nhs.uk/conditions/chemotherapy/"
ADDRESS = "www.nhs.uk/conditions/chemotherapy"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
BIDI = str.maketrans("", "", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE = {"en-GB": "[NHS website]", "ar": "[موقع NHS]", "ur": "[NHS کی ویب سائٹ]"}
"""Each language's link as its Markdown file writes it."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the leaflet's DOCX by language (built from a copy of the leaflet)."""
    root = tmp_path_factory.mktemp("link")
    source = Path(shutil.copytree(DATA / "chemo-fever", root / "chemo-fever"))
    build([source], BuildOptions(out=root / "out", formats=("docx",), jobs=1, today=TODAY,
                                 templates=None, tts="espeak", check=False))
    return {p.parent.name: p for p in (root / "out").rglob("*.docx")}


def _link(path: Path) -> Any:
    """Return the body's hyperlink to the NHS page (python-docx resolves its target)."""
    document = Document(str(path))
    targets = {rid: rel.target_ref for rid, rel in document.part.rels.items()}
    (link,) = [h for h in document.element.body.iter(f"{W}hyperlink")
               if targets.get(str(h.get(R_ID))) == URL]
    return link


def _text(node: Any) -> str:
    return "".join(t.text or "" for t in node.iter(f"{W}t")).translate(BIDI)


@pytest.mark.parametrize("lang", ["en-GB", "ar", "ur"])
def test_the_address_is_printed_after_the_words_inside_the_link(
        built: dict[str, Path], lang: str) -> None:
    link = _link(built[lang])
    assert _text(link) == f"{LINE[lang][1:-1]} ({ADDRESS})"
    (control,) = link.iter(f"{W}sdt")
    assert control.find(f"{W}sdtPr/{W}tag").get(f"{W}val") == "link-address"
    assert control.find(f"{W}sdtPr/{W}lock").get(f"{W}val") == "sdtContentLocked"
    assert _text(control) == f" ({ADDRESS})"


def test_a_reference_whose_words_are_its_address_is_not_printed_twice(
        built: dict[str, Path]) -> None:
    paragraphs = [p.text for p in Document(str(built["en-GB"])).paragraphs]
    assert not [p for p in paragraphs if p.count("www.nhs.uk") > 1]


def test_libreoffice_prints_the_address_and_links_it(built: dict[str, Path],
                                                     tmp_path: Path) -> None:
    [pdf] = soffice([built["en-GB"]], "pdf", tmp_path / "pdf", tmp_path / "profile")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"NHS website ({ADDRESS})." in " ".join(text.split())
    with pdfplumber.open(pdf) as document:
        shown = [page.crop((h["x0"], h["top"], h["x1"], h["bottom"])).extract_text()
                 for page in document.pages for h in page.hyperlinks if h["uri"] == URL]
    assert f"({ADDRESS})" in shown, shown


def _imported(docx: Path, lang: str, tmp_path: Path) -> str:
    """Import ``docx`` over a copy of the leaflet's ``lang`` file; return the link's line."""
    folder = Path(shutil.copytree(DATA / "chemo-fever", tmp_path / "chemo-fever"))
    import_docx(docx, lang, folder=folder, force=True)
    (line,) = [line for line in (folder / f"{lang}.md").read_text(encoding="utf-8").splitlines()
               if URL in line]
    return line


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_the_import_leaves_the_printed_address_out(built: dict[str, Path], lang: str,
                                                   tmp_path: Path) -> None:
    line = _imported(built[lang], lang, tmp_path)
    assert f"{LINE[lang]}({URL})" in line and ADDRESS + ")" not in line.replace(URL, "")


def test_the_import_of_a_libreoffice_save_leaves_it_out(built: dict[str, Path],
                                                        tmp_path: Path) -> None:
    [saved] = soffice([built["ar"]], "docx", tmp_path / "saved", tmp_path / "profile")
    assert not [t for t in etree.fromstring(_part(saved)).iter(f"{W}tag")
                if t.get(f"{W}val") == "link-address"]  # LibreOffice dropped the tag
    line = _imported(saved, "ar", tmp_path)
    assert f"{LINE['ar']}({URL})" in line and ADDRESS + ")" not in line.replace(URL, "")


def _part(path: Path) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml")


def test_the_xliff_gives_the_address_as_a_code_never_as_words(tmp_path: Path) -> None:
    report = export_xliff(DATA / "chemo-fever", "ar", tmp_path / "ar.xlf")
    root = etree.parse(str(report.path)).getroot()
    x = "{urn:oasis:names:tc:xliff:document:2.0}"
    words = " ".join("".join(s.itertext()) for s in root.iter(f"{x}source"))
    assert "NHS website" in words and "nhs.uk" not in words


def test_check_fails_a_printed_address_that_is_not_the_target(built: dict[str, Path],
                                                               tmp_path: Path) -> None:
    assert [f for f in check([built["en-GB"].parent], TODAY, formats={"docx"}).errors] == []

    def retype(root: Any) -> None:
        for t in root.iter(f"{W}t"):
            t.text = (t.text or "").replace("conditions/chemotherapy", "conditions/chemo")

    folder = Path(shutil.copytree(built["en-GB"].parent, tmp_path / "en-GB"))
    edit_docx(built["en-GB"], folder / built["en-GB"].name, {"word/document.xml": retype})
    found = [f for f in check([folder], TODAY, formats={"docx"}).errors
             if f.code == "docx-link-text"]
    assert len(found) == 1 and "'(www.nhs.uk/conditions/chemo)'" in found[0].message, found
