"""``check`` fails a PDF whose heading is not printed larger than the body (STANDARDS: headings
larger and bold): ``pdf-heading-size``, naming the heading, its level and page.

The contacts' names (``H3``) were printed at the body's size until the writer made them
larger; a house style sheet that sets them (or the sections' headings) at the body's size
again is built for real (WeasyPrint, ``--templates``) and ``check`` reads each heading's
letters' sizes back from the file (pdfplumber's marked content, the structure tree): English
in large print, Arabic in giant print (its names read back in the order they are read).
The built-in style passes (``tests/writers/pdf/test_pdf_contact_headings.py``).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check.findings import Finding
from lmets_docs.options import PRINT_PROFILES, BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.text import formatter
from tests.conftest import DATA

TODAY = dt.date(2026, 6, 1)
SWITCHBOARD = DATA / "switchboard"


def _build(root: Path, lang: str, profile: Profile, rule: str | None,
           renamed: tuple[str, str] | None = None, data: Path = SWITCHBOARD) -> Path:
    """Build the switchboard's PDF (or ``data``'s), with a house style sheet adding ``rule``
    if given, and a contact's name in ``leaflet.yaml`` replaced (``renamed``: old, new) if
    given."""
    templates = None
    if rule is not None:
        templates = root / "templates"
        (templates / "pdf").mkdir(parents=True)
        (templates / "pdf" / "leaflet.css").write_text(
            '{% include "builtin/leaflet.css" %}\n' + rule + "\n", encoding="utf-8")
    folder = Path(shutil.copytree(data, root / data.name))
    if renamed is not None:
        source = folder / "leaflet.yaml"
        text = source.read_text(encoding="utf-8")
        assert renamed[0] in text
        source.write_text(text.replace(renamed[0], renamed[1]), encoding="utf-8")
    report = build([folder], BuildOptions(out=root / "out", formats=("pdf",), langs=(lang,),
                                          profile=profile, jobs=1, today=TODAY,
                                          templates=templates, cache_dir=root / "cache",
                                          check=False))
    assert not report.rejected, [str(f) for f in report.findings]
    return root / "out"


def _size_errors(out: Path) -> list[Finding]:
    return [f for f in check([out], TODAY, formats={"pdf"}).errors
            if f.code == "pdf-heading-size"]


def _names(lang: str, data: Path = SWITCHBOARD) -> list[str]:
    facts = formatter(load_leaflet(data, lang))
    return [facts.printed(f"contacts.{cid}.name") for cid in facts.contact_ids()]


@pytest.mark.parametrize(("lang", "profile"), [("en-GB", "large"), ("ar", "giant")])
def test_contact_names_at_the_body_size_fail(tmp_path: Path, lang: str,
                                             profile: Profile) -> None:
    body = PRINT_PROFILES[profile].body_pt
    out = _build(tmp_path, lang, profile,
                 ".helpline h3 { font-size: {{ profile.body_pt }}pt !important; }")
    found = _size_errors(out)
    names = _names(lang)
    assert len(found) == len(names) == 2
    for finding, name in zip(found, names, strict=True):
        message = finding.line()
        assert f"the heading {name!r} (H3) is printed at {body:.1f} pt" in message, message
        assert f"not larger than the body's {body:g} pt" in message
        assert "page 1" in message or "page 2" in message


def test_a_name_of_latin_and_arabic_words_is_named_as_it_is_read(tmp_path: Path) -> None:
    """An Arabic name with a Latin word inside ("NHS") is given in the order it is read: the
    right-to-left runs from the right, the Latin word as it is spelt (pdfplumber gives the
    letters as drawn; ``check.bidi`` reads them)."""
    name = "وحدة NHS للعلاج الكيميائي"
    out = _build(tmp_path, "ar", "giant",
                 ".helpline h3 { font-size: {{ profile.body_pt }}pt !important; }",
                 ("ar: وحدة العلاج الكيميائي", f"ar: {name}"))
    found = [f.line() for f in _size_errors(out)]
    assert len(found) == 2, found
    assert f"the heading {name!r} (H3) is printed at 22.0 pt" in found[0], found[0]
    assert "SHN" not in found[0]


def test_a_name_on_two_lines_is_named_with_its_lines_apart(tmp_path: Path) -> None:
    """The busy clinic's Welsh advice line's name at the body's size wraps after "Canser": the
    message joins its printed lines with a space ("Canser Macmillan", never
    "CanserMacmillan": WeasyPrint draws no space at a line's end), and names it whole (it
    was cut at 40 characters, "… Chymorth Canser ", which named no contact)."""
    out = _build(tmp_path, "cy", "large",
                 ".helpline h3 { font-size: {{ profile.body_pt }}pt !important; }",
                 data=DATA / "busy-clinic")
    pdf = next(out.glob("busy-clinic/cy/*.pdf"))
    first = subprocess.run(["pdftotext", "-layout", "-l", "1", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    at = next(n for n, line in enumerate(first) if line.strip().endswith("Chymorth Canser"))
    assert first[at + 1].strip().startswith("Macmillan yn Ysbyty"), first
    found = [f.line() for f in _size_errors(out)]
    name = next(name for name in _names("cy", DATA / "busy-clinic")
                if name.startswith("Gwasanaeth Gwybodaeth a Chymorth Canser Macmillan yn "))
    assert len(name) > 60, name
    assert f"page 1: the heading {name!r} (H3) is printed at 18.0 pt" in found[0], found


def test_section_headings_at_the_body_size_fail(tmp_path: Path) -> None:
    out = _build(tmp_path, "en-GB", "large",
                 "main h2 { font-size: {{ profile.body_pt }}pt !important; }")
    sections = [s.title for s in load_leaflet(SWITCHBOARD, "en-GB").sections]
    found = [f.line() for f in _size_errors(out)]
    assert len(found) == len(sections)
    for message, title in zip(found, sections, strict=True):
        assert f"the heading {title!r} (H2) is printed at 18.0 pt" in message


def test_the_builtin_style_passes(tmp_path: Path) -> None:
    assert _size_errors(_build(tmp_path, "en-GB", "giant", None)) == []
