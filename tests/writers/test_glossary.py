"""Glossary definitions and the wording of every format, read back from the built files.

One small leaflet (``tests/data/glossary``) is built once in every format; the tests read its
PDF (pdfplumber, pikepdf), its DOCX (python-docx, the XML, pandoc) and its transcript.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner
from lxml import etree

from lmets_docs.build import build
from lmets_docs.cli import cli
from lmets_docs.errors import ContentError
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.text import fold
from tests.conftest import DATA

GLOSSARY = DATA / "glossary"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DEFINITIONS = {
    "checklist": "A list of things to do, with a box to tick for each one.",
    "daily planner": "A notebook with one page for each day",
}


@dataclass
class Built:
    """The glossary leaflet built in every format."""

    leaflet: Leaflet
    folder: Path

    def file(self, name: str) -> Path:
        return self.folder / name


def options(tmp: Path, **more: Any) -> BuildOptions:
    return BuildOptions(out=tmp / "out", tts="espeak", jobs=2, today=dt.date(2026, 1, 1),
                        templates=None, cache_dir=tmp / "cache", **more)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("glossary")
    build([GLOSSARY], options(tmp, langs=("en-GB",)))
    return Built(load_leaflet(GLOSSARY, "en-GB"), tmp / "out" / "glossary-leaflet" / "en-GB")


def transcript(built: Built) -> list[str]:
    return built.file("audio/transcript.txt").read_text(encoding="utf-8").splitlines()


RUNNING = re.compile(r"Helpline: .*|Page \d+ of \d+")
"""The running footer and page number, on every page."""


def pdf_lines(built: Built) -> list[str]:
    with pdfplumber.open(built.file("glossary-leaflet-large-print.pdf")) as pdf:
        return [fold(line) for page in pdf.pages
                for line in (page.extract_text() or "").splitlines()]


def docx_paragraphs(built: Built) -> list[tuple[str, str]]:
    """Return (style name, text) of every body paragraph of the DOCX."""
    document = docx.Document(str(built.file("glossary-leaflet-leaflet.docx")))
    return [(p.style.name if p.style is not None else "",  # facts are in content controls
             fold("".join(t.text or "" for t in p._p.iter(f"{W}t"))))
            for p in document.paragraphs]


def document_xml(built: Built) -> Any:
    with zipfile.ZipFile(built.file("glossary-leaflet-leaflet.docx")) as package:
        return etree.fromstring(package.read("word/document.xml"))


# --- the glossary ---------------------------------------------------------------------------


def test_the_source_matches_terms_with_their_definitions(built: Built) -> None:
    entries = built.leaflet.glossary
    assert [(e.term, e.definition) for e in entries.values()] == list(DEFINITIONS.items())
    assert built.leaflet.warnings == (
        f"{GLOSSARY / 'en-GB.md'}:22: glossary term 'calendar' has no definition; add it to "
        'the front matter: glossary: {calendar: "..."}',)


def test_the_pdf_has_a_glossary_section_in_alphabetical_order(built: Built) -> None:
    lines = pdf_lines(built)
    start = lines.index("Glossary")
    section = " ".join(lines[start + 1:lines.index("References")])
    entries = [f"{term}: {definition}" for term, definition in DEFINITIONS.items()]
    assert section.startswith(entries[0]) and entries[1] in section
    assert section.index(entries[0]) < section.index(entries[1])
    pdf = pikepdf.open(built.file("glossary-leaflet-large-print.pdf"))
    with pdf.open_outline() as outline:
        assert "Glossary" in [item.title for item in outline.root]


def test_the_pdf_marks_only_the_first_use_bold_and_linked_to_its_entry(built: Built) -> None:
    pdf = pikepdf.open(built.file("glossary-leaflet-large-print.pdf"))
    internal = [str(a.get("/Contents")) for page in pdf.pages
                for a in page.obj.get("/Annots", []) if "/Dest" in a]
    assert sorted(internal) == [f"{term}: {definition}" for term, definition
                                in DEFINITIONS.items()]
    with pdfplumber.open(built.file("glossary-leaflet-large-print.pdf")) as document:
        words = [w for page in document.pages
                 for w in page.extract_words(extra_attrs=["fontname"])]
    planner = [w for w in words if w["text"].casefold() == "planner"]
    # The first use (intro), the second use in the text, the glossary entry (the heading's
    # word is "planner?").
    assert ["Bold" in w["fontname"] for w in planner] == [True, False, True]


def test_the_docx_has_a_glossary_section_and_links_the_first_use(built: Built) -> None:
    paragraphs = docx_paragraphs(built)
    texts = [text for _style, text in paragraphs]
    start = texts.index("Glossary")
    assert paragraphs[start][0] == "Heading 2"
    assert texts[start + 1:start + 3] == [f"{t}: {d}" for t, d in DEFINITIONS.items()]
    root = document_xml(built)
    links = root.iter(f"{W}hyperlink")
    anchors = [(link.get(f"{W}anchor"), "".join(link.itertext())) for link in links
               if link.get(f"{W}anchor")]
    assert anchors == [("glossary_2", "daily planner"), ("glossary_1", "checklist")]
    marks = {b.get(f"{W}name"): b for b in root.iter(f"{W}bookmarkStart")}
    assert {"glossary_1", "glossary_2"} <= set(marks)
    bold = [run for run in root.iter(f"{W}r") if "".join(run.itertext()) == "Daily planner"]
    assert len(bold) == 1 and bold[0].find(f"{W}rPr/{W}b") is None  # the second use: plain


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_the_glossary_back(built: Built) -> None:
    markdown = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "plain", "--wrap=none",
         str(built.file("glossary-leaflet-leaflet.docx"))],
        check=True, capture_output=True, text=True, timeout=60).stdout
    assert "checklist: A list of things to do, with a box to tick for each one." in markdown


def test_the_narration_says_each_definition_once_after_the_first_use(built: Built) -> None:
    lines = transcript(built)
    first = lines.index("A daily planner can help you keep track of your days.")
    assert lines[first + 1] == "daily planner: A notebook with one page for each day."
    item = lines.index("make a checklist of three things")
    assert lines[item + 1] == f"checklist: {DEFINITIONS['checklist']}"
    assert sum("A notebook with one page" in line for line in lines) == 1
    assert sum("box to tick" in line for line in lines) == 1


def test_an_undefined_term_is_a_warning_in_validate_and_build(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(GLOSSARY, tmp_path / "glossary"))
    (folder / "ur.md").unlink()
    expected = (f"WARNING: {folder / 'en-GB.md'}:22: glossary term 'calendar' has no "
                "definition")
    validated = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(folder)])
    assert validated.exit_code == 0 and validated.stderr.count(expected) == 1
    args = ["build", str(folder), "--format", "docx", "--out", str(tmp_path / "out"),
            "--templates", str(tmp_path / "none")]
    built = CliRunner(mix_stderr=False).invoke(cli, args)
    assert built.exit_code == 0, built.stderr
    assert built.stderr.count(expected) == 1
    again = CliRunner(mix_stderr=False).invoke(cli, args)  # nothing changed: nothing loaded
    assert "0 written, 1 up to date" in again.output
    assert again.stderr.count(expected) == 1
    manifest = (tmp_path / "out" / "glossary-leaflet" / "en-GB" / "manifest.json").read_text(
        encoding="utf-8")
    assert "glossary term 'calendar' has no definition" in manifest


def test_an_unused_definition_is_a_warning(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(GLOSSARY, tmp_path / "glossary"))
    text = folder / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "  checklist:", "  timetable: A table of times.\n  checklist:"), encoding="utf-8")
    warnings = load_leaflet(folder, "en-GB").warnings
    assert any(w.startswith(f"{text}:6: glossary: 'timetable' is defined but the text never "
                            "uses it") for w in warnings)


@pytest.mark.parametrize(("definition", "message"), [
    ("Call 020 7946 0000 to ask.", "glossary: the definition of 'checklist': phone number "
     "'020 7946 0000' typed in the definition: it is a contact's number, written in the "
     "leaflet's text as {{ contacts.helpline.phone }} (a definition holds no facts"),
    ("Open from 1 March 2027.", "glossary: the definition of 'checklist': date '1 March 2027' "
     "typed in the definition belongs to no fact"),
    ("Write to help@example.org.", "glossary: the definition of 'checklist': email address "
     "'help@example.org' typed in the definition: it belongs to no contact"),
    ("We answer 9am to 5pm.", "glossary: the definition of 'checklist': opening hours '9am "
     "to 5pm' typed in the definition"),
    ("Ring oh two oh seven nine four six oh oh oh oh.", "phone number '02079460000' typed in "
     "the definition: it is a contact's number"),
    ("Call 020\u00a07946\u00a00000.", "phone number '020 7946 0000' typed in the "
     "definition"),
    ("", "String should have at least 1 character"),
    ("[a, b]", "Input should be a valid string"),
    ("A list\\a of things", "has a control character"),
])
def test_a_bad_definition_is_refused_with_its_line(
    tmp_path: Path, definition: str, message: str
) -> None:
    folder = Path(shutil.copytree(GLOSSARY, tmp_path / "glossary"))
    text = folder / "en-GB.md"
    value = definition if definition.startswith("[") else f'"{definition}"'
    text.write_text(text.read_text(encoding="utf-8").replace(
        "  checklist: A list of things to do, with a box to tick for each one.",
        f"  checklist: {value}"), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_leaflet(folder, "en-GB")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (text, 6)
    assert message in problem.message


def test_a_term_defined_twice_is_refused(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(GLOSSARY, tmp_path / "glossary"))
    text = folder / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "  checklist:", "  Daily  Planner: Again.\n  checklist:"), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_leaflet(folder, "en-GB")
    assert [str(p) for p in caught.value.problems] == [
        f"{text}:6: glossary: 'Daily  Planner' is defined twice (as 'daily planner' too)"]


def test_an_explicit_term_names_its_entry(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(GLOSSARY, tmp_path / "glossary"))
    text = folder / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "[Daily planner](glossary:)", "[planner](<glossary:daily planner>)"), encoding="utf-8")
    leaflet = load_leaflet(folder, "en-GB")
    assert not any("planner" in w for w in leaflet.warnings)


# --- wording --------------------------------------------------------------------------------


def test_no_doubled_punctuation_after_headings(built: Built) -> None:
    lines = transcript(built)
    assert "Part 2 of 6: What is a daily planner?" in lines
    assert "Part 3 of 6: Try it today!" in lines
    assert "Part 4 of 6: Things to bring:" in lines
    assert not [line for line in lines if re.search(r"[?!:]\.", line)]


def test_no_doubled_punctuation_in_urdu(tmp_path: Path) -> None:
    build([GLOSSARY], options(tmp_path, langs=("ur",), formats=("audio",)))
    path = tmp_path / "out" / "glossary-leaflet" / "ur" / "audio" / "transcript.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    heading = next(line for line in lines if line.startswith("3 میں سے حصہ 2: "))  # Part 2 of 3
    assert heading.endswith("کیا آپ تیار ہیں؟")
    stop = "\u06d4"  # the Urdu full stop
    assert f"ڈائری: ہر دن کے لیے ایک صفحے والی کاپی{stop}" in lines
    assert not [line for line in lines if re.search(rf"[؟{stop}?!:][.{stop}]", line)]


def test_a_contact_named_the_is_not_called_the_the(built: Built) -> None:
    text = "\n".join(transcript(built))
    assert "the The" not in text
    # (the transcript writes the number as printed; the voice says it digit by digit)
    assert "The Example Support Line: to talk to someone, call 020 7946 0000." in text


def test_the_docx_names_the_publisher_in_its_text(built: Built) -> None:
    paragraphs = docx_paragraphs(built)
    assert ("Normal", "Published by Example Health Charity") in paragraphs
    assert "Published by Example Health Charity" in pdf_lines(built)


def test_references_have_one_style_in_the_pdf_and_the_docx(built: Built) -> None:
    expected = ["A Writer and others. Keeping a diary: does it help? Example Journal, 2024. "
                "https://example.org/diary",
                "B Author. Planning your week. Example Press, 2023."]
    listed = [(style, text) for style, text in docx_paragraphs(built) if style == "List Number"]
    assert listed == [("List Number", text) for text in expected]
    lines = pdf_lines(built)
    section = [line for line in lines[lines.index("References") + 1:
                                      lines.index("About this information")]
               if not RUNNING.fullmatch(line)]  # a page may end between the two sections
    assert " ".join(section) == f"1. {expected[0]} 2. {expected[1]}"
