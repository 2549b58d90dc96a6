"""``check`` reads a Latin line with an Arabic word on an English page from its left.

The PDF rules that read a page's letters from pdfplumber (the name heading a box's rest,
``pdf_continued``; a box's lines, ``pdf_tags._whole``; the contacts' names, ``contact_box``)
read every line holding a right-to-left letter as right-to-left text, its runs from its
right. An English leaflet whose day unit gives its Arabic name too, "Oncology Day Unit
(وحدة الأورام)", was read ")وحدة الأورام( Oncology Day Unit": ``check`` said the name headed
no box (``pdf-contact-once``, an error the PDF did not deserve), and the name heading the
box's rest, on page 5, was not found: a writer that left it tagged was only warned of
("not proved"). A line's base direction is now its language's (the writer sets the page's
``dir``), or, on a left-to-right page, right to left where the line has right-to-left
letters and no left-to-right ones (its first strong letter, Unicode's rules P2 and P3).

Built for real (WeasyPrint) and read back by ``check``; the lines' reading is also shown on
glyphs laid out by hand.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.check import check, pdf_links_rtl
from lmets_docs.options import BuildOptions
from lmets_docs.writers.pdf import layout as pdf_layout
from tests.conftest import DATA

TODAY = dt.date(2026, 1, 1)
ARABIC_NAME = "\u0648\u062d\u062f\u0629 \u0627\u0644\u0623\u0648\u0631\u0627\u0645"
""""وحدة الأورام", the oncology unit, in Arabic."""
NAME = f"Oncology Day Unit ({ARABIC_NAME})"


def _glyphs(visual: str) -> list[pdf_links_rtl.Glyph]:
    """Return one line's glyphs, one a character, drawn left to right as ``visual`` shows."""
    return [(char, 10.0 * at, 10.0 * at + 9, 100.0, 12.0) for at, char in enumerate(visual)]


def test_a_latin_line_with_an_arabic_word_is_read_from_its_left() -> None:
    drawn = _glyphs(f"Oncology Day Unit ({ARABIC_NAME[::-1]})")  # as drawn on the page
    assert pdf_links_rtl.logical(drawn, rtl=False) == NAME
    assert pdf_links_rtl.logical(drawn, rtl=True) != NAME  # as an Arabic page's line


def test_an_arabic_line_on_an_english_page_is_read_from_its_right() -> None:
    """A line with no left-to-right letter: its first strong letter is right to left."""
    drawn = _glyphs(f"12 {ARABIC_NAME[::-1]}")  # "وحدة الأورام 12", right to left
    assert pdf_links_rtl.logical(drawn, rtl=False) == f"{ARABIC_NAME} 12"
    assert pdf_links_rtl.logical(drawn, rtl=True) == f"{ARABIC_NAME} 12"


def _build(root: Path) -> Path:
    """Build the user test's leaflet in English, giant print, its day unit named in English
    and Arabic (the box breaks after its number: its rest, headed by its name, continued,
    starts page 5); return the PDF."""
    folder = Path(shutil.copytree(DATA / "chemo-fever", root / "chemo-fever"))
    source = folder / "leaflet.yaml"
    text = source.read_text(encoding="utf-8")
    assert text.count("{en-GB: Oncology Day Unit,") == 1
    source.write_text(text.replace("{en-GB: Oncology Day Unit,", f"{{en-GB: {NAME},"),
                      encoding="utf-8")
    report = build([folder], BuildOptions(out=root / "out", formats=("pdf",),
                                          langs=("en-GB",), profile="giant", jobs=1,
                                          today=TODAY, templates=None,
                                          cache_dir=root / "cache", check=False))
    assert not report.rejected, [str(f) for f in report.findings]
    return root / "out" / "chemo-fever" / "en-GB" / "chemo-fever-giant-print.pdf"


def test_a_name_with_an_arabic_word_passes(tmp_path: Path) -> None:
    """The real writer's PDF: the name heads its box and the marker heading its rest is an
    artifact; ``check`` says nothing at all (it said the name headed no box, and warned that
    the marker was not found)."""
    pdf = _build(tmp_path)
    report = check([pdf.parent], TODAY, formats={"pdf"})
    assert not report.errors and not report.warnings, \
        [f.line() for f in [*report.errors, *report.warnings]]


def test_a_name_with_an_arabic_word_read_as_text_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that leaves the name heading the box's rest in the tree: one error, on page 5,
    naming it (it was only warned of: "the page's text starts ')وحدة الأورام( Oncology …'")."""
    monkeypatch.setattr(pdf_layout, "continued", lambda pages: [])
    pdf = _build(tmp_path)
    report = check([pdf.parent], TODAY, formats={"pdf"})
    assert not report.warnings, [f.line() for f in report.warnings]
    found = [(f.place, f.message) for f in report.errors]
    assert len(found) == 1 and found[0][0] == "page 5", found
    assert (f"the name heading the rest of a contact's box, '{NAME} (continued)', is read as "
            "text: 39 of its 39 letters are tagged content") in found[0][1], found
