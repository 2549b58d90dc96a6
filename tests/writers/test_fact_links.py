"""A fact that is a link (``forum.name``: "Example Chat" over its forum's page) is printed as a
written link is, in every format (the low-vision user test, finding 3; repro 04).

``tests/data/fact-link`` is the repro: its "Help and support" says "you could use
{{ forum.name }}, our online forum." The PDF printed "Example Chat" in link blue with no
address; the DOCX had neither the address nor a link; the narration did not say where the
address is. Now the PDF and the DOCX print the address in brackets after the words, inside
the link (a real link annotation tagged ``Link``; in the DOCX a real ``w:hyperlink`` to the
address right after the fact's locked control, which LibreOffice saves and reads), the braille gives
it as the print does, the narration says it is in the printed leaflet, and ``check`` reads
the address back from each and names the fact when it is wrong or missing. The seed is built
too (its forum, Cancer Chat), and the fixture's Arabic (the address isolated left to right
with its brackets). Everything is read back from the built files with the real engines;
``tests/check/test_check_fact_links.py`` tampers with them.
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
from docx import Document

from lmets_docs.build import build
from lmets_docs.check.braille import read as read_braille
from lmets_docs.importer import import_docx
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from tests.conftest import DATA
from tests.docx_edit import pseudo, translate_docx
from tests.importer.test_libreoffice import soffice

TODAY = dt.date(2026, 6, 1)
URL = "https://www.example.org/community/example-chat/"
ADDRESS = "www.example.org/community/example-chat"
LINKED = f"Example Chat ({ADDRESS})"
SEED_URL = "https://www.cancerresearchuk.org/about-cancer/cancer-chat/"
SEED_LINKED = "Cancer Chat (www.cancerresearchuk.org/about-cancer/cancer-chat)"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
BIDI = str.maketrans("", "", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FORMATS = ("pdf", "docx", "braille", "audio")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the repro (English and Arabic) and the seed in every printed format and audio."""
    root = tmp_path_factory.mktemp("fact-link")
    sources = [Path(shutil.copytree(DATA / "fact-link", root / "fact-link")),
               Path(shutil.copytree(DATA.parent.parent / "content" / "leptomeningeal-metastases",
                                    root / "leptomeningeal-metastases"))]
    build(sources, BuildOptions(out=root / "out", formats=FORMATS, jobs=1, today=TODAY,
                                templates=None, tts="espeak", check=False))
    return root / "out"


def _file(out: Path, leaflet: str, lang: str, kind: str, key: str) -> Path:
    folder = out / leaflet / lang
    return folder / read_manifest(folder).artifacts[kind].files[key]


def _pdf(out: Path, leaflet: str = "ut-lowvision", lang: str = "en-GB") -> Path:
    return _file(out, leaflet, lang, "pdf", "pdf")


def _docx(out: Path, leaflet: str = "ut-lowvision", lang: str = "en-GB") -> Path:
    return _file(out, leaflet, lang, "docx", "docx")


def _squeezed(text: str) -> str:
    """Return text without whitespace: an address wraps after a "/" with no hyphen added."""
    return "".join(text.split())


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize(("leaflet", "linked"), [("ut-lowvision", LINKED),
                                                 ("leptomeningeal-metastases", SEED_LINKED)])
def test_the_pdf_prints_the_address_after_the_fact(out: Path, leaflet: str, linked: str) -> None:
    assert f"{_squeezed(linked)},our" in _squeezed(_pdftotext(_pdf(out, leaflet)))


def _uri(annotation: Any) -> str:
    """Return a link annotation's URI, or "" (another action, or none)."""
    action = annotation.get("/A")
    return str(action.get("/URI", "")) if action is not None else ""


def _link_annotations(path: Path, url: str) -> list[Any]:
    with pikepdf.open(path) as pdf:
        return [(index, [float(v) for v in a.Rect], str(a.get("/Contents", "")),
                 a.get("/StructParent"))
                for index, page in enumerate(pdf.pages)
                for a in page.get("/Annots", [])
                if a.get("/Subtype") == "/Link" and _uri(a) == url]


def test_the_pdf_link_covers_the_words_and_the_address(out: Path) -> None:
    annotations = _link_annotations(_pdf(out), URL)
    assert annotations, "no link annotation to the forum"
    assert {contents for _, _, contents, _ in annotations} == {LINKED}
    with pdfplumber.open(_pdf(out)) as document:
        shown = [page.crop((h["x0"], h["top"], h["x1"], h["bottom"])).extract_text()
                 for page in document.pages for h in page.hyperlinks if h["uri"] == URL]
    assert len(shown) == len(annotations)
    assert _squeezed("".join(shown)).rstrip(",") == _squeezed(LINKED), shown  # and its comma


def test_the_pdf_link_is_tagged_as_a_link(out: Path) -> None:
    with pikepdf.open(_pdf(out)) as pdf:
        targets = {}
        for element in _walk(pdf.Root.StructTreeRoot):
            if element.get("/S") == "/Link":
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                for kid in kids:
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                        targets[kid.Obj.objgen] = str(kid.Obj.A.get("/URI", ""))
        annotations = [a.objgen for page in pdf.pages for a in page.get("/Annots", [])
                       if _uri(a) == URL]
    assert annotations and all(targets.get(a) == URL for a in annotations), targets


def _walk(node: Any) -> Any:
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _walk(kid)


def _hyperlinks(path: Path, url: str) -> list[Any]:
    """Return the body's hyperlinks to ``url`` (python-docx resolves their targets)."""
    document = Document(str(path))
    targets = {rid: rel.target_ref for rid, rel in document.part.rels.items()}
    return [h for h in document.element.body.iter(f"{W}hyperlink")
            if targets.get(str(h.get(R_ID))) == url]


def _text(node: Any) -> str:
    return "".join(t.text or "" for t in node.iter(f"{W}t")).translate(BIDI)


def _tag(control: Any) -> str:
    return str(control.find(f"{W}sdtPr/{W}tag").get(f"{W}val"))


@pytest.mark.parametrize(("leaflet", "url", "linked"), [
    ("ut-lowvision", URL, LINKED),
    ("leptomeningeal-metastases", SEED_URL, SEED_LINKED)])
def test_the_docx_links_the_fact_and_prints_its_address(out: Path, leaflet: str, url: str,
                                                         linked: str) -> None:
    words, address = linked.split(" (")
    (after,) = _hyperlinks(_docx(out, leaflet), url)  # the address's link, after the fact
    control = after.getprevious()
    assert _tag(control) == "fact:forum.name" and _text(control) == words
    assert [_tag(c) for c in after.iter(f"{W}sdt")] == ["link-address"]
    assert _text(after) == f" ({address}"
    assert f"{linked}, our online forum." in _text(control.getparent())


def test_libreoffice_prints_the_docx_address_and_links_it(out: Path, tmp_path: Path) -> None:
    [pdf] = soffice([_docx(out)], "pdf", tmp_path / "pdf", tmp_path / "profile")
    assert f"{_squeezed(LINKED)},our" in _squeezed(_pdftotext(pdf))
    with pdfplumber.open(pdf) as document:
        shown = [page.crop((h["x0"], h["top"], h["x1"], h["bottom"])).extract_text()
                 for page in document.pages
                 for h in sorted(page.hyperlinks, key=lambda h: (h["top"], h["x0"]))
                 if h["uri"] == URL]
    assert _squeezed("".join(shown)).endswith(f"({ADDRESS})"), shown  # the address is linked


def test_a_libreoffice_save_imports_the_fact_alone(out: Path, tmp_path: Path) -> None:
    # LibreOffice 7.4 saved one hyperlink around both controls as XML that did not parse
    translated = translate_docx(_docx(out), tmp_path / "cy.docx", pseudo)
    [saved] = soffice([translated], "docx", tmp_path / "saved", tmp_path / "profile")
    folder = Path(shutil.copytree(DATA / "fact-link", tmp_path / "fact-link"))
    import_docx(saved, "cy", folder=folder, force=True)
    text = (folder / "cy.md").read_text(encoding="utf-8")
    assert "{{ forum.name }}" in text and "example.org" not in text


def test_the_arabic_docx_isolates_the_address_with_its_brackets(out: Path) -> None:
    (after,) = _hyperlinks(_docx(out, lang="ar"), URL)
    raw = "".join(t.text or "" for t in after.iter(f"{W}t"))
    assert raw == " \u2066(" + ADDRESS + ")\u2069"  # LRI (address) PDI, as written links get
    assert _text(after.getprevious().getprevious()) + _text(after) == LINKED  # past the PDI


def test_the_arabic_pdf_prints_the_address_in_order(out: Path) -> None:
    assert {contents.translate(BIDI) for _, _, contents, _ in _link_annotations(
        _pdf(out, lang="ar"), URL)} == {LINKED}  # the address isolated (LRI … PDI) in it
    with pdfplumber.open(_pdf(out, lang="ar")) as document:
        shown = [page.crop((h["x0"], h["top"], h["x1"], h["bottom"])).extract_text()
                 for page in document.pages
                 for h in sorted(page.hyperlinks, key=lambda h: h["top"]) if h["uri"] == URL]
    # each line left to right, its brackets the right way round (as in the PNG): the address
    # isolated with them, as a written link's
    assert _squeezed("".join(shown)).rstrip(",\u060c").endswith(_squeezed(LINKED)), shown


def test_the_braille_gives_the_address_as_the_print_does(out: Path) -> None:
    folder = out / "ut-lowvision" / "en-GB"
    manifest = read_manifest(folder)
    entry = manifest.artifacts["braille"]
    passages = read_braille(folder / entry.files["brf"], entry, manifest).passages
    assert [p for p in passages if f"{LINKED}, our online forum." in " ".join(p.text.split())]


@pytest.mark.parametrize("leaflet", ["ut-lowvision", "leptomeningeal-metastases"])
def test_the_narration_says_the_address_is_in_the_print(out: Path, leaflet: str) -> None:
    lines = (out / leaflet / "en-GB" / "audio" / "transcript.txt").read_text(
        encoding="utf-8").splitlines()
    (at,) = [i for i, line in enumerate(lines) if "our online forum." in line]
    assert lines[at + 1] == "The web address is written in the printed leaflet."


def test_the_import_keeps_the_fact_and_leaves_the_address_out(out: Path,
                                                              tmp_path: Path) -> None:
    folder = Path(shutil.copytree(DATA / "fact-link", tmp_path / "fact-link"))
    translated = translate_docx(_docx(out), tmp_path / "cy.docx", pseudo)
    import_docx(translated, "cy", folder=folder, force=True)
    text = (folder / "cy.md").read_text(encoding="utf-8")
    assert "{{ forum.name }}" in text and "example.org" not in text
