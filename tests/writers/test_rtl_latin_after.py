"""English words after an address in right-to-left text are read after it, in every format.

An address in Arabic or Urdu text is isolated left to right (``<bdi>``, LRI … PDI). Latin
words right after it ("NHS", "Macmillan Cancer Support") were a left-to-right run of their
own, outside the isolate: the two runs were set from right to left, so the Latin block read
"NHS name@example.org" on the page. They now join the address's isolate. After a link whose
words are Arabic or Urdu, the PDF's printed address and the Latin words are one isolate too
(``LINK_WORDS``). Real builds of
``tests/data/rtl-latin-after``, read back as a reader sees them: the PDF through pdftotext,
the web page and the EPUB's chapter through Chromium's layout (where each word is drawn), the
DOCX's XML and LibreOffice's layout of it, and the DOCX imported back.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.i18n import latin_lead
from lmets_docs.options import BuildOptions
from tests.conftest import DATA, ROOT
from tests.node import CHROMIUM, run_node

TODAY = dt.date(2026, 1, 5)
CLI = Path(sys.executable).with_name("lmets-docs")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEAFLET = DATA / "rtl-latin-after"
EMAIL, WEB = "dayunit@example.org", "www.example.org/day-unit"
READ = {  # what each language's sentences say, the Latin words in the order they are read
    "ar": [f"{EMAIL} NHS", f"{WEB} Macmillan Cancer", "Macmillan (www.example.org/help) NHS"],
    "ur": [f"{EMAIL} NHS", f"{WEB} Macmillan Cancer Support"],
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("latin-after")
    build([LEAFLET], BuildOptions(out=root / "output", formats=("pdf", "html", "epub", "docx"),
                                  tts="espeak", jobs=2, today=TODAY, templates=None,
                                  cache_dir=root / "cache"))
    return root / "output" / "rtl-latin-after"


@pytest.mark.parametrize(("text", "lead"), [
    (" NHS شكرا.", " NHS"), (" Macmillan Cancer Support، ثم", " Macmillan Cancer Support"),
    (" 24 NHS 111 پر", " 24 NHS"), (". شكرا", ""), ("، NHS", "، NHS"), (" شكرا NHS", ""),
    ("", "")])
def test_latin_lead_is_the_latin_words_before_any_right_to_left_letter(
        text: str, lead: str) -> None:
    assert latin_lead(text) == lead


def test_the_check_passes(out: Path) -> None:
    assert not check([out.parent], TODAY).errors


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_the_pdf_reads_the_address_then_the_english_words(out: Path, lang: str) -> None:
    pdf = next((out / lang).glob("*-large-print.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    for words in READ[lang]:
        assert words in text, text


LINK_WORDS = {"ar": "موقعنا", "ur": "یہاں"}
"""The words of a link in Arabic or Urdu whose printed address ("(www.example.org/help)") is
followed by "Macmillan": in the PDF the address and the word were two left-to-right runs set
from right to left, "Macmillan (www.example.org/help)" read from the left, as if the address
were Macmillan's."""
HELP = "https://www.example.org/help"


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_the_pdf_draws_a_links_address_then_the_english_word(out: Path, lang: str) -> None:
    """Read from where pdfplumber finds each word drawn (visual order, left to right)."""
    pdf_path = next((out / lang).glob("*-large-print.pdf"))
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            for word in (w for w in words if "www.example.org/help" in w["text"]):
                line = sorted((w for w in words if abs(w["top"] - word["top"]) < 3),
                              key=lambda w: w["x0"])
                texts = [w["text"] for w in line]
                if "NHS" in texts:  # the Latin link's sentence: "Macmillan (…) NHS"
                    continue
                # the address in its brackets (not mirrored), then the English word, read
                # from the left as one block
                assert word["text"] == "(www.example.org/help)", texts
                assert texts[texts.index(word["text"]) + 1] == "Macmillan", texts
                macmillan = line[texts.index("Macmillan")]
                links = [a for a in page.hyperlinks if a.get("uri") == HELP
                         and abs(a["top"] - word["top"]) < 8]
                # the link's words to the right of both; the address a link of its own
                assert len(links) == 2, links
                assert any(a["x0"] >= macmillan["x1"] for a in links)
                inside = [a for a in links if a["x0"] >= word["x0"] and a["x1"] <= word["x1"]]
                assert inside and inside[0]["x1"] - inside[0]["x0"] > 0.8 * (
                    word["x1"] - word["x0"]), (links, word)  # the address, its brackets outside
                return
    pytest.fail("no line prints the link's address without NHS")


def _drawn(page: Path, tmp_path: Path, first: str, then: str) -> list[tuple[float, float]]:
    """Return the left edges of ``first`` and ``then`` where Chromium draws them on one line."""
    boxes = tmp_path / "boxes.json"
    run_node([ROOT / "tests" / "js" / "word_boxes.mjs", page, boxes, first, then],
             timeout=300, cwd=ROOT)
    found = json.loads(boxes.read_text(encoding="utf-8"))
    return [(a[0], b[0]) for a in found[first] for b in found[then] if abs(a[1] - b[1]) < 2]


@pytest.mark.skipif(not CHROMIUM.is_file(), reason="Chromium")
@pytest.mark.parametrize("lang", ["ar", "ur"])
@pytest.mark.parametrize("edition", ["web", "epub"])
def test_chromium_draws_the_english_words_right_of_the_address(
        out: Path, lang: str, edition: str, tmp_path: Path) -> None:
    if edition == "web":
        page = out / lang / "html" / "index.html"
    else:
        with zipfile.ZipFile(next((out / lang / "epub").glob("*.epub"))) as epub:
            epub.extractall(tmp_path / "epub")
        page = next(p for p in (tmp_path / "epub" / "EPUB").glob("c*.xhtml")
                    if "NHS" in p.read_text(encoding="utf-8"))
    for address, word in ((EMAIL, "NHS"), (WEB, "Macmillan")):
        lines = _drawn(page, tmp_path, address, word)
        assert lines  # the body's sentence (the contact box holds no such word)
        # a left-to-right block is read from its left: the address, then the word
        assert all(left < right for left, right in lines), lines
    # the web page prints no link address: the English word is left of the link's words
    lines = _drawn(page, tmp_path, "Macmillan", LINK_WORDS[lang])
    assert lines and all(left < right for left, right in lines), lines


def _docx(out: Path, lang: str) -> Path:
    return next((out / lang).glob("*.docx"))


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_the_docx_isolates_the_address_with_the_english_words(out: Path, lang: str) -> None:
    with zipfile.ZipFile(_docx(out, lang)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    paragraphs = ["".join(p.itertext()) for p in body.iter(f"{W}p")]
    assert any(f"\u2066{EMAIL} NHS\u2069 " in text for text in paragraphs), paragraphs
    assert any(f"\u2066{WEB} Macmillan Cancer Support\u2069" in text for text in paragraphs)
    nhs = next(r for r in body.iter(f"{W}r") if "".join(r.itertext()) == " NHS")
    assert nhs.find(f"{W}rPr/{W}rtl") is None  # a left-to-right run


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice")
def test_libreoffice_draws_the_english_word_right_of_the_address(
        out: Path, tmp_path: Path) -> None:
    docx = _docx(out, "ar")
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=300)
    with pdfplumber.open(tmp_path / f"{docx.stem}.pdf") as pdf:
        words = pdf.pages[0].extract_words()
    # LibreOffice draws the isolates' controls, which join the words beside them
    nhs = next(w for w in words if w["text"].startswith("NHS"))
    line = [w for w in words if abs(w["top"] - nhs["top"]) < 3]
    email = next(w for w in line if "@example.org" in w["text"])
    assert email["x0"] < nhs["x0"], [w["text"] for w in sorted(line, key=lambda w: w["x0"])]


def test_import_docx_reads_the_english_words_back_after_the_address(
        out: Path, tmp_path: Path) -> None:
    leaflet = tmp_path / "leaflet"
    shutil.copytree(LEAFLET, leaflet)
    result = subprocess.run([str(CLI), "import-docx", str(_docx(out, "ar")), "--lang", "ar-EG",
                             "--leaflet", str(leaflet), "--force"], check=False,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    after = " ".join((leaflet / "ar-EG.md").read_text(encoding="utf-8").split())
    assert "{{ contacts.dayunit.email }} NHS شكرا." in after
    assert "{{ contacts.dayunit.web }} Macmillan Cancer Support، ثم" in after
    assert "\u2066" not in after and "\u2069" not in after
