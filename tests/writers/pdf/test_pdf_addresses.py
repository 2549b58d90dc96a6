"""Addresses, long hours and time ranges in large and giant print, read back from real PDFs.

An email or web address is not broken at its own hyphens while it can be broken elsewhere (a
reader copying it could not tell the line's hyphen from the address's, and pdftotext drops
it); one longer than its line breaks before its "@" (an email) or after a "/" and before a
"." (a web address), and only a part still longer than its line after its own hyphens
(``test_pdf_address_words``). A long
piece of opening hours wraps between its words, each date and time whole; a time range with a
dash ("08:30 \u2013 12:30") is never split. Each leaflet is built for real with WeasyPrint, read
back line by line (pdfplumber, pdftotext) and checked by ``check``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check import pdf as check_pdf
from lmets_docs.check.findings import Finding, Severity
from lmets_docs.errors import BuildError
from lmets_docs.facts import FactValue
from lmets_docs.options import BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.text import fold
from lmets_docs.writers import pdf as pdf_writer
from lmets_docs.writers.pdf import template

# isort: split
import weasyprint

from tests.conftest import DATA

TODAY = dt.date(2026, 1, 1)
FRAME = 20 * 72 / 25.4 - check_pdf.MARGIN_TOLERANCE
EMAIL = "ward-seven-enquiries@example-hospital.nhs.uk"
NOTE = "closed 25 and 26 December and 1 January for the staff training day"


def _leaflet(tmp_path: Path, source: Path, old: str, new: str, lang: str = "en-GB") -> Path:
    """Return a copy of a fixture in one language with a piece of its leaflet.yaml replaced."""
    folder = tmp_path / "src" / source.name
    shutil.copytree(source, folder)
    for other in folder.glob("*.md"):
        if other.stem != lang:
            other.unlink()
    yaml = folder / "leaflet.yaml"
    text = yaml.read_text(encoding="utf-8")
    assert old in text
    yaml.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def _build(source: Path, out: Path, profile: Profile) -> list[Path]:
    """Build a leaflet's PDFs in one profile; return them."""
    build([source], BuildOptions(out=out, formats=("pdf",), profile=profile, jobs=1,
                                 today=TODAY, templates=None, tts="espeak", check=False))
    return sorted(out.rglob("*.pdf"))


def _errors(out: Path) -> list[Finding]:
    report = check([out], TODAY, formats={"pdf"})
    return [f for f in report.findings if f.severity is Severity.ERROR]


def _lines(path: Path) -> list[str]:
    """Return every printed line of the PDF, page after page, read from its letters."""
    with pdfplumber.open(path) as pdf:
        return [fold(line["text"]) for page in pdf.pages for line in page.extract_text_lines()]


def _frame_ok(path: Path) -> None:
    for page in check_pdf.page_chars(path):
        assert min(check_pdf.page_margins(page).values()) >= FRAME


@pytest.fixture(scope="module")
def hyphenated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the clinic-contacts leaflet with a hyphenated email, built in both profiles."""
    root = tmp_path_factory.mktemp("hyphen")
    source = _leaflet(root, DATA / "clinic-contacts", "ward7@example.org", EMAIL)
    return {p: _build(source, root / p, p)[0].parent.parent.parent for p in ("large", "giant")}


def _pdf(out: Path) -> Path:
    return next(out.rglob("*.pdf"))


def test_a_hyphenated_email_at_a_line_end_moves_whole_in_large_print(
        hyphenated: dict[str, Path]) -> None:
    """On main it fitted its line; the footer branch broke it at "example-" and check failed."""
    path = _pdf(hyphenated["large"])
    lines = _lines(path)
    # At the end of the text's line, the address goes whole to the next one.
    assert f"{EMAIL}." in lines, lines
    assert f"Email: {EMAIL}" in lines or EMAIL in lines, lines
    assert not [line for line in lines if line.endswith(("@example-", "ward-", "seven-"))]
    assert _errors(hyphenated["large"]) == []


def test_an_email_longer_than_its_line_breaks_before_its_at_alone(
        hyphenated: dict[str, Path]) -> None:
    path = _pdf(hyphenated["giant"])
    _frame_ok(path)
    lines = _lines(path)
    local, domain = EMAIL.split("@")
    assert any(line.endswith(local) for line in lines), lines
    assert any(line.startswith("@" + domain) for line in lines), lines
    assert not [line for line in lines if line.endswith("-")], lines
    assert _errors(hyphenated["giant"]) == []


def test_an_address_break_adds_nothing_to_the_text_a_reader_copies(
        hyphenated: dict[str, Path]) -> None:
    """pdftotext reads the two halves and no zero-width control; the link reads whole."""
    path = _pdf(hyphenated["giant"])
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "ward-seven-enquiries\n@example-hospital.nhs.uk" in text
    assert template.WORD_JOINER not in text and template.BREAK_HERE not in text
    with pikepdf.open(path) as pdf:
        described = [str(a.get("/Contents", "")) for page in pdf.pages
                     for a in page.get("/Annots", []) if "mailto:" in str(a.A.get("/URI", ""))]
    assert described and set(described) == {EMAIL}


@pytest.mark.parametrize(("printed", "kind", "lines"), [
    (EMAIL, "email", ["ward-seven-enquiries", "@example-hospital.nhs.uk"]),
    ("www.example.org/services/cancer-and-haematology/contact-us", "web",
     ["www", ".example", ".org/", "services/", "cancer-and-haematology/", "contact-us"]),
])
def test_address_breaks_are_before_at_after_slash_and_before_dot(printed: str, kind: str,
                                                                  lines: list[str]) -> None:
    value = FactValue(name=f"contacts.ward.{kind}", printed=printed, spoken=printed)
    broken = template.address_breaks(value)
    assert broken.split(template.BREAK_HERE) == [template.WORD_JOINER.join(p) for p in lines]
    assert broken.replace(template.WORD_JOINER, "").replace(template.BREAK_HERE, "") == printed


@pytest.mark.parametrize("profile", ["large", "giant"])
def test_a_long_note_with_dates_wraps_between_its_words(tmp_path: Path,
                                                        profile: Profile) -> None:
    """A note with numbers ("closed 25 and 26 December ...") wraps; each date stays whole."""
    source = _leaflet(tmp_path, DATA / "busy-clinic", "note: {en-GB: except bank holidays,",
                      f'note: {{en-GB: "{NOTE}",')
    path = _build(source, tmp_path / "out", profile)[0]
    _frame_ok(path)
    assert _errors(tmp_path / "out") == []
    lines = _lines(path)
    assert not [line for line in lines if NOTE in line], "the note was kept on one line"
    for date in ("26 December", "1 January"):
        month = date.split()[1]
        assert all(date in line for line in lines if month in line), (date, lines)
        assert [line for line in lines if date in line], lines
    assert not [line for line in lines if line.endswith((" 26", " 1"))], lines


@pytest.mark.parametrize("profile", ["large", "giant"])
def test_time_ranges_are_never_split_across_lines(tmp_path: Path, profile: Profile) -> None:
    """The Welsh clinic's hours ("08:30 \u2013 12:30 a 13:30 \u2013 17:00"): main split them
    at the dash in both profiles. No printed line of the text or boxes begins or ends at a
    dash (the footer, which may still, is not among them: see the footerfix note)."""
    source = tmp_path / "src" / "clinic-contacts"
    shutil.copytree(DATA / "clinic-contacts", source)
    for other in ("en-GB.md", "ur.md"):
        (source / other).unlink()
    path = _build(source, tmp_path / "out", profile)[0]
    lines = _lines(path)
    assert [line for line in lines if "\u2013" in line], lines
    assert not [line for line in lines if line.endswith("\u2013") or line.startswith("\u2013")]
    assert _errors(tmp_path / "out") == []


def _count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    render = weasyprint.HTML.render

    def counted(self: weasyprint.HTML, *args: Any, **kwargs: Any) -> Any:
        calls.append(self)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted)
    return calls


def test_only_a_page_with_an_address_too_long_is_laid_out_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _leaflet(tmp_path, DATA / "clinic-contacts", "ward7@example.org", EMAIL)
    leaflet = load_leaflet(source, "en-GB")
    calls = _count_layouts(monkeypatch)
    counts = []
    for profile in ("large", "giant"):
        calls.clear()
        options = BuildOptions(out=tmp_path, profile=profile, today=TODAY, templates=None)
        assert pdf_writer.WRITER.write(leaflet, tmp_path, options).details["footer"] == (
            "hours unbroken")
        counts.append(len(calls))
    assert counts == [1, 2]  # it fits in large print; it is longer than a giant box's line


def test_a_footer_without_hours_is_not_laid_out_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding 8: a main contact with no number gives its name alone; a name too long for the
    footer is an error after one layout, not three."""
    source = _leaflet(tmp_path, DATA / "minimal", "name: Example support line\n",
                      "name: " + "Example support line " * 12 + "\n"
                      "      email: support@example.org\n"
                      "    other:\n      name: Example other line\n")
    text = (source / "en-GB.md").read_text(encoding="utf-8")
    (source / "en-GB.md").write_text(text.replace("helpline.phone", "contacts.other.phone")
                                     .replace("helpline.hours", "contacts.other.hours"),
                                     encoding="utf-8")
    leaflet = load_leaflet(source, "en-GB")
    calls = _count_layouts(monkeypatch)
    options = BuildOptions(out=tmp_path, profile="giant", today=TODAY, templates=None)
    with pytest.raises(BuildError, match="does not fit in its two lines"):
        pdf_writer.WRITER.write(leaflet, tmp_path, options)
    assert len(calls) == 1
