"""Real clinics' contacts in large and giant print: nothing runs off the page, the footer fits.

``tests/data/busy-clinic`` has what the seed lacks: long opening hours (weekdays and weekends,
"except bank holidays"), a 24-hour line, long contact and organisation names, a long note to
a ward's hours, a long web address and a longer one in the text, and (in Welsh) a place name
longer than a giant-print line. Each is built for real with WeasyPrint in both profiles, in
English and Welsh, checked by ``check``, and read back from the PDF: the footer's words and
where its letters lie, the letters of every page within the 20 mm frame.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check import pdf as check_pdf
from lmets_docs.check.findings import Severity
from lmets_docs.cli import cli
from lmets_docs.errors import BuildError
from lmets_docs.manifest import read_manifest
from lmets_docs.options import PRINT_PROFILES, BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.text import fold, formatter
from lmets_docs.writers import pdf as pdf_writer
from lmets_docs.writers.pdf import layout as pdf_layout

# isort: split
import weasyprint

from tests.conftest import DATA, SEED
from tests.importer.test_libreoffice import soffice

TODAY = dt.date(2026, 1, 1)
BUSY = DATA / "busy-clinic"
MM = 72 / 25.4
FRAME = 20 * MM - check_pdf.MARGIN_TOLERANCE
LONG_FOOTER = ("Helpline: 0161 496 0123, 8 am to 8 pm, Monday to Friday; 10 am to 4 pm, "
               "Saturday and Sunday, except bank holidays")
WELSH_FOOTER = ("Llinell gymorth: 0161 496 0123, rhwng Dydd Llun a Dydd Gwener, "
                "08:00 \u2013 20:00; Dydd Sadwrn a Dydd Sul, 10:00 \u2013 16:00, "
                "heblaw gwyliau banc")


def _build(source: Path, out: Path, profile: Profile) -> Path:
    """Build ``source``'s PDFs in one profile, unchecked (each test says what it proves, the
    first one runs ``check``); return ``out``."""
    build([source], BuildOptions(out=out, formats=("pdf",), profile=profile, jobs=1,
                                 today=TODAY, templates=None, tts="espeak", check=False))
    return out


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> dict[Profile, Path]:
    """Return the busy clinic's output folder in large and in giant print."""
    root = tmp_path_factory.mktemp("busy")
    return {p: _build(BUSY, root / p, p) for p in ("large", "giant")}


def _pdf(out: Path, lang: str, profile: Profile) -> Path:
    return out / "busy-clinic" / lang / f"busy-clinic-{profile}-print.pdf"


def _details(path: Path, profile: Profile) -> dict[str, Any]:
    """Return what the pdf writer said of a PDF, from its manifest."""
    key = "pdf" if profile == "large" else f"pdf-{profile}"
    return read_manifest(path.parent).artifacts[key].details


def footer_lines(path: Path, profile: Profile) -> list[list[str]]:
    """Return each page's running footer, line by line, read from the PDF's letters.

    The footer is what lies in the bottom margin (the template's ``25 + min_pt x 0.92``
    mm); each of its letters must lie within the 20 mm frame: across by pdfplumber's boxes,
    down by ``check``'s measure of the letters' ink (a font's box reaches lower: Naskh's).
    """
    _frame_ok(path)
    margin = (25 + PRINT_PROFILES[profile].min_pt * 0.92) * MM
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            foot = [c for c in page.chars if c["top"] > page.height - margin]
            for c in foot:
                assert c["x0"] >= FRAME and c["x1"] <= page.width - FRAME, c
            pages.append(_lines(foot))
    return pages


def _lines(chars: list[dict[str, Any]]) -> list[str]:
    """Return the letters' text line by line, top to bottom: a line's letters share a baseline
    (a mark's rise apart: a few points), lines lie a line height apart."""
    rows: list[list[dict[str, Any]]] = []
    for c in sorted(chars, key=lambda c: -c["matrix"][5]):
        if rows and rows[-1][-1]["matrix"][5] - c["matrix"][5] < 6:
            rows[-1].append(c)
        else:
            rows.append([c])
    return [fold("".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])))
            for row in rows]


def _frame_ok(path: Path) -> None:
    """Assert every page's letters keep 20 mm from every edge (``check``'s own measure)."""
    for page in check_pdf.page_chars(path):
        margins = check_pdf.page_margins(page)
        assert min(margins.values()) >= FRAME, margins


@pytest.mark.parametrize("lang", ["en-GB", "cy"])
@pytest.mark.parametrize("profile", ["large", "giant"])
def test_busy_clinic_passes_its_whole_check(busy: dict[Profile, Path], profile: Profile,
                                            lang: str) -> None:
    path = _pdf(busy[profile], lang, profile)
    _frame_ok(path)
    report = check([busy[profile]], TODAY, formats={"pdf"})
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []
    assert _details(path, profile)["pages"] == len(check_pdf.page_chars(path))


@pytest.mark.parametrize(("lang", "words"), [("en-GB", LONG_FOOTER)])
def test_large_print_footer_wraps_its_hours_within_two_lines(
        busy: dict[Profile, Path], lang: str, words: str) -> None:
    """(The Welsh footer, with its Welsh label, takes three lines even in large print: it
    gives the number alone, below.)"""
    path = _pdf(busy["large"], lang, "large")
    pages = footer_lines(path, "large")
    assert all(len(lines) == 2 for lines in pages), pages
    assert all(" ".join(lines) == words for lines in pages), pages[0]
    # The hours wrapped between their pieces, each kept whole, not after the number alone.
    assert pages[0][0] != "Helpline: 0161 496 0123,"
    assert _details(path, "large")["footer"] == "hours wrapped"


@pytest.mark.parametrize(("lang", "profile"), [("en-GB", "giant"), ("cy", "giant"),
                                               ("cy", "large")])
def test_giant_print_footer_gives_the_number_alone(busy: dict[Profile, Path], lang: str,
                                                   profile: Profile) -> None:
    path = _pdf(busy[profile], lang, profile)
    pages = footer_lines(path, profile)
    label = {"en-GB": "Helpline", "cy": "Llinell gymorth"}[lang]
    assert pages and all(lines == [f"{label}: 0161 496 0123"] for lines in pages), pages
    assert _details(path, profile)["footer"] == "number only"
    # The hours are still on the page with the contact box, whole, and in the last section.
    text = check_pdf.page_texts(path)
    hours = "8 am to 8 pm, Monday to Friday; 10 am to 4 pm, Saturday and Sunday"
    if lang == "en-GB":
        assert hours in fold(text[0]) and hours in fold(text[-1])


def test_long_address_note_and_word_wrap_inside_the_page(busy: dict[Profile, Path]) -> None:
    path = _pdf(busy["giant"], "cy", "giant")
    _frame_ok(path)
    text = " ".join(fold(t) for t in check_pdf.page_texts(path))
    # The place name, longer than a giant-print line, is broken once, its letters kept.
    name = "Llanfairpwllgwyngyllgogerychwyndrobwllllantysiliogogogoch"
    assert name not in text and name in text.replace(" ", "")
    # The web address wraps at its slashes and hyphens; the long note between its words.
    assert "www.example.org/services/" in text
    assert "heblaw gwyliau banc a'r dyddiau rhwng y Nadolig a'r Flwyddyn Newydd" in text


def test_a_leaflet_whose_footer_fits_is_laid_out_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed (and every fixture) keeps its first layout: nothing laid out again."""
    calls = _count_layouts(monkeypatch)
    leaflet = load_leaflet(SEED, "en-GB")
    for profile in ("large", "giant"):
        options = BuildOptions(out=tmp_path, profile=profile, today=TODAY, templates=None)
        result = pdf_writer.WRITER.write(leaflet, tmp_path, options)
        assert result.details["footer"] == "hours unbroken"
    assert len(calls) == 2
    busy = load_leaflet(BUSY, "en-GB")
    calls.clear()
    pdf_writer.WRITER.write(busy, tmp_path, BuildOptions(out=tmp_path, profile="giant",
                                                         today=TODAY, templates=None))
    # one line, then wrapped, then the number alone; that once more with the day unit's box
    # let break between its lines (test_pdf_contact_boxes): the layouts whose footer does not
    # fit are not looked at for boxes
    assert len(calls) == 4


def _count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Count WeasyPrint's layouts of a whole page (``HTML.render``)."""
    calls: list[object] = []
    render = weasyprint.HTML.render

    def counted(self: weasyprint.HTML, *args: Any, **kwargs: Any) -> Any:
        calls.append(self)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted)
    return calls


FOOTER_PAGE = """<html><head><style>
@page {{ size: A4; margin: 20mm 20mm {bottom}mm 20mm;
  @bottom-left {{ content: element(f); width: 100%; vertical-align: top; padding-top: 4mm }} }}
p.f {{ position: running(f); font-size: 20pt; line-height: 1.3; margin: 0 }}
span {{ white-space: {space} }}
</style></head><body><p class="f"><span>{words}</span></p><p>Text.</p></body></html>"""


@pytest.mark.parametrize(("words", "space", "fits"), [
    ("Helpline: 0808 800 4040", "nowrap", True),
    ("Helpline " * 20, "nowrap", False),   # one line, far wider than the page
    ("Helpline " * 8, "normal", True),     # two lines
    ("Helpline " * 20, "normal", False),   # three lines: into the bottom 20 mm
])
def test_footer_overflows_reads_the_laid_out_footer(words: str, space: str,
                                                       fits: bool) -> None:
    bottom = 25 + 20 * 0.92
    html = FOOTER_PAGE.format(bottom=bottom, space=space, words=words)
    pages = weasyprint.HTML(string=html).render().pages
    assert pdf_layout.footer_overflows(pages) == ([] if fits else [1])


def _with_yaml(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    """Return a copy of a leaflet folder with a piece of its leaflet.yaml replaced."""
    folder = tmp_path / "leaflet"
    shutil.copytree(source, folder)
    yaml = folder / "leaflet.yaml"
    text = yaml.read_text(encoding="utf-8")
    assert old in text
    yaml.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_a_footer_that_never_fits_is_a_clear_error(tmp_path: Path) -> None:
    """A main contact with no number gives its name; a name of five lines fits no footer."""
    folder = _with_yaml(tmp_path, DATA / "minimal", "name: Example support line\n",
                        "name: " + "Example support line " * 12 + "\n"
                        "      email: support@example.org\n"
                        "    other:\n      name: Example other line\n")
    (folder / "en-GB.md").write_text((folder / "en-GB.md").read_text(encoding="utf-8").replace(
        "helpline.phone", "contacts.other.phone").replace(
        "helpline.hours", "contacts.other.hours"), encoding="utf-8")
    leaflet = load_leaflet(folder, "en-GB")
    assert "helpline.phone" not in formatter(leaflet).values
    yaml = (folder / "leaflet.yaml").read_text(encoding="utf-8").splitlines()
    line = 1 + next(n for n, text in enumerate(yaml) if "name: Example support line Ex" in text)
    with pytest.raises(BuildError, match=rf"leaflet\.yaml:{line}: the running footer .* does "
                       "not fit"):  # at the main contact's name, which the footer prints
        pdf_writer.WRITER.write(leaflet, tmp_path, BuildOptions(
            out=tmp_path, profile="giant", today=TODAY, templates=None))


LONG_HOURS = ('          - {days: mon-fri, opens: "09:00", closes: "17:00"}\n',
              '          - {days: mon-fri, opens: "08:00", closes: "20:00"}\n'
              '          - {days: sat-sun, opens: "10:00", closes: "16:00"}\n'
              '        note: except bank holidays and the days between Christmas and New Year\n')


@pytest.mark.parametrize("fault", ["second layout", "number only"])
def test_a_fault_while_laying_out_again_keeps_the_last_good_pdf(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    folder = _with_yaml(tmp_path, SEED, LONG_HOURS[0], LONG_HOURS[0])
    out = tmp_path / "out"
    args = ["build", str(folder), "--format", "pdf", "--profile", "giant", "--out", str(out),
            "--templates", str(tmp_path / "none"), "--today", "2022-06-01"]  # the seed: not due
    good = CliRunner(mix_stderr=False).invoke(cli, args)
    assert good.exit_code == 0, good.output
    lang_dir = out / "leptomeningeal-metastases" / "en-GB"
    before = {p: p.read_bytes() for p in sorted(lang_dir.rglob("*")) if p.is_file()}
    yaml = folder / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(*LONG_HOURS), encoding="utf-8")
    _inject(monkeypatch, fault)
    result = CliRunner(mix_stderr=False).invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr and "Traceback" not in result.output
    said = result.stderr + result.output
    assert f"WeasyPrint could not print {folder / 'en-GB.md'}: RuntimeError: {fault}" in said
    assert {p: p.read_bytes() for p in sorted(lang_dir.rglob("*")) if p.is_file()} == before


def _inject(monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    """Make the layout after the first (or the number-only page's) fail (RuntimeError)."""
    calls = _count_layouts(monkeypatch)
    counted: Callable[..., Any] = weasyprint.HTML.render

    def failing(self: weasyprint.HTML, *args: Any, **kwargs: Any) -> Any:
        if len(calls) == (1 if fault == "second layout" else 2):
            raise RuntimeError(fault)
        return counted(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", failing)


ARABIC_LONG = ('          - {days: mon-fri, opens: "09:00", closes: "17:00"}\n    advice:',
               '          - {days: mon-fri, opens: "08:00", closes: "20:00"}\n'
               '          - {days: sat-sun, opens: "10:00", closes: "16:00"}\n'
               "        note: {en-GB: except bank holidays, ar: \u0628\u0627\u0633\u062a\u062b"
               "\u0646\u0627\u0621 \u0627\u0644\u0639\u0637\u0644 \u0627\u0644\u0631\u0633"
               "\u0645\u064a\u0629}\n    advice:")


@pytest.mark.parametrize("profile", ["large", "giant"])
def test_arabic_long_hours_wrap_in_a_right_to_left_footer(tmp_path: Path,
                                                          profile: Profile) -> None:
    """The rtl lane's case: the main contact's long Arabic hours ran 47 mm off giant pages.

    Arabic script's line boxes are taller than their letters (Noto Naskh Arabic): two lines
    still fit, measured by their style's line height, and ``check`` proves the letters do.
    """
    folder = _with_yaml(tmp_path, DATA / "arabic", *ARABIC_LONG)
    out = _build(folder, tmp_path / "out", profile)
    path = out / "arabic-clinic" / "ar" / f"arabic-clinic-{profile}-print.pdf"
    # With its Arabic label the giant footer needs three lines: the number alone.
    wrapped = profile == "large"
    assert _details(path, profile)["footer"] == ("hours wrapped" if wrapped else "number only")
    pages = footer_lines(path, profile)
    assert all(len(lines) == (2 if wrapped else 1) for lines in pages), pages
    # A time range is never split at its dash, in the footer too (STANDARDS).
    ends = [end for lines in pages for line in lines for end in (line[0], line[-1])]
    assert "\u2013" not in ends, pages
    report = check([out], TODAY, formats={"pdf"})
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []


@pytest.fixture(scope="module")
def docx_pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    """Return LibreOffice's PDFs of the busy clinic's giant-print DOCX, English and Welsh."""
    root = tmp_path_factory.mktemp("busy-docx")
    build([BUSY], BuildOptions(out=root / "out", formats=("docx",), profile="giant", jobs=1,
                               today=TODAY, templates=None, tts="espeak", check=False))
    files = []
    for lang in ("en-GB", "cy"):
        built = root / "out" / "busy-clinic" / lang / "busy-clinic-leaflet.docx"
        files.append(shutil.copy(built, root / f"{lang}.docx"))
    pdfs = soffice([Path(f) for f in files], "pdf", root / "pdf", root / "profile")
    return [(pdfs[0], LONG_FOOTER), (pdfs[1], WELSH_FOOTER)]


def test_docx_footer_grows_upward_in_libreoffice(docx_pages: list[tuple[Path, str]]) -> None:
    """The DOCX's footer gives the same long hours; Word and LibreOffice let it take three
    lines and move the text above it up: on every page the footer says the whole line, under
    the page's last line of text, never over it, and inside the page."""
    for path, words in docx_pages:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                chars = page.chars
                lines = _lines(chars)
                label, page_of = words.split(":")[0], PAGE_OF[words.split(":")[0]]
                start = max(i for i, line in enumerate(lines) if line.startswith(f"{label}:"))
                said = page_of.format(number, len(pdf.pages))
                assert " ".join(lines[start:]) == f"{words} {said}"
                footer_top = min(c["top"] for c in _below(chars, len(lines) - start))
                body = [c for c in chars if c["top"] < footer_top - 1]
                assert body and max(c["bottom"] for c in body) <= footer_top
                assert all(c["x0"] >= FRAME and c["x1"] <= page.width - FRAME for c in chars)


PAGE_OF = {"Helpline": "Page {} of {}", "Llinell gymorth": "Tudalen {} o {}"}
"""The DOCX footer's page label after each language's footer label."""


def _below(chars: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """Return the letters of the last ``count`` lines of a page (by baseline, as ``_lines``)."""
    baselines = sorted({round(c["matrix"][5]) for c in chars})
    rows: list[int] = []
    for y in baselines:
        if not rows or y - rows[-1] >= 6:
            rows.append(y)
    lowest = rows[:count]
    return [c for c in chars if round(c["matrix"][5]) <= lowest[-1] + 5]


def test_an_email_longer_than_a_giant_line_breaks_before_its_at(tmp_path: Path) -> None:
    """An email address longer than a giant-print contact box's line breaks before its "@"
    alone (footerfix; it was a known limit), never off the page, and ``check`` passes: the
    second line, "@example.org", reads as no address (tests/writers/pdf/test_pdf_addresses.py)."""
    folder = _with_yaml(tmp_path, BUSY, "email: dayunit@example.org",
                        "email: haematology.oncology.dayunit@example.org")
    out = _build(folder, tmp_path / "out", "giant")
    _frame_ok(out / "busy-clinic" / "en-GB" / "busy-clinic-giant-print.pdf")
    report = check([out], TODAY, formats={"pdf"})
    codes = {f.code for f in report.findings if f.severity is Severity.ERROR}
    assert codes == set(), report.findings


def test_weasyprint_warnings_are_said_once_after_laying_out_again(tmp_path: Path) -> None:
    """A house template's bad rule is warned of once, not once per layout (the busy clinic's
    giant print is laid out three times)."""
    templates = tmp_path / "templates" / "pdf"
    templates.mkdir(parents=True)
    (templates / "leaflet.html").write_text(
        '{% extends "builtin/leaflet.html" %}'
        "{% block head_extra %}<style>p { colr: red }</style>{% endblock %}", encoding="utf-8")
    result = pdf_writer.WRITER.write(load_leaflet(BUSY, "en-GB"), tmp_path, BuildOptions(
        out=tmp_path, profile="giant", today=TODAY, templates=tmp_path / "templates"))
    assert result.details["footer"] == "number only"
    said = [w for w in result.warnings if "colr" in w]
    assert len(said) == 1, result.warnings
