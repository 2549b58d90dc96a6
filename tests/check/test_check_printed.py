"""``check`` reads what a PDF's pages print across line and page breaks (``check.printed``).

Real giant-print builds (WeasyPrint) read back from the file:
- the busy clinic's web address, broken over four lines, is read whole from the page: with
  every link's description emptied the leaflet still passes, and a printed typo under a
  correct link fails (``fact-not-printed``, and ``pdf-link-text`` for each link);
- ``tests/data/many-contacts``: the main contact's hours cross a page break (the footer and
  the page label lie between the halves) and are found; its nine similar contact boxes,
  repeated at the same place on three pages, are not taken for running content; its email
  and web address, broken inside parts longer than a line, read whole.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from lmets_docs.build import build
from lmets_docs.check import check, facts, pdf, pdf_links, printed
from lmets_docs.check.findings import Finding, Severity
from lmets_docs.check.pdf_fonts import read_stream
from lmets_docs.check.text import Passage
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.writers.pdf.template import render_page
from tests.conftest import DATA

TODAY = dt.date(2026, 1, 1)
WEB = "www.example.org/services/cancer-and-haematology/haematology-and-oncology-day-unit/contact-us"


def _build(source: Path, out: Path, templates: Path | None = None) -> Path:
    build([source], BuildOptions(out=out, formats=("pdf",), profile="giant", jobs=1,
                                 today=TODAY, templates=templates, tts="espeak", check=False))
    return out / source.name / "en-GB"


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the busy clinic's English folder, built in giant print."""
    return _build(DATA / "busy-clinic", tmp_path_factory.mktemp("busy"))


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the many-contacts leaflet's folder, built in giant print."""
    return _build(DATA / "many-contacts", tmp_path_factory.mktemp("many"))


def _errors(folder: Path, **options: Any) -> list[Finding]:
    report = check([folder], TODAY, **options)
    return [f for f in report.findings if f.severity is Severity.ERROR]


def _pdf(folder: Path) -> Path:
    return next(folder.glob("*.pdf"))


def _pages(folder: Path) -> list[str]:
    manifest = read_manifest(folder)
    entry = manifest.artifacts["pdf-giant"]
    text = pdf.read(folder / entry.files["pdf"], entry, manifest)
    return [p.text for p in text.passages if re.fullmatch(r"page \d+", p.place)]


def test_a_wrapped_web_address_is_read_from_the_page(busy: Path) -> None:
    raw = pdf.page_texts(_pdf(busy))
    assert not any(WEB in page for page in raw)  # pdftotext: one piece a line
    assert sum(page.count(WEB) for page in _pages(busy)) == 2  # the contact box, the text
    assert _errors(busy) == []


def test_the_address_is_proved_without_the_links_descriptions(busy: Path,
                                                              tmp_path: Path) -> None:
    folder = _copy(busy, tmp_path / "copy")
    with pikepdf.open(_pdf(folder), allow_overwriting_input=True) as document:
        for page in document.pages:
            for annotation in page.obj.get("/Annots", []):
                annotation.Contents = pikepdf.String("link")
        document.save(_pdf(folder))
    assert _errors(folder, allow_edited=True) == []


def test_a_printed_typo_under_a_correct_link_fails(busy: Path, tmp_path: Path) -> None:
    folder = _copy(busy, tmp_path / "copy")
    assert _misprint(_pdf(folder), "oncology-day", (5, 6)) == 2  # the text, the contact box
    assert any("oncolgoy-day" in page for page in _pages(folder))
    errors = _errors(folder, allow_edited=True)
    assert [(f.code, f.place) for f in errors] == [
        ("fact-not-printed", ""), ("pdf-link-text", "page 3"), ("pdf-link-text", "page 5")]
    assert errors[0].message.startswith(f"contacts.ward.web is not printed on any page: "
                                        f"expected {WEB!r}")
    typo = WEB.replace("oncology-day", "oncolgoy-day")
    assert errors[1].message.startswith(f"the page prints {typo!r} over a link to "
                                        f"'https://{WEB}'")


def _copy(folder: Path, to: Path) -> Path:
    """Return a copy of a built language folder (manifest and PDF)."""
    to.mkdir(parents=True)
    for path in folder.iterdir():
        if path.is_file():
            (to / path.name).write_bytes(path.read_bytes())
    return to


def _misprint(path: Path, word: str, swap: tuple[int, int], most: int = 9) -> int:
    """Swap two letters of ``word`` where the page draws it (a glyph each, as WeasyPrint
    draws a loosened address), ``most`` times at most, leaving links and descriptions alone;
    return how often."""
    done = 0
    with pikepdf.open(path, allow_overwriting_input=True) as document:
        for page in document.pages:
            fonts = {str(k): read_stream(f.ToUnicode).texts  # type: ignore[arg-type]
                     for k, f in page.resources.Font.items()}
            instructions = list(pikepdf.parse_content_stream(page))
            font = ""
            for instruction in instructions:
                if str(instruction.operator) == "Tf":
                    font = str(instruction.operands[0])
                elif str(instruction.operator) == "TJ" and done < most:
                    done += _swap_in(instruction.operands[0], fonts[font], word, swap)
            page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(instructions))
        document.save(path)
    return done


def _swap_in(array: Any, font: dict[int, str], word: str, swap: tuple[int, int]) -> int:
    """Swap two glyphs of ``word`` in a TJ array that draws a glyph a string (the joiners
    between them draw nothing); return 1 if it did."""
    glyphs = [(i, _decoded(bytes(o), font)) for i, o in enumerate(array)
              if not isinstance(o, int | float | Decimal)]
    glyphs = [(i, letter) for i, letter in glyphs if letter]
    at = "".join(letter for _, letter in glyphs).find(word)
    if at < 0 or any(len(letter) != 1 for _, letter in glyphs):
        return 0
    one, two = glyphs[at + swap[0]][0], glyphs[at + swap[1]][0]
    array[one], array[two] = array[two], array[one]
    return 1


def _decoded(data: bytes, font: dict[int, str]) -> str:
    return "".join(font.get(int.from_bytes(data[i:i + 2], "big"), "?")
                   for i in range(0, len(data), 2))


@pytest.fixture(scope="module")
def unboxed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the many-contacts leaflet's folder, built in giant print with a house page
    that gives the main contact no box, on the title page or after the text (the others
    only, as the built-in page gave them before it printed each contact once): the main
    contact's long hours are then printed only where a page break splits them (the text,
    the closing line)."""
    root = tmp_path_factory.mktemp("unboxed")
    page = (Path(render_page.__code__.co_filename).parents[2] / "templates" / "pdf"
            / "leaflet.html").read_text(encoding="utf-8")
    box = '{{ contact_boxes(contacts[:1], "helpline", helpline_heading) -}}'
    rest = '{% set left = contacts | rejectattr("printed") | list %}'
    assert box in page and rest in page
    (root / "templates" / "pdf").mkdir(parents=True)
    (root / "templates" / "pdf" / "leaflet.html").write_text(
        page.replace(box, "").replace(rest, "{% set left = contacts[1:] %}"), encoding="utf-8")
    return _build(DATA / "many-contacts", root / "out", root / "templates")


def test_hours_split_by_a_page_break_are_found(unboxed: Path) -> None:
    many = unboxed
    manifest = read_manifest(many)
    hours = manifest.facts["contacts.main.hours"].printed
    entry = manifest.artifacts["pdf-giant"]
    text = pdf.read(many / entry.files["pdf"], entry, manifest)
    assert hours not in text.full_text()  # the footer and page label lie between the halves
    assert hours in " ".join(text.continuous().split()) if text.continuous else False
    assert not [f for f in facts.fact_findings(text, manifest) if f.code == "fact-missing"]
    text.continuous = None
    assert [f.message[:30] for f in facts.fact_findings(text, manifest)] == [
        "contacts.main.hours is missing"]


def test_a_first_page_without_the_main_contact_fails(unboxed: Path) -> None:
    """Page 1's text gives the number, and the long hours' first piece, which a page break
    splits from the rest."""
    manifest = read_manifest(unboxed)
    assert [(f.code, f.place, f.message) for f in _errors(unboxed)
            if f.code == "pdf-first-page"] == [
        ("pdf-first-page", "page 1", f"{name} {manifest.facts[name].printed!r} is not on the "
         "first page (its running footer aside): the title page gives the main contact's "
         "number and hours") for name in ("contacts.main.hours",)]


def test_hours_too_long_for_the_first_page_may_start_the_second(many: Path) -> None:
    """The built-in page: the main contact's box breaks after its number (its hours, 14
    lines in giant print, do not fit under it), and the hours start page 2."""
    hours = read_manifest(many).facts["contacts.main.hours"].printed
    first, second, *_ = (" ".join(page.content().text.split())
                         for page in pdf.page_chars(_pdf(many)))
    assert first.endswith("Call 0161 496 0123") and hours not in first
    assert second.startswith(hours)
    assert not [f for f in _errors(many) if f.code == "pdf-first-page"]


def test_similar_contact_boxes_are_not_running_content(many: Path) -> None:
    assert _errors(many) == []  # thorough: pdf-running-artifact is checked


def test_a_misprinted_email_broken_over_lines_is_not_a_contacts(many: Path,
                                                                tmp_path: Path) -> None:
    """The contact box's address is misprinted; the text's is right (so it is printed). The
    box's email line starts page 3: misprinted, it is no whole line of its contact's, so the
    break before it is read as a line of the box cut in two too."""
    folder = _copy(many, tmp_path / "copy")
    assert _misprint(_pdf(folder), "university", (5, 6), most=1) == 1
    errors = _errors(folder, allow_edited=True)
    assert [(f.code, f.place) for f in errors] == [("fact-email", "page 3"),
                                                   ("pdf-split-element", "page 2"),
                                                   ("pdf-link-text", "page 3")]
    assert "'e is closed for staff training' / 'Email: appointments.haematolog'" \
        in errors[1].message
    # The box breaks it before a "." of its name and after "example-university-" (its own
    # hyphen, the last resort), which pdftotext drops as it joins the lines: a misprinted
    # address is no contact's, so it is read as pdftotext gives it.
    assert ("'appointments.haematology.oncology.day.unit@example-univesrityhospitals.example"
            ".org'") in errors[0].message
    assert ("'appointments.haematology.oncology.day.unit@example-univesrity-hospitals.example"
            ".org' over a link to 'mailto:appointments.") in errors[2].message


def test_links_to_one_address_in_a_row_are_read_one_by_one() -> None:
    """Two whole links to one address (a contact box, then the text) are two links; one
    address broken over lines and pages is one."""
    mail, web = "mailto:ward7@example.org", "https://www.example.org/a/b"
    pages: list[list[tuple[str, str]]] = [
        [(mail, " ward7@example.org"), (mail, "ward7@example.org"), (web, "www.example.org/")],
        [(web, "a/\u2060"), (web, "b"), (web, "www.example.org/a/c")]]
    said = [(f.place, f.message[:49]) for f in pdf_links.findings(Path("x.pdf"), pages, False)]
    assert said == [("page 2", "the page prints 'www.example.org/a/c' over a link")]
    assert list(pdf_links.findings(Path("x.pdf"), pages, True)) == []


def test_an_address_a_page_break_splits_is_printed(many: Path) -> None:
    """The pages read on without their footers join an address split by a page break."""
    manifest = read_manifest(many)
    web = manifest.facts["contacts.main.web"].printed
    pages = [f"see {web[:30]}\nHelpline: 0161 496 0123", f"Page 2 of 2\n{web[30:]}"]
    said = [Passage("page 1, Link 1 description", web)]
    assert [f.code for f in printed.unprinted(Path("x.pdf"), pages, said, manifest)] == [
        "fact-not-printed"]

    def read(_: Path) -> list[str]:  # pdftotext's pages of the copy without the footers
        return [f"see {web[:30]}\n", f"{web[30:]}\n"]

    def continuous() -> str:
        return printed.continuous_pages(_pdf(many), read, printed.address_patterns(manifest))

    assert web in continuous()
    assert list(printed.unprinted(Path("x.pdf"), pages, said, manifest, continuous)) == []
