"""``check`` reads a fact printed as a link (``forum.name``) back from right-to-left PDFs and
Arabic braille, and names the fact when its address is wrong or missing, as it does in
English (``tests/check/test_check_fact_links.py``).

The repro (``tests/data/fact-link``) is built for real in Arabic, with an Urdu file of short
neutral test sentences beside it (no reviewed translation), and once more in Arabic with
the forum named in Arabic ("دردشة المثال", its words right to left, the address still left
to right after them): large print and braille. Each test tampers with a copy of one
language's output as a person or a program could: the PDF's forum link retargeted, taken
off, or its printed address retyped (two of its letters swapped where the page draws them);
the braille's address retyped.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pikepdf
import pytest

from lmets_docs.build import build
from lmets_docs.check import check, pdf_links_rtl
from lmets_docs.check.findings import Finding
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from tests.check.test_check_printed import _misprint
from tests.conftest import DATA
from tests.tamper import edit_pdf
from tests.writers.test_fact_links import _uri

TODAY = dt.date(2026, 6, 1)
URL = "https://www.example.org/community/example-chat/"
ELSEWHERE = "https://www.example.net/chat/"
ARABIC_NAME = "دردشة المثال"
STOP = "\u06d4"  # the Urdu full stop
URDU = "\n".join([
    "---", "title: کلینک آنا", "lang: ur", "---", "",
    f"یہ ایک آزمائشی جملہ ہے{STOP}", "", f"آج موسم اچھا ہے{STOP}", "",
    "{#before-you-come}", "## پانی ٹھنڈا ہے", "",
    f"یہ گھر بڑا ہے{STOP}", "", f"یہ ایک آزمائشی جملہ ہے{STOP}", "",
    "{#help-and-support}", "## آج موسم اچھا ہے", "",
    f"آپ {{{{ helpline.name }}}} کو {{{{ helpline.phone }}}} پر کال کر سکتے ہیں{STOP} "
    f"لائنیں {{{{ helpline.hours }}}} کھلی ہیں{STOP}", "",
    f"آپ {{{{ forum.name }}}} استعمال کر سکتے ہیں، یہ ایک آزمائشی جملہ ہے{STOP}", ""])
"""The repro's Urdu: short neutral test sentences, not a translation; the forum in a
sentence of its own."""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the repro in Arabic and Urdu (``ut-lowvision``), and in Arabic with the forum
    named in Arabic (``ut-lowvision-ar``), in large print and braille (none in Urdu); and
    ``tests/data/rtl-latin-after`` and ``chemo-fever`` (written links in Arabic and Urdu)
    in large print."""
    root = tmp_path_factory.mktemp("rtl-fact-link")
    latin = Path(shutil.copytree(DATA / "fact-link", root / "fact-link"))
    (latin / "en-GB.md").unlink()
    (latin / "ur.md").write_text(URDU, encoding="utf-8")
    arabic = Path(shutil.copytree(DATA / "fact-link", root / "fact-link-ar"))
    (arabic / "en-GB.md").unlink()
    yaml = arabic / "leaflet.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("id: ut-lowvision", "id: ut-lowvision-ar").replace(
        "name: Example Chat", f"name: {ARABIC_NAME}"), encoding="utf-8")
    written = [Path(shutil.copytree(DATA / name, root / name))
               for name in ("rtl-latin-after", "chemo-fever")]
    (written[1] / "en-GB.md").unlink()
    build(written, BuildOptions(out=root / "out", formats=("pdf",), jobs=1, today=TODAY,
                                templates=None, tts="espeak", check=False))
    build([latin, arabic], BuildOptions(out=root / "out", formats=("pdf", "braille"), jobs=1,
                                        today=TODAY, templates=None, tts="espeak",
                                        check=False))
    return root / "out"


BUILDS = [("ut-lowvision", "ar"), ("ut-lowvision", "ur"), ("ut-lowvision-ar", "ar")]


def _tampered(out: Path, tmp_path: Path, leaflet: str, lang: str) -> Path:
    """Return a copy of one language's output, to tamper with."""
    return Path(shutil.copytree(out / leaflet / lang, tmp_path / lang))


def _file(folder: Path, kind: str, key: str) -> Path:
    return folder / read_manifest(folder).artifacts[kind].files[key]


def _named(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code and "forum.name" in f.message]


@pytest.mark.parametrize(("leaflet", "lang"), BUILDS)
def test_check_passes_the_built_files(out: Path, leaflet: str, lang: str) -> None:
    assert check([out / leaflet / lang], TODAY).errors == []


@pytest.mark.parametrize(("leaflet", "lang"), BUILDS)
def test_the_links_are_read_in_logical_order(out: Path, leaflet: str, lang: str) -> None:
    links, _ = pdf_links_rtl.read(_file(out / leaflet / lang, "pdf", "pdf"))
    read = ["".join(text.split()) for page in links for target, text in page if target == URL]
    words = ARABIC_NAME if leaflet == "ut-lowvision-ar" else "Example Chat"
    assert "".join(read) == "".join(f"{words}(www.example.org/community/example-chat)".split())
    assert len(read) == 2, read  # a line each


@pytest.mark.parametrize(("leaflet", "lang"), BUILDS)
def test_check_fails_a_pdf_link_to_another_address(out: Path, tmp_path: Path, leaflet: str,
                                                   lang: str) -> None:
    folder = _tampered(out, tmp_path, leaflet, lang)

    def retarget(pdf: pikepdf.Pdf) -> None:
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                action = annotation.get("/A")
                if action is not None and str(action.get("/URI", "")) == URL:
                    action.URI = pikepdf.String(ELSEWHERE)

    edit_pdf(_file(folder, "pdf", "pdf"), retarget)
    found = _named(check([folder], TODAY, formats={"pdf"}, allow_edited=True).errors,
                   "pdf-fact-link")
    assert len(found) == 1 and f"{ELSEWHERE!r}" in found[0].message, found


@pytest.mark.parametrize(("leaflet", "lang"), BUILDS)
def test_check_fails_a_pdf_fact_with_no_link(out: Path, tmp_path: Path, leaflet: str,
                                             lang: str) -> None:
    folder = _tampered(out, tmp_path, leaflet, lang)

    def unlink(pdf: pikepdf.Pdf) -> None:
        for page in pdf.pages:
            if "/Annots" in page.obj:
                page.obj.Annots = pikepdf.Array(
                    [a for a in page.obj.Annots if _uri(a) != URL])

    edit_pdf(_file(folder, "pdf", "pdf"), unlink)
    found = _named(check([folder], TODAY, formats={"pdf"}, allow_edited=True).errors,
                   "pdf-fact-link")
    assert len(found) == 1 and "printed with no link" in found[0].message, found


@pytest.mark.parametrize(("leaflet", "lang"), BUILDS)
def test_check_fails_a_pdf_address_retyped(out: Path, tmp_path: Path, leaflet: str,
                                           lang: str) -> None:
    folder = _tampered(out, tmp_path, leaflet, lang)
    assert _misprint(_file(folder, "pdf", "pdf"), "example-chat", (9, 10)) == 1
    found = _named(check([folder], TODAY, formats={"pdf"}, allow_edited=True).errors,
                   "pdf-fact-link")
    assert len(found) == 1 and "'(www.example.org/community/example-caht)'" in found[0].message, (
        found)


@pytest.mark.parametrize("leaflet", ["ut-lowvision", "ut-lowvision-ar"])
def test_check_fails_an_arabic_braille_address_retyped(out: Path, tmp_path: Path,
                                                       leaflet: str) -> None:
    folder = _tampered(out, tmp_path, leaflet, "ar")
    brf = _file(folder, "braille", "brf")
    data = brf.read_bytes()
    assert data.count(b"COMMUNITY_/") == 1  # "community/" in UEB grade 1
    brf.write_bytes(data.replace(b"COMMUNITY_/", b"FORUMS_/"))
    found = _named(check([folder], TODAY, formats={"braille"}, allow_edited=True).errors,
                   "braille-fact-link")
    words = ARABIC_NAME if leaflet == "ut-lowvision-ar" else "Example Chat"
    assert len(found) == 1 and f"{words!r}" in found[0].message, found


@pytest.mark.parametrize(("leaflet", "lang", "word", "swap", "target"), [
    ("rtl-latin-after", "ar", "example.org/help", (14, 15), "https://www.example.org/help"),
    ("rtl-latin-after", "ur", "example.org/help", (14, 15), "https://www.example.org/help"),
    ("chemo-fever", "ar", "chemotherapy", (2, 3), "https://www.nhs.uk/conditions/chemotherapy/"),
    ("chemo-fever", "ur", "chemotherapy", (2, 3), "https://www.nhs.uk/conditions/chemotherapy/"),
])
def test_check_fails_a_written_links_address_retyped(out: Path, tmp_path: Path, leaflet: str,
                                                     lang: str, word: str,
                                                     swap: tuple[int, int], target: str) -> None:
    """Written links: worded in Latin ("Macmillan (www.…/help)"), in the language and Latin
    ("موقع NHS (www.nhs.uk/…)", the address at the right of "NHS" on the page), or in the
    language (its words, then its address as a second link, as Latin words follow it): the
    address misprinted on the page under the right link is ``pdf-link-text``."""
    folder = _tampered(out, tmp_path, leaflet, lang)
    links, _ = pdf_links_rtl.read(_file(folder, "pdf", "pdf"))
    printed = [text for page in links for to, text in page if to == target]
    assert check([folder], TODAY, formats={"pdf"}).errors == []
    assert _misprint(_file(folder, "pdf", "pdf"), word, swap, most=len(printed)) >= 1
    misprinted = word[:swap[0]] + word[swap[1]] + word[swap[0]] + word[swap[1] + 1:]
    found = [f for f in check([folder], TODAY, formats={"pdf"}, allow_edited=True).errors
             if f.code == "pdf-link-text"]
    assert found, printed  # links to one target in a row are read as one till it is whole
    assert all(f"{misprinted}' over a link to {target!r}" in f.message for f in found), found


def test_a_page_is_read_where_it_may_print_the_facts_words() -> None:
    assert pdf_links_rtl.may_print("ExampleChat(www.example.org/)", "Example Chat")
    assert pdf_links_rtl.may_print(ARABIC_NAME, ARABIC_NAME.replace(" ", "\u200c"))  # no ink
    assert pdf_links_rtl.may_print("x)Chat(", "Chat (x)")  # pdfium may mirror brackets
    assert not pdf_links_rtl.may_print("Exampl Chat", "Example Chat")  # an "e" short

