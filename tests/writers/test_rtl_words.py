# ruff: noqa: RUF001  (Arabic-script text is what is tested)
"""Welsh, Urdu and Arabic leaflets say their fixed words in their own language, and
right-to-left outputs keep left-to-right runs isolated, read back from the built files.

One real build: the Urdu glossary leaflet (PDF, DOCX, narration), the Arabic clinic (PDF,
narration) and the Welsh clinic (PDF, DOCX, narration). The PDFs are read with pdftotext
(text and word boxes), the DOCX through LibreOffice's own layout (converted to PDF), the
narration from its transcript; ``check`` proves every fact in all of them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pdfplumber
import pytest
from lxml import etree

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check.bidi import plain_logical_text
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from tests.conftest import DATA

TODAY = dt.date(2026, 1, 5)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CASES = {("glossary", "ur"): ("pdf", "docx", "audio", "html", "epub"),
         ("arabic", "ar"): ("pdf", "audio"),
         ("clinic-contacts", "cy"): ("pdf", "docx", "audio")}
IDS = {"glossary": "glossary-leaflet", "arabic": "arabic-clinic",
       "clinic-contacts": "clinic-contacts"}
ENGLISH_PRINTED = ("Page ", "Large print", "Last reviewed", "Next review due", "Helpline",
                   "Call ", "Glossary", "References", "About this information",
                   "Published by", "Email:", "Web:")
ENGLISH_SAID = ("This is a spoken version", "It lasts about", "Part ", "Lines are open",
                "This is the end of the recording", "to talk to someone", "That number again",
                "last reviewed", "next review", "The printed leaflet lists", "From ")
REFERENCES = ("A Writer and others. Keeping a diary: does it help?",
              "Example Journal, 2024. https://example.org/diary",
              "B Author. Planning your week. Example Press, 2023.")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build every case into one folder; return it."""
    root = tmp_path_factory.mktemp("rtl-words") / "out"
    for (folder, lang), formats in CASES.items():
        build([DATA / folder], BuildOptions(out=root, formats=formats, langs=(lang,), jobs=1,
                                            today=TODAY, templates=None, tts="espeak"))
    return root


def folder(out: Path, case: str, lang: str) -> Path:
    return out / IDS[case] / lang


def pdf_of(out: Path, case: str, lang: str) -> Path:
    return next(folder(out, case, lang).glob("*-large-print.pdf"))


def pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_built_file_passes_check(out: Path) -> None:
    report = check([out], TODAY)
    assert not report.errors, report.text()


@pytest.mark.parametrize(("case", "lang"), [("glossary", "ur"), ("arabic", "ar")])
def test_urdu_and_arabic_pdfs_print_no_english_fixed_word(
        out: Path, case: str, lang: str) -> None:
    text = pdftotext(pdf_of(out, case, lang))
    assert not [words for words in ENGLISH_PRINTED if words in text]
    assert ("صفحہ" if lang == "ur" else "الصفحة") in text  # "Page 1 of N", in its words


def test_the_urdu_pdf_reads_in_order_in_its_text_layer(out: Path) -> None:
    text = folded(plain_logical_text(pdftotext(pdf_of(out, "glossary", "ur"))))
    assert "ہیلپ لائن: 020 7946 0000، پیر سے جمعہ تک، 10 صبح – 4 سہ پہر" in text
    assert "فون کریں: 020 7946 0000" in text
    assert "آخری نظر ثانی: 15 جنوری، 2025" in text
    assert "ناشر: Example Health Charity" in text
    for reference in REFERENCES:  # isolated: the question mark and full stop at their ends
        assert reference in text
    assert "?A Writer" not in text and ".B Author" not in text


def _words(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """Return the words of a page as (top, left, text) from pdftotext's word boxes."""
    boxes = pdftotext(pdf, "-bbox", "-f", str(page), "-l", str(page))
    return [(round(float(top)), float(left), word) for left, top, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', boxes)]


def test_the_urdu_footer_and_references_lie_in_order_on_the_page(out: Path) -> None:
    words = _words(pdf_of(out, "glossary", "ur"), 2)
    bottom = max(top for top, _l, _w in words)
    footer = sorted(w for w in words if w[0] > bottom - 6)  # Urdu and digit boxes differ
    digits = [left for _t, left, word in footer if word.strip("،") in ("020", "7946", "0000")]
    label = [left for _t, left, word in footer if "لائن" in word or "ئال" in word]
    assert len(digits) == 3 and digits == sorted(digits)  # 020 7946 0000, left to right
    assert label and min(label) > max(digits)  # the Urdu label to the right of the number
    by_line: dict[int, list[tuple[float, str]]] = {}
    for top, left, word in words:
        by_line.setdefault(int(top) // 6, []).append((left, word))
    lines = [" ".join(w for _l, w in sorted(line)) for line in by_line.values()]
    assert any(line.startswith("B Author. Planning") and "2023." in line for line in lines)
    assert not any("?A" in line or ".B" in line for line in lines)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice")
def test_the_urdu_docx_reads_in_order_as_libreoffice_lays_it_out(
        out: Path, tmp_path: Path) -> None:
    docx = next(folder(out, "glossary", "ur").glob("*.docx"))
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=300)
    # word boxes (pdfplumber), not pdftotext: LibreOffice 7.4 draws each isolate as an empty
    # glyph with its own ActualText, and poppler drops the letter the PDI's glyph overlaps
    with pdfplumber.open(tmp_path / f"{docx.stem}.pdf") as pdf:
        words = [w for page in pdf.pages for w in page.extract_words()]
    lines = {" ".join(w["text"] for w in sorted(
        (w for w in words if abs(w["top"] - top) < 3), key=lambda w: w["x0"]))
        for top in {round(w["top"]) for w in words if w["text"] in ("Author.", "Writer")}}
    assert any("B Author. Planning your week. Example Press, 2023." in line for line in lines)
    assert not any(".B Author" in line or "?A Writer" in line for line in lines), lines
    with zipfile.ZipFile(docx) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    # the reference is one left-to-right isolate (LRI), its runs not marked right to left
    assert re.search("<w:t[^>]*>\u2066</w:t></w:r><w:r><w:t[^>]*>B Author", body)
    assert "\u202a" not in body and "\u202c" not in body  # no embedding (LRE … PDF) left


def _isolated(root: etree._Element) -> list[str]:
    """Return the text of every ``<bdi dir="ltr">`` of a page, spaces folded."""
    return [" ".join("".join(e.itertext()).split()) for e in root.iter()
            if isinstance(e.tag, str) and etree.QName(e).localname == "bdi"
            and e.get("dir") == "ltr"]


def test_the_urdu_web_page_and_epub_isolate_latin_names_and_references(out: Path) -> None:
    page = lxml.html.parse(str(folder(out, "glossary", "ur") / "html" / "index.html")).getroot()
    assert page.get("dir") == "rtl"
    with zipfile.ZipFile(next(folder(out, "glossary", "ur").glob("epub/*.epub"))) as book:
        epub = [etree.fromstring(book.read(name)) for name in book.namelist()
                if name.endswith(".xhtml")]
    for isolated in (_isolated(page), [text for root in epub for text in _isolated(root)]):
        for reference in (REFERENCES[0], REFERENCES[2]):
            assert any(text.startswith(reference) for text in isolated), (reference, isolated)
        assert "Example Health Charity" in isolated  # the publisher
        assert "020 7946 0000" in isolated  # the phone number, as before


def _transcript(out: Path, case: str, lang: str) -> list[str]:
    path = folder(out, case, lang) / "audio" / "transcript.txt"
    return [line for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def _data_words(out: Path, case: str, lang: str) -> list[str]:
    """Return what the leaflet's own data says (names, addresses), longest first."""
    manifest = json.loads((folder(out, case, lang) / "manifest.json").read_text("utf-8"))
    values = {v for fact in manifest["facts"].values() for v in (fact["printed"],
                                                                  fact["spoken"]) if v}
    return sorted(values, key=len, reverse=True)


@pytest.mark.parametrize(("case", "lang"), [("glossary", "ur"), ("arabic", "ar")])
def test_the_urdu_and_arabic_narration_says_no_english_sentence(
        out: Path, case: str, lang: str) -> None:
    data = _data_words(out, case, lang)
    english = []
    for line in _transcript(out, case, lang):
        rest = line
        for value in data:
            rest = rest.replace(value, " ")
        english += re.findall(r"[A-Za-z]{2,}", rest)
    assert english == []
    said = "\n".join(_transcript(out, case, lang))
    assert not [words for words in ENGLISH_SAID if words in said]


def test_the_welsh_leaflet_says_welsh_fixed_words_in_every_format(out: Path) -> None:
    text = folded(pdftotext(pdf_of(out, "clinic-contacts", "cy")))
    for welsh in ("Tudalen 1 o", "Print bras", "Llinell gymorth:", "Ffoniwch",
                  "Adolygwyd ddiwethaf:"):
        assert welsh in text
    assert not [words for words in ENGLISH_PRINTED if words in text]
    docx = next(folder(out, "clinic-contacts", "cy").glob("*.docx"))
    with zipfile.ZipFile(docx) as archive:
        xml = "".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                      if name.startswith("word/") and name.endswith(".xml"))
    words = folded(re.sub(r"<[^>]+>", "", xml))
    for welsh in ("Tudalen", "Llinell gymorth", "Ffoniwch", "Cyhoeddwyd gan"):
        assert welsh in words
    assert "Page " not in words and "Published by" not in words
    said = "\n".join(_transcript(out, "clinic-contacts", "cy"))
    assert "Dyma ddiwedd y recordiad." in said and "Dyma fersiwn llafar" in said
    assert not [words for words in ENGLISH_SAID if words in said]


def test_the_arabic_narration_says_the_day_period_in_words(out: Path) -> None:
    clips = read_manifest(folder(out, "arabic", "ar")).artifacts["audio"].details["spoken_facts"]
    said = "\n".join(clip["text"] for clip in clips)  # the words said (the transcript prints)
    assert "9 صباحًا" in said  # CLDR's wide day period, not the abbreviation "ص"
    assert not re.search(r"(?<!\S)[صم](?!\S)", said)  # no one-letter period left
    printed = plain_logical_text(pdftotext(pdf_of(out, "arabic", "ar")))
    assert "ص –" in printed  # the printed hours keep the abbreviation
    line = next(line for line in said.splitlines() if "صباحًا" in line)
    phonemes = subprocess.run(["espeak-ng", "-v", "ar", "-q", "-x", line], check=True,
                              capture_output=True, text=True, timeout=60).stdout
    assert "s['aba:H" in phonemes and "s['a.:d" not in phonemes  # ṣabāḥan, never "ṣād"
