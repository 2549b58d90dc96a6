"""The whole translation round trip, in Welsh and in Urdu.

The English DOCX is built, translated as a translator would in Word (programmatically: every
run outside the locked facts becomes a short neutral fixture sentence, see tests/data), imported
with ``import-docx``, and the leaflet is built in that language (PDF, DOCX and, when the audio
writer loads, narration). Every format must show the translated text, the English build's
facts and its language; the Urdu PDF must run right to left with every glyph present.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pdfplumber
import pytest
from lxml import etree
from mutagen.id3 import ID3

from lmets_docs import formats
from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.facts import FactFormatter
from lmets_docs.i18n import left_to_right
from lmets_docs.importer import import_docx
from lmets_docs.manifest import Manifest, read_manifest
from lmets_docs.model import GlossaryTerm, Inline, Leaflet, Link, Strong, Text
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.text import fold
from lmets_docs.writers.pdf.template import render_page
from tests import pdfread
from tests.conftest import BEFORE_DUE, DATA, SEED
from tests.docx_edit import sentences, translate_docx
from tests.importer.test_import_docx import build_docx

LANGS = ("cy", "ur")
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
W = f"{{{NS['w']}}}"
ARABIC_RUN = re.compile(r"[\u0600-\u06ff]+(?:[ \u0600-\u06ff]*[\u0600-\u06ff])?")
ARABIC_WORDS = re.compile(r"[\u0621-\u064a\u0679-\u06d3]+(?: [\u0621-\u064a\u0679-\u06d3]+)*")
"""Runs of Arabic-script words without digits: poppler puts digits in RTL lines either side."""
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def audio_loads() -> bool:
    """Say whether the audio writer is installed and imports."""
    try:
        formats.load("audio")
    except Exception:  # another change may still be under way there; test what can be tested
        return False
    return True


FORMATS = ("pdf", "docx", "audio") if audio_loads() else ("pdf", "docx")


@dataclass
class RoundTrip:
    """A leaflet folder with imported translations, and its builds."""

    folder: Path
    out: Path
    templates: Path

    def leaflet(self, lang: str) -> Leaflet:
        """Return the leaflet in ``lang`` as the loader reads it."""
        return load_leaflet(self.folder, lang)

    def manifest(self, lang: str) -> Manifest:
        """Return the manifest of the build in ``lang``."""
        return read_manifest(self.out / SEED.name / lang)

    def file(self, lang: str, fmt: str, role: str | None = None) -> Path:
        """Return a built file of one format (its main file unless ``role`` says)."""
        entry = self.manifest(lang).artifacts[fmt]
        return self.out / SEED.name / lang / entry.files[role or fmt]


@pytest.fixture(scope="module")
def trip(tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    """Translate the English DOCX into Welsh and Urdu, import both, build all three."""
    root = tmp_path_factory.mktemp("trip")
    folder = root / "content" / SEED.name
    shutil.copytree(SEED, folder)
    templates = root / "templates"
    shutil.copytree(DATA / "templates", templates)
    english = build_docx(load_leaflet(folder, "en-GB"), root / "docx")
    for lang in LANGS:
        translated = translate_docx(english, root / f"{lang}.docx", sentences(lang))
        import_docx(translated, lang, folder)
    options = BuildOptions(out=root / "output", tts="espeak", jobs=2, today=BEFORE_DUE,
                           templates=templates, cache_dir=root / "cache")
    build([folder], dataclasses.replace(options, langs=("en-GB",), formats=("pdf", "docx")))
    build([folder], dataclasses.replace(options, langs=LANGS, formats=FORMATS))
    return RoundTrip(folder, root / "output", templates)


def pieces(leaflet: Leaflet) -> set[str]:
    """Return every piece of translated text: title, headings, and the text between facts."""
    found = {leaflet.title, *(s.title for s in leaflet.sections)}
    for block in leaflet.all_blocks():
        groups = [i.inlines for i in getattr(block, "items", ())] or [
            getattr(block, "inlines", ())]
        found |= {t for g in groups for t in _texts(g)}
        found |= {getattr(block, "alt", "")}
    return {fold(p) for p in found if p.strip()}


def _texts(items: tuple[Inline, ...]) -> list[str]:
    out: list[str] = []
    for item in items:
        if isinstance(item, Text | GlossaryTerm):
            out.append(item.text)
        elif isinstance(item, Strong | Link):
            out += _texts(item.children)
    return out


def pdf_text(path: Path, lang: str) -> str:
    """Return the PDF's text folded: pdfplumber's, or for RTL poppler's (logical order)."""
    if lang == "ur":
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                             check=True, timeout=60).stdout
        return fold(BIDI_CONTROLS.sub("", out))
    return " ".join(pdfread.page_texts(path))


def docx_text(path: Path) -> str:
    """Return the text of every paragraph of the DOCX body, facts included, folded."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return fold(" ".join("".join(t.text or "" for t in p.iter(f"{W}t"))
                         for p in root.iter(f"{W}p")))


def transcript(trip: RoundTrip, lang: str) -> str:
    """Return the narration's transcript, folded."""
    return fold(trip.file(lang, "audio", "transcript").read_text(encoding="utf-8"))


def expected_pieces(trip: RoundTrip, lang: str, fmt: str) -> set[str]:
    """Return the pieces to look for: whole, or in the Urdu PDF its runs of words."""
    found = pieces(trip.leaflet(lang))
    if lang == "ur" and fmt == "pdf":
        return {run for piece in found for run in ARABIC_WORDS.findall(piece)}
    return found


# The translations -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_imported_translation_has_the_source_structure(trip: RoundTrip, lang: str) -> None:
    english, translated = trip.leaflet("en-GB"), trip.leaflet(lang)
    assert [s.id for s in translated.sections] == [s.id for s in english.sections]
    assert [(type(b), b.id) for b in translated.all_blocks()] == [
        (type(b), b.id) for b in english.all_blocks()]
    front = (trip.folder / f"{lang}.md").read_text(encoding="utf-8").split("---\n")[1]
    assert "translated_from: en-GB\n" in front
    assert not {p for p in pieces(translated) if p in pieces(english)} - {
        r.title for r in english.references}


# Every format -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_translated_text_is_in_every_format(trip: RoundTrip, lang: str, fmt: str) -> None:
    text = {"pdf": lambda: pdf_text(trip.file(lang, "pdf"), lang),
            "docx": lambda: docx_text(trip.file(lang, "docx")),
            "audio": lambda: transcript(trip, lang)}[fmt]()
    wanted = expected_pieces(trip, lang, fmt)
    assert wanted
    if lang == "ur" and fmt == "pdf":
        # its runs of words in the order read, Latin set aside: pdftotext reads a line that
        # starts with a Latin link's address (the forum's) with the Urdu word that ends it first
        text = " ".join(ARABIC_WORDS.findall(text))
    missing = [piece for piece in wanted if piece not in text]
    assert not missing


@pytest.mark.parametrize("lang", LANGS)
def test_the_facts_are_the_english_builds_facts(trip: RoundTrip, lang: str) -> None:
    english, translated = trip.manifest("en-GB"), trip.manifest(lang)
    # The seed's glossary term has no definition (the source page gives none): a warning.
    # The helpline's name is one text, in English: said for the translation (finding H6).
    untranslated = "contacts.helpline.name is one text for every language"
    unexpected = [w for w in translated.warnings + english.warnings
                  if "glossary term" not in w and untranslated not in w]
    assert unexpected == []
    assert [untranslated in w for w in translated.warnings].count(True) == 1
    assert translated.review == english.review
    assert translated.facts["contacts.helpline.phone"] == english.facts["contacts.helpline.phone"]
    for name in ("contacts.helpline.name", "publisher.name", "forum.name"):
        assert translated.facts[name] == english.facts[name]
    leaflet = trip.leaflet(lang)
    formatted = FactFormatter(leaflet.facts, leaflet.publisher, lang)
    assert {n: v.printed for n, v in translated.facts.items()} == {
        n: v.printed for n, v in formatted.values.items()}


@pytest.mark.parametrize("lang", LANGS)
def test_the_facts_read_back_from_every_format(trip: RoundTrip, lang: str) -> None:
    facts = trip.manifest(lang).facts
    with zipfile.ZipFile(trip.file(lang, "docx")) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    controls = root.xpath(".//w:sdt[starts-with(w:sdtPr/w:tag/@w:val, 'fact:')]", namespaces=NS)
    assert len(controls) > 5
    for sdt in controls:
        name = sdt.find("w:sdtPr/w:tag", NS).get(f"{W}val").removeprefix("fact:")
        assert "".join(t.text for t in sdt.iter(f"{W}t")) == facts[name].printed
    phone = facts["contacts.helpline.phone"]
    assert phone.printed in pdf_text(trip.file(lang, "pdf"), lang)
    if lang == "cy":
        text = pdf_text(trip.file(lang, "pdf"), lang)
        assert all(fold(facts[n].printed) in text for n in (
            "contacts.helpline.hours", "review.last_reviewed", "review.next_review_due"))
    else:
        assert all(on_one_line(trip.file(lang, "pdf"), facts[n].printed)
                   for n in ("contacts.helpline.hours", "review.last_reviewed",
                             "review.next_review_due"))
    if "audio" in FORMATS:
        assert fold(phone.printed) in transcript(trip, lang)  # written as printed
    report = check([trip.out / SEED.name / lang], BEFORE_DUE,
                   formats={"pdf", "docx"})
    assert not report.errors, report.text()


def on_one_line(path: Path, printed: str) -> bool:
    """Say whether every word of ``printed`` is on one line of the PDF (any order: RTL)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    words = {w.strip("،,") for w in printed.split()} - {""}
    lines = [set(BIDI_CONTROLS.sub(" ", line).replace("،", " ").replace(",", " ").split())
             for line in out.splitlines()]
    return any(words <= line for line in lines)


@pytest.mark.parametrize("lang", LANGS)
def test_every_format_says_its_language(trip: RoundTrip, lang: str) -> None:
    pdf = trip.file(lang, "pdf")
    assert pdfread.catalog(pdf)["/Lang"] == lang
    assert f"<rdf:li>{lang}</rdf:li>" in pdfread.xmp(pdf)
    direction = "rtl" if lang == "ur" else "ltr"
    page = render_page(trip.leaflet(lang), BuildOptions(templates=trip.templates,
                                                        today=BEFORE_DUE))
    assert f'<html lang="{lang}" dir="{direction}">' in page.html
    path = trip.file(lang, "docx")
    with zipfile.ZipFile(path) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(f"{W}val") == lang
    assert docx.Document(str(path)).core_properties.language == lang
    if "audio" in FORMATS:
        tags = ID3(trip.file(lang, "audio", "narration"))  # type: ignore[no-untyped-call]
        assert tags["TLAN"].text[0] == {"cy": "cym", "ur": "urd"}[lang]


# Right to left and every glyph ------------------------------------------------------------------


def test_the_urdu_pdf_runs_right_to_left_with_every_glyph(trip: RoundTrip) -> None:
    path, title = trip.file("ur", "pdf"), trip.leaflet("ur").title
    with pdfplumber.open(path) as pdf:  # below the page number ("صفحہ 1 از 5", in Urdu)
        chars = [c for c in pdf.pages[0].chars if ARABIC_RUN.match(c["text"])
                 and c["top"] > pdf.pages[0].height * 0.12]
    top = min(c["top"] for c in chars)
    line = sorted((c for c in chars if abs(c["top"] - top) < 10), key=lambda c: -c["x0"])
    assert "".join(c["text"] for c in line) == title.replace(" ", "")
    assert line[0]["x1"] > 500  # set from the right margin (A4 is 595 pt wide)
    assert 0 not in pdfread.glyph_ids(path)
    fonts = pdfread.fonts(path)
    assert all(font.embedded for font in fonts)
    assert any("Noto-Naskh-Arabic" in font.name for font in fonts)
    assert "(cid:" not in " ".join(pdfread.page_texts(path))


def test_the_urdu_docx_runs_right_to_left(trip: RoundTrip) -> None:
    with zipfile.ZipFile(trip.file("ur", "docx")) as package:
        root = etree.fromstring(package.read("word/document.xml"))
        styles = etree.fromstring(package.read("word/styles.xml"))
    assert all(p.find("w:pPr/w:bidi", NS) is not None for p in root.iter(f"{W}p"))
    words = [r for r in root.iter(f"{W}r") if not list(r.iterancestors(f"{W}sdt"))
             and "".join(t.text or "" for t in r.iter(f"{W}t")).strip(" \u2066\u2069")]
    # Urdu words run right to left; a Latin name is isolated left to right, not marked rtl
    assert words and all((r.find("w:rPr/w:rtl", NS) is None) == left_to_right(
        "".join(t.text or "" for t in r.iter(f"{W}t"))) for r in words)
    phone = root.xpath(".//w:sdt[w:sdtPr/w:tag/@w:val='fact:contacts.helpline.phone']",
                       namespaces=NS)
    assert phone and phone[0].find(".//w:rtl", NS) is None
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(f"{W}cs") == "Noto Nastaliq Urdu"
    assert defaults.find("w:lang", NS).get(f"{W}bidi") == "ur"


def test_welsh_letters_come_from_noto_sans(trip: RoundTrip) -> None:
    with pdfplumber.open(trip.file("cy", "pdf")) as pdf:
        fonts = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars
                 if c["text"] in "ŵŷ"}
    assert fonts and all(name.startswith("Noto-Sans") for name in fonts)
    assert 0 not in pdfread.glyph_ids(trip.file("cy", "pdf"))


# Fixed words ------------------------------------------------------------------------------------


def test_fixed_words_come_from_the_project_catalogue_then_the_packages(
    trip: RoundTrip,
) -> None:
    pdf = pdf_text(trip.file("cy", "pdf"), "cy")
    assert "Tudalen 1 o " in pdf and "Print bras" in pdf and "Adolygwyd ddiwethaf: " in pdf
    assert "Dyddiad yr adolygiad nesaf: " in pdf  # the package's Welsh (not the fixture's)
    document = docx.Document(str(trip.file("cy", "docx")))
    headings = [p.text for p in document.paragraphs if p.style is not None
                and p.style.name == "Heading 2"]
    assert "Llinell gymorth" in headings and "Am yr wybodaeth hon" in headings
    footer = "".join(t.text or "" for t in document.sections[0].footer._element.iter(f"{W}t"))
    assert "Tudalen " in footer
    if audio_loads():
        said = transcript(trip, "cy")
        assert "Dyma ddiwedd y recordiad." in said and "This is the end" not in said

