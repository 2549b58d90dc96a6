# ruff: noqa: RUF001  (Arabic-script text is what is tested)
"""Bidi controls in a catalogue are refused, and facts keep their order in right-to-left files.

A project catalogue whose translation holds a bidi control (an override such as U+202E, an
embedding, an isolate, a mark) would reverse a review date or pull an hour into a phone
number on the page while ``check`` passes: such a translation is refused with its file and
line and the character's name, and the package's words stand. Facts in right-to-left text
are isolated (``<bdi>`` on the web page and in the EPUB and PDF; LRI … PDI in the DOCX,
which LibreOffice honours, unlike the LRE … PDF embeddings before, which let the opening
hour sit between the label and the phone number). Real builds, read back from the files;
the DOCX through LibreOffice's own layout (converted to PDF, word boxes by pdfplumber).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.html
import pdfplumber
import pytest

from lmets_docs import i18n
from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.options import BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf.template import render_page
from tests.conftest import DATA

TODAY = dt.date(2026, 1, 5)
CLI = Path(sys.executable).with_name("lmets-docs")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
CONTROLS = ("\u061c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
            "\u2066", "\u2067", "\u2068", "\u2069")
HOSTILE = ('msgid "Last reviewed: {date}"\nmsgstr "آخری نظر ثانی: \u202e{date}"\n\n'
           'msgid "Next review due: {date}"\nmsgstr "اگلی نظر ثانی: \u202d{date}"\n\n'
           'msgid "Helpline: {phone}, {hours}"\nmsgstr "ہیلپ لائن: \u202e{phone}، {hours}"\n')


def _po(templates: Path, lang: str, body: str) -> Path:
    path = templates / "locale" / lang / "LC_MESSAGES" / "lmets_docs.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("control", CONTROLS)
def test_a_translation_with_any_bidi_control_is_refused_naming_it(
        control: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _po(tmp_path, "ur", f'msgid "Call {{phone}}"\nmsgstr "فون کریں: {control}{{phone}}"\n')
    i18n.messages.cache_clear()
    with caplog.at_level(logging.WARNING):
        words = i18n.messages("ur", tmp_path)("Call {phone}", phone="020")
    i18n.messages.cache_clear()
    assert control not in words and words == "فون کریں: 020"  # the package's translation
    assert f"{path}:4: the translation of 'Call {{phone}}' contains a bidi control " \
           f"(U+{ord(control):04X} " in caplog.text


def test_a_plural_form_with_a_bidi_control_is_refused(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _po(tmp_path, "ur", 'msgid "{count} part"\nmsgid_plural "{count} parts"\n'
               'msgstr[0] "{count} حصہ"\nmsgstr[1] "\u202e{count} حصے"\n')
    i18n.messages.cache_clear()
    with caplog.at_level(logging.WARNING):
        words = i18n.messages("ur", tmp_path).ngettext("{count} part", "{count} parts", 12)
    i18n.messages.cache_clear()
    assert "\u202e" not in words
    assert f"{path}:4: the translation of '{{count}} part' contains a bidi control " \
           "(U+202E RIGHT-TO-LEFT OVERRIDE)" in caplog.text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Build the Urdu glossary with a hostile project catalogue; return the folder, stderr."""
    root = tmp_path_factory.mktemp("hostile")
    _po(root / "templates", "ur", HOSTILE)
    result = subprocess.run(
        [str(CLI), "build", str(DATA / "glossary"), "--lang", "ur", "--format", "html",
         "--format", "docx", "--format", "pdf", "--templates", str(root / "templates"),
         "--out", str(root / "out")],
        check=False, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return root / "out" / "glossary-leaflet" / "ur", result.stderr


def test_the_hostile_catalogue_is_named_line_by_line(hostile: tuple[Path, str]) -> None:
    _out, stderr = hostile
    named = [line for line in stderr.splitlines() if "contains a bidi control" in line]
    assert [line.split(": the translation")[0].rsplit(":", 1)[1] for line in named] == \
        ["4", "7", "10"]
    assert "(U+202E RIGHT-TO-LEFT OVERRIDE)" in named[0]
    assert "(U+202D LEFT-TO-RIGHT OVERRIDE)" in named[1]


def test_no_control_reaches_the_files_and_the_dates_read_in_order(
        hostile: tuple[Path, str]) -> None:
    out, _stderr = hostile
    page = (out / "html" / "index.html").read_text(encoding="utf-8")
    docx = next(out.glob("*.docx"))
    with zipfile.ZipFile(docx) as archive:
        xml = "".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                      if name.startswith("word/") and name.endswith(".xml"))
    for text in (page, xml):
        assert "\u202e" not in text and "\u202d" not in text
    root = lxml.html.fromstring(page)
    footer = " ".join(" ".join(" ".join(p.itertext()).split()) for p in root.iter("footer"))
    assert "آخری نظر ثانی: 15 جنوری، 2025" in footer.replace("\u00a0", " ")
    # each review date is its own right-to-left isolate on the page
    dates = ["".join(b.itertext()).replace("\u00a0", " ") for b in root.iter("bdi")
             if b.get("dir") == "rtl"]
    assert "15 جنوری، 2025" in dates and "15 جنوری، 2028" in dates
    assert not check([out.parent.parent], dt.date.today()).errors


@pytest.mark.parametrize("profile", ["large", "giant"])
def test_the_pdf_page_isolates_the_hours_dates_and_phone(profile: Profile) -> None:
    leaflet = load_leaflet(DATA / "glossary", "ur")
    options = BuildOptions(out=Path("unused"), today=TODAY, templates=None, profile=profile)
    page = lxml.html.fromstring(render_page(leaflet, options).html)
    isolated = [(" ".join("".join(b.itertext()).split()), b.get("dir")) for b in page.iter("bdi")]
    assert ("پیر سے جمعہ تک، 10 صبح – 4 سہ پہر", "rtl") in isolated  # body, box, footer
    assert ("15 جنوری، 2025", "rtl") in isolated and ("15 جنوری، 2028", "rtl") in isolated
    assert ("020 7946 0000", "ltr") in isolated


ISOLATES = "\u2066\u2067\u2068\u2069"
"""Left-to-right, right-to-left and first-strong isolates, and their end: drawn with no width."""


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice")
def test_libreoffice_draws_the_hour_after_the_phone_number(tmp_path: Path) -> None:
    build([DATA / "arabic"], BuildOptions(out=tmp_path / "out", formats=("docx",),
                                          langs=("ar",), jobs=1, today=TODAY, templates=None))
    docx = next((tmp_path / "out").rglob("*.docx"))
    with zipfile.ZipFile(docx) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "\u2066" in body and "\u202a" not in body and "\u202c" not in body
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=300)
    # "{phone}، {hours}": every page's footer (the body's line wraps after the number). The
    # line's characters left to right, as drawn (pdfplumber's words join the hour's comma to
    # the number's first digit once the footer is at the body's 14 pt: "9،0", "808").
    drawn = _drawn(tmp_path / f"{docx.stem}.pdf", "0192")
    lines = [line for line in drawn if "،" in line]  # not the helpline box's "Call" line
    assert len(lines) >= 2
    for line in lines:
        # right to left: label, 0808 157 0192, then "، 9 ص": the hour left of the number
        assert re.search(r"ص\s?9\s?،\s?0\s?808 157 0192", line), line


def _drawn(pdf: Path, needle: str) -> list[str]:
    """Return each line holding ``needle`` as its characters are drawn, left to right, without
    the isolates (which have no width)."""
    lines = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for top in sorted({round(w["top"]) for w in page.extract_words()
                               if needle in w["text"]}):
                chars = sorted((c for c in page.chars if abs(c["top"] - top) < 3),
                               key=lambda c: c["x0"])
                lines.append("".join(c["text"] for c in chars if c["text"] not in ISOLATES))
    return lines


def test_import_docx_reads_the_isolated_facts_and_writes_no_control(tmp_path: Path) -> None:
    leaflet = tmp_path / "arabic"
    shutil.copytree(DATA / "arabic", leaflet)
    build([leaflet], BuildOptions(out=tmp_path / "out", formats=("docx",), langs=("ar",),
                                  jobs=1, today=TODAY, templates=None))
    docx = next((tmp_path / "out").rglob("*.docx"))
    with zipfile.ZipFile(docx) as archive:
        assert "\u2066" in archive.read("word/document.xml").decode("utf-8")
    before = (leaflet / "ar.md").read_text(encoding="utf-8")
    # Imported as a translation (Egyptian Arabic) made from it, word for word (--force): an
    # import never replaces the leaflet's source, ar.md.
    result = subprocess.run([str(CLI), "import-docx", str(docx), "--lang", "ar-EG", "--leaflet",
                             str(leaflet), "--force"], check=False, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (leaflet / "ar.md").read_text(encoding="utf-8") == before
    after = (leaflet / "ar-EG.md").read_text(encoding="utf-8")
    assert not [char for char in CONTROLS if char in after]
    # every fact comes back as its placeholder, in the same order (lines may be joined)
    assert " ".join(before.split()).count("{{ contacts.ward.phone }}، {{ contacts.ward.hours }}") \
        == " ".join(after.split()).count("{{ contacts.ward.phone }}، {{ contacts.ward.hours }}") \
        == 1
    assert sorted(re.findall(r"\{\{[^}]+\}\}", before)) == \
        sorted(re.findall(r"\{\{[^}]+\}\}", after))


@pytest.mark.parametrize(("written", "msgstr"), [
    ("{page!r}", "الصفحة {page!r} من {pages}"), ("{page:>9}", "الصفحة {page:>9} من {pages}"),
    ("{pages:>{x}}", "الصفحة {page} من {pages:>{x}}")])
def test_a_translation_that_formats_a_field_is_refused(
        written: str, msgstr: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _po(tmp_path, "ar", f'msgid "Page {{page}} of {{pages}}"\nmsgstr "{msgstr}"\n')
    i18n.messages.cache_clear()
    with caplog.at_level(logging.WARNING):
        words = i18n.messages("ar", tmp_path)("Page {page} of {pages}", page=1, pages=7)
    i18n.messages.cache_clear()
    assert words == "الصفحة 1 من 7"  # the package's translation
    assert f"{path}:4: the translation of 'Page {{page}} of {{pages}}' writes {written}" \
           in caplog.text


def test_the_docx_footer_keeps_its_page_field_with_such_a_catalogue(tmp_path: Path) -> None:
    _po(tmp_path / "templates", "ar",
        'msgid "Page {page} of {pages}"\nmsgstr "الصفحة {page!r} من {pages:>9}"\n')
    result = subprocess.run(
        [str(CLI), "build", str(DATA / "arabic"), "--lang", "ar", "--format", "docx",
         "--templates", str(tmp_path / "templates"), "--out", str(tmp_path / "out")],
        check=False, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "lmets_docs.po:4: the translation of 'Page {page} of {pages}' writes " \
           "{page!r}, {pages:>9}" in result.stderr
    with zipfile.ZipFile(next((tmp_path / "out").rglob("*.docx"))) as archive:
        footers = "".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                          if name.startswith("word/footer"))
    assert "PAGE" in footers and "\\x00" not in footers and "الصفحة" in footers
