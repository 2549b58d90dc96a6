"""The DOCX's top gives what the large-print PDF's first page gives (the low-vision user test's
finding 5): under the title, the out-of-date notice (when overdue), the Helpline heading, the
helpline box (real paragraphs in styles of their own, the facts locked) and the review dates;
and the footer is never smaller than the body text, following Normal when a family makes it
larger. Read back with python-docx, and from LibreOffice's PDF of the DOCX (pdfplumber);
``check`` reads the box's facts back, and ``import-docx`` takes nothing from the box.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
from docx.shared import Pt

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check.findings import Finding, Severity
from lmets_docs.importer import import_docx
from lmets_docs.options import LARGE_PRINT_MIN_PT, PRINT_PROFILES, BuildOptions, Profile
from lmets_docs.source import load_leaflet
from tests.conftest import BEFORE_DUE, SEED
from tests.docx_edit import W, edit_docx, pseudo, translate_docx
from tests.writers.docx.test_docx_contacts import soffice

OVERDUE = dt.date(2026, 11, 23)
DOCUMENT = "word/document.xml"
NUMBER, HOURS = "0808 800 4040", "9 am to 5 pm, Monday to Friday"
REVIEWED = ("Last reviewed: 22 November 2019", "Next review due: 22 November 2022")
NOTICE = "This information is out of date: its review was due on 22 November 2022."


def _build(out: Path, profile: Profile | None = None, today: dt.date = OVERDUE) -> Path:
    build([SEED], BuildOptions(out=out, formats=("docx",), profile=profile, jobs=1, today=today,
                               templates=None, tts="espeak", check=False))
    return next((out / SEED.name / "en-GB").glob("*.docx"))


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's large-print DOCX, built on a day its review is overdue."""
    return _build(tmp_path_factory.mktemp("large"), "large")


def _top(path: Path) -> list[tuple[str, str]]:
    """Return (style, text) of the paragraphs before the leaflet's own first paragraph."""
    paragraphs = docx.Document(str(path)).paragraphs
    first = load_leaflet(SEED, "en-GB").intro[0]
    found: list[tuple[str, str]] = []
    for p in paragraphs:
        if p.text.startswith(first.inlines[0].text[:30]):  # type: ignore[union-attr]
            return found
        text = "".join(t.text or "" for t in p._p.iter(f"{W}t"))  # content controls' too
        found.append((p.style.name if p.style is not None else "", text))
    raise AssertionError("the intro's first paragraph is missing")


def test_the_title_is_followed_by_the_notice_the_helpline_box_and_the_review_dates(
        large: Path) -> None:
    assert _top(large) == [
        ("Heading 1", load_leaflet(SEED, "en-GB").title),
        ("Out of date notice", NOTICE),
        ("Heading 2", "Helpline"),
        ("Helpline box", "Cancer Research UK information nurses"),
        ("Helpline box number", f"Call {NUMBER}"),
        ("Helpline box", HOURS),
        ("Review dates", REVIEWED[0]),
        ("Review dates", REVIEWED[1]),
    ]
    # No second Helpline section at the end: the box is the helpline's one place, as in the PDF.
    headings = [p.text for p in docx.Document(str(large)).paragraphs
                if p.style is not None and p.style.name == "Heading 2"]
    assert headings.count("Helpline") == 1


def test_the_box_facts_are_locked_content_controls(large: Path) -> None:
    body = docx.Document(str(large)).element.body
    tags: dict[str, set[str]] = {}
    for sdt in body.iter(f"{W}sdt"):
        p = next(sdt.iterancestors(f"{W}p"))
        style = p.find(f"{W}pPr/{W}pStyle")
        tag = sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val")
        tags.setdefault(style.get(f"{W}val") if style is not None else "Normal", set()).add(tag)
    assert tags["Helplinebox"] == {"fact:contacts.helpline.name", "fact:contacts.helpline.hours"}
    assert tags["Helplineboxnumber"] == {"fact:contacts.helpline.phone"}
    assert tags["Reviewdates"] == {"fact:review.last_reviewed", "fact:review.next_review_due"}


def test_no_notice_before_the_review_is_due(tmp_path: Path) -> None:
    styles = [style for style, _text in _top(_build(tmp_path, today=BEFORE_DUE))]
    assert styles[:3] == ["Heading 1", "Heading 2", "Helpline box"]


def _size(style: Any) -> float:
    """Return a paragraph style's size in points, through its base styles."""
    while style is not None:
        if style.font.size is not None:
            return float(style.font.size.pt)
        style = style.base_style
    raise AssertionError("no size")


@pytest.mark.parametrize("profile", ["clear", "large", "giant"])
def test_the_footer_is_the_body_size_and_follows_normal(profile: Profile, tmp_path: Path
                                                         ) -> None:
    sizes = PRINT_PROFILES[profile]
    styles = docx.Document(str(_build(tmp_path, profile))).styles
    assert styles["Footer"].font.size is None  # its own size would not follow Normal
    assert _size(styles["Footer"]) == _size(styles["Normal"]) == sizes.body_pt
    assert _size(styles["Helpline box number"]) == sizes.h2_pt
    if profile != "clear":
        assert _size(styles["Footer"]) >= LARGE_PRINT_MIN_PT


def _words(page: Any) -> str:
    return " ".join((page.extract_text() or "").split())


def _sizes(page: Any, text: str) -> set[float]:
    """Return the sizes of the characters of the line of a page that holds ``text``."""
    lines = page.extract_text_lines()
    line = next(line for line in lines if text in line["text"])
    return {round(ch["size"], 1) for ch in line["chars"] if ch["text"].strip()}


def test_libreoffice_prints_the_helpline_and_review_dates_on_page_one(large: Path,
                                                                      tmp_path: Path) -> None:
    with pdfplumber.open(soffice(large, "pdf", tmp_path)) as pdf:
        first = pdf.pages[0]
        words = _words(first)
        for wanted in ("Helpline", f"Call {NUMBER}", HOURS, *REVIEWED, NOTICE):
            assert wanted in words, (wanted, words)
        assert _sizes(first, f"Call {NUMBER}") == {24.0}
        assert _sizes(first, f"Helpline: {NUMBER}") == {18.0}  # the footer, the body's size


def test_making_normal_larger_makes_the_footer_larger(tmp_path: Path) -> None:
    # What the family did in LibreOffice: Normal (Default Paragraph Style) to Arial 18 pt.
    path = _build(tmp_path / "out", "clear")
    document = docx.Document(str(path))
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(18)
    document.save(str(tmp_path / "arial18.docx"))
    with pdfplumber.open(soffice(tmp_path / "arial18.docx", "pdf", tmp_path)) as pdf:
        assert _sizes(pdf.pages[0], f"Helpline: {NUMBER}") == {18.0}
        assert _sizes(pdf.pages[0], HOURS) == {18.0}  # the box's hours


# check reads the box back ----------------------------------------------------------------------


def _errors(folder: Path) -> list[Finding]:
    return [f for f in check([folder], OVERDUE, allow_edited=True).findings
            if f.severity is Severity.ERROR and f.code != "review-overdue"]


def _box_paragraph(root: Any, style: str, holding: str) -> Any:
    return next(p for p in root.iter(f"{W}p")
                if (s := p.find(f"{W}pPr/{W}pStyle")) is not None and s.get(f"{W}val") == style
                and holding in "".join(t.text or "" for t in p.iter(f"{W}t")))


def _unlock_and_retype(style: str, old: str, new: str) -> Any:
    """Unwrap the box paragraph's content controls (as an editor's paste does), then retype."""
    def edit(root: Any) -> None:
        p = _box_paragraph(root, style, old)
        for sdt in list(p.iter(f"{W}sdt")):
            content = sdt.find(f"{W}sdtContent")
            for child in list(content):
                sdt.addprevious(child)
            sdt.getparent().remove(sdt)
        for t in p.iter(f"{W}t"):
            t.text = (t.text or "").replace(old, new)
    return edit


def _retype_in_control(root: Any) -> None:
    for t in _box_paragraph(root, "Helplineboxnumber", "4040").iter(f"{W}t"):
        t.text = (t.text or "").replace("4040", "4041")


@pytest.fixture
def folder(large: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "en-GB"
    shutil.copytree(large.parent, copy)
    assert _errors(copy) == []
    return copy


@pytest.mark.parametrize(("edit", "where", "fact"), [
    (_retype_in_control, "fact box", "contacts.helpline.phone"),
    (_unlock_and_retype("Helplineboxnumber", "4040", "4041"), "helpline box",
     "contacts.helpline.phone"),
    (_unlock_and_retype("Helplinebox", "Monday", "Sunday"), "helpline box",
     "contacts.helpline.hours"),
    (_unlock_and_retype("Reviewdates", "2019", "2021"), "review dates", "review.last_reviewed"),
])
def test_check_names_a_wrong_fact_in_the_box(folder: Path, edit: Any, where: str, fact: str,
                                             tmp_path: Path) -> None:
    path = next(folder.glob("*.docx"))
    edit_docx(path, tmp_path / "edited.docx", {DOCUMENT: edit})
    shutil.move(tmp_path / "edited.docx", path)
    errors = _errors(folder)
    assert any(f.place.startswith((where, f"body, {where}")) and fact in f.place + f.message
               for f in errors), errors


def test_check_says_where_the_pdf_gives_what_the_box_lacks(folder: Path,
                                                           tmp_path: Path) -> None:
    path = next(folder.glob("*.docx"))
    edit_docx(path, tmp_path / "edited.docx", {DOCUMENT: _unlock_and_retype(
        "Helplinebox", "Monday", "Sunday")})
    shutil.move(tmp_path / "edited.docx", path)
    [said] = [f.message for f in _errors(folder) if f.code == "docx-first-page"]
    assert said.startswith("contacts.helpline.hours '")
    assert said.endswith("' is not in the helpline box under the title (the large-print PDF "
                         "gives the main contact on its first page, the rest after the text)")


# import-docx takes nothing from the box ---------------------------------------------------------


def test_a_translated_docx_with_the_box_imports_without_it(large: Path, tmp_path: Path) -> None:
    leaflet = tmp_path / SEED.name
    shutil.copytree(SEED, leaflet)
    translated = translate_docx(large, tmp_path / "cy.docx", pseudo)
    written = import_docx(translated, "cy", leaflet).path.read_text(encoding="utf-8")
    for fixed in ("Call", "Last reviewed", "Next review due", "out of date", "Helpline"):
        assert pseudo(fixed) not in written, fixed
    assert load_leaflet(leaflet, "cy").title == pseudo(load_leaflet(SEED, "en-GB").title)
