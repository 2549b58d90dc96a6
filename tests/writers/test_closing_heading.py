"""The word over the contacts, the same in every format and every language: "Helpline" for a
leaflet with one contact, "Contacts" for several (the user test's L5), and the closing part
that also gives the review dates titled "Helpline and review dates" or "Contacts and review
dates" with the same word.

Each format is read back from its file: the DOCX's Heading 2 (python-docx), the narration's
ID3 chapters (mutagen, and ffprobe as a second reader), the closing track's own title and the
transcript, the EPUB's navigation document, back matter and its SMIL, the web page's contacts
box, and the BRF translated back by liblouis. ``switchboard`` has two contacts (English,
Welsh, Urdu, Arabic); ``glossary`` (``glossary-leaflet``) one (English, Urdu).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from docx import Document
from lxml import etree
from mutagen.id3 import ID3

from lmets_docs.build import build
from lmets_docs.check.braille import pages, reading, text_blocks, text_lines
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.writers.audio.script import CLOSING_REF
from tests.conftest import DATA

TODAY = dt.date(2026, 6, 1)
FORMATS = ("docx", "audio", "epub", "html", "braille")
SEVERAL = {  # the package's catalogues' words (drafts, as the catalogues say)
    "en-GB": ("Contacts", "Contacts and review dates"),
    "cy": ("Cysylltiadau", "Cysylltiadau a dyddiadau adolygu"),
    "ur": ("رابطے", "رابطے اور نظر ثانی کی تاریخیں"),
    "ar": ("جهات الاتصال", "جهات الاتصال وتواريخ المراجعة"),
}
ONE = {
    "en-GB": ("Helpline", "Helpline and review dates"),
    "ur": ("ہیلپ لائن", "ہیلپ لائن اور نظر ثانی کی تاریخیں"),
}
CASES = [("switchboard", lang, words) for lang, words in SEVERAL.items()] + [
    ("glossary-leaflet", lang, words) for lang, words in ONE.items()]
XHTML = {"x": "http://www.w3.org/1999/xhtml"}
SMIL = {"s": "http://www.w3.org/ns/SMIL"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build both leaflets in every language, in every format that has the heading."""
    root = tmp_path_factory.mktemp("closing")
    options = BuildOptions(out=root / "out", formats=FORMATS, jobs=2, today=TODAY,
                           templates=None, tts="espeak", cache_dir=root / "cache")
    for name in ("switchboard", "glossary"):
        build([Path(shutil.copytree(DATA / name, root / name))], options)
    return root / "out"


def _folder(built: Path, leaflet: str, lang: str) -> Path:
    return built / leaflet / lang


def _files(built: Path, leaflet: str, lang: str, fmt: str) -> dict[str, Path]:
    folder = _folder(built, leaflet, lang)
    entry = read_manifest(folder).artifacts[fmt]
    return {role: folder / rel for role, rel in entry.files.items()}


@pytest.mark.parametrize(("leaflet", "lang", "words"), CASES)
def test_the_docx_heads_the_contacts_with_the_word(
        built: Path, leaflet: str, lang: str, words: tuple[str, str]) -> None:
    (path,) = _files(built, leaflet, lang, "docx").values()
    headings = [p.text for p in Document(str(path)).paragraphs
                if p.style is not None and p.style.name == "Heading 2"]
    assert words[0] in headings, headings
    assert not {w for each in (*SEVERAL.values(), *ONE.values()) for w in each
                if w != words[0]} & set(headings)


def _id3(path: Path) -> Any:
    return ID3(path)  # type: ignore[no-untyped-call]


@pytest.mark.parametrize(("leaflet", "lang", "words"), CASES)
def test_the_narrations_last_chapter_is_titled_with_the_word(
        built: Path, leaflet: str, lang: str, words: tuple[str, str]) -> None:
    files = _files(built, leaflet, lang, "audio")
    chapters = sorted(_id3(files["narration"]).getall("CHAP"), key=lambda c: c.start_time)
    assert chapters[-1].sub_frames["TIT2"].text[0] == words[1]
    probed = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-of", "json",
                             str(files["narration"])], capture_output=True, check=True, text=True)
    assert json.loads(probed.stdout)["chapters"][-1]["tags"]["title"] == words[1]
    last = files[max(role for role in files if role.startswith("track"))]
    assert _id3(last)["TIT2"].text[0] == words[1]
    transcript = files["transcript"].read_text(encoding="utf-8")
    closing = transcript.split("\n## ")[-1]
    assert words[1] in closing.splitlines()[0] and words[1] in closing.splitlines()[2]


def _book(built: Path, leaflet: str, lang: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(_files(built, leaflet, lang, "epub")["book"])


@pytest.mark.parametrize(("leaflet", "lang", "words"), CASES)
def test_the_epubs_back_matter_is_titled_with_the_word(
        built: Path, leaflet: str, lang: str, words: tuple[str, str]) -> None:
    with _book(built, leaflet, lang) as book:
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
        entries = nav.findall(".//x:nav[@id='toc']//x:a", XHTML)
        (entry,) = [e for e in entries if e.get("href", "").endswith(f"#{CLOSING_REF}")]
        assert "".join(entry.itertext()) == words[1]
        back, ref = entry.get("href", "").split("#")
        doc = etree.fromstring(book.read(f"EPUB/{back}"))
        (section,) = doc.findall(f".//x:section[@id='{ref}']", XHTML)
        assert "".join(section.find("x:h2", XHTML).itertext()) == words[1]
        smil = etree.fromstring(book.read(f"EPUB/{back.replace('.xhtml', '.smil')}"))
        texts = [t.get("src") for t in smil.findall(".//s:text", SMIL)]
        audio = {a.get("src") for a in smil.findall(".//s:audio", SMIL)}
        assert texts[0] == f"{back}#{ref}" and len(audio) == 1
        (track,) = audio
        tags = _id3_bytes(book.read(f"EPUB/{track}"), built)
        assert tags["TIT2"].text[0] == words[1]  # the clip is the closing chapter's


def _id3_bytes(data: bytes, built: Path) -> Any:
    path = built.parent / "track.mp3"
    path.write_bytes(data)
    return _id3(path)


@pytest.mark.parametrize(("leaflet", "lang", "words"), CASES)
def test_the_web_pages_contacts_box_is_titled_with_the_word(
        built: Path, leaflet: str, lang: str, words: tuple[str, str]) -> None:
    page = lxml.html.parse(str(_files(built, leaflet, lang, "html")["page"])).getroot()
    assert page.get_element_by_id("contacts-heading").text_content() == words[1]


@pytest.mark.parametrize(("leaflet", "lang", "words"),
                         [case for case in CASES if case[1] != "ur"])  # no Urdu braille
def test_the_braille_heads_the_contacts_with_the_word(
        built: Path, leaflet: str, lang: str, words: tuple[str, str]) -> None:
    path = _files(built, leaflet, lang, "braille")["brf"]
    table = read_manifest(path.parent).artifacts["braille"].details["table"]
    blocks = [reading(block, str(table)) for block in text_blocks(text_lines(pages(path)))]
    assert words[0] in blocks, blocks
