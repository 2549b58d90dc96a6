# ruff: noqa: RUF001, RUF002  (Arabic and Urdu punctuation is what is tested)
"""Addresses at the end of right-to-left sentences, read back by ``check`` from real files.

``tests/data/rtl-always`` ends Arabic and Urdu sentences with a contact's email or web address
and each kind of sentence punctuation (". ، ؛ ؟ ! ۔"). In a right-to-left line that
punctuation is drawn left of the address, and pdftotext gives it there, inside the address's
left-to-right run (the user test's H1: "email address '.oncology.dayunit@example.org' is not
a contact's", nothing Arabic installed). Every format is built for real and checked; the PDF's
pages are read as ``check`` reads them; a stray address is still caught. The same leaflet
proves the Arabic-script commas of the 24-hour hours (L2) and the EPUB's page direction (L7).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check import pdf as check_pdf
from lmets_docs.check.bidi import LRE, POP, RLE, logical_text, plain_logical_text
from lmets_docs.check.findings import Finding, Severity
from lmets_docs.check.printed import join_addresses
from lmets_docs.options import BuildOptions
from lmets_docs.scan import emails
from lmets_docs.writers.pdf import libs  # noqa: F401  (before weasyprint, as the writer does)

# isort: split
import weasyprint

from tests.conftest import DATA

TODAY = dt.date(2026, 6, 2)
ALWAYS = DATA / "rtl-always"
EMAIL = "dayunit@example.org"
WEB = "www.example.org/day-unit"
LANGS = ("ar", "ur")
STOPS = (".", "،", "؛", "؟", "!", "۔", "?", ",", ";", ":")


def _build(source: Path, out: Path, formats: tuple[str, ...]) -> Path:
    build([source], BuildOptions(out=out, formats=formats, jobs=1, today=TODAY, templates=None,
                                 tts="espeak", check=False))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the output folder of the fixture in every format, English, Arabic and Urdu."""
    return _build(ALWAYS, tmp_path_factory.mktemp("always") / "out",
                  ("pdf", "docx", "html", "epub", "audio"))


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def _pdf(out: Path, lang: str) -> Path:
    return out / "rtl-always" / lang / "rtl-always-large-print.pdf"


def test_every_format_in_every_language_passes_check(built: Path) -> None:
    report = check([built], TODAY)
    assert _errors(report.findings) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_draws_the_full_stop_left_of_the_address_and_check_reads_it_after(
        built: Path, lang: str) -> None:
    pages = check_pdf.page_texts(_pdf(built, lang))
    raw = "".join(pages)
    # What pdftotext gives: the full stop inside the address's run, before it.
    assert f".{EMAIL}" in raw
    read = plain_logical_text("\n".join(pages))
    assert set(emails(read)) == {EMAIL}
    for stop in (".", "؟", "!", "؛") if lang == "ar" else (".", "۔", "؟", "!", "؛"):
        assert f"{EMAIL}{stop}" in read.replace(" ", ""), stop


@pytest.mark.parametrize("lang", LANGS)
def test_a_stray_address_ending_a_sentence_is_still_caught_without_its_full_stop(
        built: Path, tmp_path: Path, lang: str) -> None:
    """The files say the address, the manifest another (as if the contact's address had
    changed since): each file's address is a stray, named without the sentence's full stop."""
    folder = tmp_path / "out" / "rtl-always" / lang
    shutil.copytree(built / "rtl-always" / lang, folder,
                    ignore=shutil.ignore_patterns(".cache", ".stamps"))
    manifest = folder / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["facts"]["contacts.dayunit.email"].update(
        printed="ward@example.org", link="mailto:ward@example.org")
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    found = _errors(check([tmp_path / "out"], TODAY, formats={"pdf", "docx", "html"}).findings)
    strays = {(f.file.name, f.message) for f in found if f.code == "fact-email"}
    wrong = "email address 'dayunit@example.org' is not a contact's"
    names = {"rtl-always-large-print.pdf", "rtl-always-leaflet.docx", "index.html"}
    assert {name for name, message in strays if message == wrong} == names, strays
    assert all(message == wrong for _, message in strays), strays


# -- the reading itself: lines as pdftotext gives them -----------------------------------------

@pytest.mark.parametrize(("line", "logical"), [
    # an address wrapped to a line of its own, on a page read in visual order
    (".oncology.dayunit@example.org", "oncology.dayunit@example.org."),
    ("!\u061f dayunit@example.org", "dayunit@example.org \u061f!"),
    # a visual-order line: the address's run with the sentence's full stop at its left edge
    (f".{EMAIL} {RLE}اكتب إلى{POP}", f"{RLE}اكتب إلى{POP} {EMAIL}."),
    (f",{WEB} {RLE}زر{POP}", f"{RLE}زر{POP} {WEB},"),
    # a logical-order line: the address's embedded run, its full stop moved across
    (f"{RLE}مراسلتنا على {LRE}.{EMAIL}{POP}{POP}", f"{RLE}مراسلتنا على {LRE}{EMAIL}{POP}.{POP}"),
    (f"{RLE}لکھیں{LRE}!{EMAIL}{POP}{POP}", f"{RLE}لکھیں{LRE}{EMAIL}{POP}!{POP}"),
    (f"{RLE}لکھیں{LRE}\u061f{EMAIL}{POP}{POP}", f"{RLE}لکھیں{LRE}{EMAIL}{POP}\u061f{POP}"),
    # English lines keep their order; a line never begins with a full stop in English
    ("Page 1 of 2", "Page 1 of 2"),
    ("Helpline: 0113 496 0777.", "Helpline: 0113 496 0777."),
], ids=["own-line", "own-line-two", "visual-email", "visual-web", "logical-stop",
        "logical-bang", "logical-question", "latin", "latin-stop"])
def test_sentence_punctuation_is_read_after_the_address(line: str, logical: str) -> None:
    """(Runs are joined by a space: spaces are compared folded.)"""
    assert " ".join(logical_text(line).split()) == logical


def _page(lang: str, stop: str, latin: bool) -> str:
    """Return pdftotext's text of a right-to-left paragraph ending with an address and
    ``stop``; with ``latin`` the page has more Latin letters than Arabic (read in visual
    order)."""
    words = {"ar": "ويمكنك أيضًا مراسلتنا على", "ur": "آپ ہمیں ای میل بھی کر سکتے ہیں"}[lang]
    english = "<p lang='en' dir='ltr'>" + "Example Charity opening hours " * 12 + "</p>"
    html = (f'<html lang="{lang}" dir="rtl"><body style="font-size:20pt; '
            f'font-family:\'Noto Naskh Arabic\'"><p>{words} <a href="mailto:{EMAIL}">{EMAIL}'
            f'</a>{stop}</p>{english if latin else ""}</body></html>')
    pdf = weasyprint.HTML(string=html).write_pdf()
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, check=True,
                            capture_output=True, timeout=60)
    return join_addresses(result.stdout.decode("utf-8"), [(re.compile(re.escape(EMAIL)), EMAIL)])


@pytest.mark.parametrize("latin", [False, True], ids=["logical-page", "visual-page"])
@pytest.mark.parametrize("lang", LANGS)
def test_weasyprint_and_pdftotext_give_the_address_whole_before_any_punctuation(
        lang: str, latin: bool) -> None:
    for stop in STOPS:
        read = plain_logical_text(_page(lang, stop, latin))
        assert emails(read) == [EMAIL], (stop, read)
        assert f"{EMAIL}{stop}" in read.replace(" ", ""), (stop, read)


# -- L2: the Arabic-script comma in "24 hours a day, 7 days a week" -----------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_24_hour_hours_use_the_arabic_comma_in_every_format(built: Path, lang: str) -> None:
    folder = built / "rtl-always" / lang
    with zipfile.ZipFile(folder / "rtl-always-leaflet.docx") as docx:
        document = docx.read("word/document.xml").decode("utf-8")
    texts = {"pdf": logical_text("".join(check_pdf.page_texts(_pdf(built, lang)))),
             "docx": re.sub(r"<[^>]+>", "", document),
             "html": (folder / "html" / "index.html").read_text(encoding="utf-8"),
             "transcript": (folder / "audio" / "transcript.txt").read_text(encoding="utf-8")}
    for name, text in texts.items():
        flat = re.sub(r"[\s\u202a-\u202e\u2066-\u2069]+", " ", text)
        days = {"ar": "24 ساعة في اليوم", "ur": "24 گھنٹے"}[lang]
        assert days in flat, name
        after = flat[flat.index(days) + len(days):][:40]
        assert "،" in after and "," not in after, (name, after)


# -- L7: a right-to-left book turns its pages right to left --------------------------------------

def _spine(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        opf = book.read("EPUB/package.opf").decode("utf-8")
    return re.search(r"<spine[^>]*>", opf).group(0)  # type: ignore[union-attr]


@pytest.mark.parametrize(("lang", "spine"), [("ar", '<spine page-progression-direction="rtl">'),
                                              ("ur", '<spine page-progression-direction="rtl">'),
                                              ("en-GB", "<spine>")])
def test_the_epub_spine_turns_pages_in_the_language_s_direction(built: Path, lang: str,
                                                                 spine: str) -> None:
    assert _spine(built / "rtl-always" / lang / "epub" / "rtl-always.epub") == spine


def test_an_arabic_epub_whose_spine_lost_its_direction_fails_check(built: Path,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built / "rtl-always" / "ar", out / "rtl-always" / "ar",
                    ignore=shutil.ignore_patterns(".cache", ".stamps"))
    path = out / "rtl-always" / "ar" / "epub" / "rtl-always.epub"
    copy = tmp_path / "copy.epub"
    with zipfile.ZipFile(path) as book, zipfile.ZipFile(copy, "w") as changed:
        for item in book.infolist():
            data = book.read(item)
            if item.filename == "EPUB/package.opf":
                data = data.replace(b' page-progression-direction="rtl"', b"")
            changed.writestr(item, data)
    shutil.move(copy, path)
    report = check([out], TODAY, formats={"epub"}, allow_edited=True)
    codes = [(f.code, f.message) for f in _errors(report.findings)]
    assert codes == [("epub-direction", "the spine's page-progression-direction is 'default', "
                      "not 'rtl': a reading system turns this ar book's pages left to right")]
