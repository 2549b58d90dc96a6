"""A contact's phone number in the DOCX is a ``tel:`` link, as on the web page, inside its
locked fact control (a content control may hold a hyperlink, in Word and LibreOffice).

Read back by python-docx (the control's hyperlink and its target), by LibreOffice (its PDF's
link annotations and its HTML's ``<a href="tel:…">``), by ``check`` (the target is the
contact's number) and by ``import-docx``, which still reads the control as the locked fact,
from the DOCX as written and as LibreOffice saves it. ``switchboard`` has two numbers with
extensions (``;ext=`` in the link), in English and Arabic.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import lxml.html
import pdfplumber
import pytest
from docx import Document

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.importer import import_docx
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.text import formatter
from tests.conftest import DATA
from tests.docx_edit import edit_docx
from tests.importer.test_import_docx import comparable
from tests.importer.test_libreoffice import soffice

TODAY = dt.date(2026, 6, 1)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PHONES = ("contacts.unit.phone", "contacts.ward.phone")
BIDI = str.maketrans("", "", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the switchboard's DOCX by language."""
    root = tmp_path_factory.mktemp("phones")
    source = Path(shutil.copytree(DATA / "switchboard", root / "switchboard"))
    build([source], BuildOptions(out=root / "out", formats=("docx",), jobs=1, today=TODAY,
                                 templates=None, tts="espeak", check=False,
                                 langs=("en-GB", "ar")))
    return {p.parent.name: p for p in (root / "out").rglob("*.docx")}


def _facts(lang: str) -> dict[str, tuple[str, str]]:
    """Return each phone fact's printed form and ``tel:`` link in ``lang``."""
    facts = formatter(load_leaflet(DATA / "switchboard", lang))
    return {name: (facts[name].printed, str(facts[name].link)) for name in PHONES}


Control = tuple[str, Any, dict[str, str]]


def _controls(path: Path, phones: tuple[str, ...] = PHONES) -> list[Control]:
    """Return each body fact control of a phone that holds a link: its fact, element, and
    the part's link targets."""
    document = Document(str(path))
    targets = {rid: rel.target_ref for rid, rel in document.part.rels.items()}
    found = []
    for sdt in document.element.body.iter(f"{W}sdt"):
        tag = str(sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val")).removeprefix("fact:")
        if tag.endswith(phones) and sdt.find(f".//{W}hyperlink") is not None:
            found.append((tag, sdt, targets))
    return found


@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_each_number_is_a_tel_link_inside_its_locked_control(built: dict[str, Path],
                                                             lang: str) -> None:
    controls, want = _controls(built[lang]), _facts(lang)
    assert {name for name, _sdt, _t in controls} == set(PHONES)
    for name, sdt, targets in controls:
        assert sdt.find(f"{W}sdtPr/{W}lock").get(f"{W}val") == "sdtContentLocked"
        (link,) = sdt.find(f"{W}sdtContent").iter(f"{W}hyperlink")
        printed = "".join(t.text or "" for t in link.iter(f"{W}t")).translate(BIDI)
        assert (printed, targets[str(link.get(R_ID))]) == want[name]
    assert len(controls) >= 2 * len(PHONES)  # in the text and under the contacts heading
    assert want["contacts.unit.phone"][1] == "tel:+441614960123;ext=48215"


def test_libreoffice_keeps_the_links_in_its_pdf_and_html(built: dict[str, Path],
                                                         tmp_path: Path) -> None:
    profile, want = tmp_path / "profile", _facts("en-GB")
    [pdf] = soffice([built["en-GB"]], "pdf", tmp_path / "pdf", profile)
    [page] = soffice([built["en-GB"]], "html", tmp_path / "html", profile)
    with pdfplumber.open(pdf) as document:
        linked = {(h["uri"], " ".join(p.crop((h["x0"], h["top"], h["x1"], h["bottom"]))
                                      .extract_text().split()))
                  for p in document.pages for h in p.hyperlinks if h["uri"].startswith("tel:")}
    want = {name: (" ".join(printed.split()), link) for name, (printed, link) in want.items()}
    assert {(link, printed) for printed, link in want.values()} <= linked, linked
    anchors = {(a.get("href"), " ".join(a.text_content().split()))
               for a in lxml.html.parse(str(page)).getroot().iter("a")}
    assert {(link, printed) for printed, link in want.values()} <= anchors, anchors


def _reimported(docx: Path, tmp_path: Path) -> list[Any]:
    folder = Path(shutil.copytree(DATA / "chemo-fever", tmp_path / "chemo-fever"))
    import_docx(docx, "ar", folder=folder, force=True)
    return comparable(load_leaflet(folder, "ar"))


def test_the_import_still_reads_each_number_as_its_locked_fact(tmp_path: Path) -> None:
    """The Arabic translation of ``chemo-fever`` (whose text gives two numbers) comes back
    the same, from its DOCX and from LibreOffice's save of it (which drops the tags)."""
    build([Path(shutil.copytree(DATA / "chemo-fever", tmp_path / "source"))], BuildOptions(
        out=tmp_path / "out", formats=("docx",), jobs=1, today=TODAY, templates=None,
        tts="espeak", check=False, langs=("ar",)))
    [docx] = (tmp_path / "out").rglob("*.docx")
    assert [name for name, _sdt, _t in _controls(docx, ("phone",))]  # linked numbers
    source = comparable(load_leaflet(DATA / "chemo-fever", "ar"))
    assert _reimported(docx, tmp_path / "docx") == source
    [saved] = soffice([docx], "docx", tmp_path / "saved", tmp_path / "profile")
    assert _reimported(saved, tmp_path / "lo") == source


def test_check_proves_the_links_and_fails_one_to_another_number(built: dict[str, Path],
                                                                tmp_path: Path) -> None:
    assert check([built["en-GB"].parent], TODAY, formats={"docx"}).errors == []
    folder = Path(shutil.copytree(built["en-GB"].parent, tmp_path / "en-GB"))

    def redial(root: Any) -> None:
        for rel in root:
            if rel.get("Target", "").startswith("tel:+441134960456"):
                rel.set("Target", "tel:+441134960999")

    edit_docx(built["en-GB"], folder / built["en-GB"].name,
              {"word/_rels/document.xml.rels": redial})
    errors = check([folder], TODAY, formats={"docx"}).errors
    assert any("tel:+441134960999" in f.place for f in errors), [str(f) for f in errors]


def test_check_fails_a_link_to_the_other_contacts_number(built: dict[str, Path],
                                                         tmp_path: Path) -> None:
    """The unit's number is a fact too: only the text under the link shows it is wrong."""
    folder = Path(shutil.copytree(built["en-GB"].parent, tmp_path / "en-GB"))
    unit = _facts("en-GB")["contacts.unit.phone"][1]

    def swap(root: Any) -> None:
        for rel in root:
            if rel.get("Target", "").startswith("tel:+441134960456"):
                rel.set("Target", unit)

    edit_docx(built["en-GB"], folder / built["en-GB"].name,
              {"word/_rels/document.xml.rels": swap})
    found = [f for f in check([folder], TODAY, formats={"docx"}).errors
             if f.code == "docx-link-text"]
    assert found and all("0113 496 0456 ext. 2301" in f.message and unit in f.message
                         for f in found), [str(f) for f in found]
