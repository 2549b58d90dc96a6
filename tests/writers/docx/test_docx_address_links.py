"""A contact's email and web address in the DOCX are ``mailto:`` and ``https:`` links, as on
the web page, inside their locked fact controls (as the phone numbers' ``tel:`` links are:
``test_docx_phone_links``); the footer's are not.

Read back by python-docx (the control's hyperlink and its target), by LibreOffice (its PDF's
link annotations and its HTML's ``<a href>``), by ``check`` (the target is the address shown)
and by ``import-docx``, which still reads each control as its locked fact, from the DOCX as
written and as LibreOffice saves it. ``chemo-fever``'s day unit has both, in English and Arabic.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import lxml.html
import pdfplumber
import pytest
from docx import Document

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.text import formatter
from tests.conftest import DATA
from tests.docx_edit import edit_docx
from tests.importer.test_import_docx import comparable
from tests.importer.test_libreoffice import soffice
from tests.writers.docx.test_docx_phone_links import BIDI, R_ID, TODAY, W, _reimported
from tests.writers.docx.test_docx_phone_links import _controls as _linked_controls

ADDRESSES = ("contacts.dayunit.email", "contacts.dayunit.web")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return chemo-fever's DOCX by language."""
    root = tmp_path_factory.mktemp("addresses")
    source = Path(shutil.copytree(DATA / "chemo-fever", root / "chemo-fever"))
    build([source], BuildOptions(out=root / "out", formats=("docx",), jobs=1, today=TODAY,
                                 templates=None, tts="espeak", check=False,
                                 langs=("en-GB", "ar")))
    return {p.parent.name: p for p in (root / "out").rglob("*.docx")}


def _facts(lang: str) -> dict[str, tuple[str, str]]:
    """Return each address fact's printed form and link in ``lang``."""
    facts = formatter(load_leaflet(DATA / "chemo-fever", lang))
    return {name: (facts[name].printed, str(facts[name].link)) for name in ADDRESSES}


def _controls(path: Path) -> list[tuple[str, Any, dict[str, str]]]:
    """Return each body control of an address fact that holds a link (as for the numbers)."""
    return _linked_controls(path, ADDRESSES)


@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_each_address_is_a_link_inside_its_locked_control(built: dict[str, Path],
                                                          lang: str) -> None:
    controls, want = _controls(built[lang]), _facts(lang)
    assert {name for name, _sdt, _t in controls} == set(ADDRESSES)
    for name, sdt, targets in controls:
        assert sdt.find(f"{W}sdtPr/{W}lock").get(f"{W}val") == "sdtContentLocked"
        (link,) = sdt.find(f"{W}sdtContent").iter(f"{W}hyperlink")
        printed = "".join(t.text or "" for t in link.iter(f"{W}t")).translate(BIDI)
        assert (printed, targets[str(link.get(R_ID))]) == want[name]
    assert want["contacts.dayunit.email"][1] == "mailto:oncology.dayunit@example.org"
    assert want["contacts.dayunit.web"][1] == "https://www.example.org/oncology-day-unit"


def test_the_footer_has_no_links(built: dict[str, Path]) -> None:
    for section in Document(str(built["en-GB"])).sections:
        assert section.footer._element.find(f".//{W}hyperlink") is None


def test_libreoffice_keeps_the_links_in_its_pdf_and_html(built: dict[str, Path],
                                                         tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    want = {(link, " ".join(printed.split())) for printed, link in _facts("en-GB").values()}
    [pdf] = soffice([built["en-GB"]], "pdf", tmp_path / "pdf", profile)
    [page] = soffice([built["en-GB"]], "html", tmp_path / "html", profile)
    with pdfplumber.open(pdf) as document:
        linked = {(h["uri"], " ".join(p.crop((h["x0"], h["top"], h["x1"], h["bottom"]))
                                      .extract_text().split()))
                  for p in document.pages for h in p.hyperlinks}
    assert want <= linked, linked
    anchors = {(a.get("href"), " ".join(a.text_content().split()))
               for a in lxml.html.parse(str(page)).getroot().iter("a")}
    assert want <= anchors, anchors


def test_the_import_still_reads_each_address_as_its_locked_fact(built: dict[str, Path],
                                                                tmp_path: Path) -> None:
    """The Arabic ``chemo-fever`` comes back the same, from its DOCX and from LibreOffice's
    save of it (which drops the tags)."""
    docx = built["ar"]
    source = comparable(load_leaflet(DATA / "chemo-fever", "ar"))
    assert _reimported(docx, tmp_path / "docx") == source
    [saved] = soffice([docx], "docx", tmp_path / "saved", tmp_path / "profile")
    assert _reimported(saved, tmp_path / "lo") == source


@pytest.mark.parametrize(("old", "new"), [
    ("mailto:oncology.dayunit@example.org", "mailto:someone@example.net"),
    ("https://www.example.org/oncology-day-unit", "https://www.example.org/"),
])
def test_check_proves_the_links_and_fails_a_retargeted_one(built: dict[str, Path],
                                                           tmp_path: Path, old: str,
                                                           new: str) -> None:
    assert check([built["en-GB"].parent], TODAY, formats={"docx"}).errors == []
    folder = Path(shutil.copytree(built["en-GB"].parent, tmp_path / "en-GB"))

    def retarget(root: Any) -> None:
        for rel in root:
            if rel.get("Target", "") == old:
                rel.set("Target", new)

    edit_docx(built["en-GB"], folder / built["en-GB"].name,
              {"word/_rels/document.xml.rels": retarget})
    found = [f for f in check([folder], TODAY, formats={"docx"}).errors
             if f.code == "docx-link-text"]
    assert found and all(new in f.message for f in found), [str(f) for f in found]
