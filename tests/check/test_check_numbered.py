"""``check/numbered.py`` on damaged or hostile numbering: a finding, never a crash.

The DOCX's numbering is read as Word reads it (an instance's start override, its level's
start, format and text); the web page's ``<ol>`` as a browser reads ``start`` and ``value``
(HTML's rules for parsing integers). Each file is made from the real writer's DOCX of the
steps leaflet and then damaged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import html

from lmets_docs.check import numbered
from lmets_docs.check.docx import parsed
from lmets_docs.numbering import numbered_details
from lmets_docs.source import load_leaflet
from tests.conftest import DATA
from tests.docx_edit import W, edit_docx
from tests.importer.test_import_docx import build_docx

NUMBERING = "word/numbering.xml"


@pytest.fixture(scope="module")
def steps_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the steps leaflet's English DOCX, written by the real writer."""
    return build_docx(load_leaflet(DATA / "steps", "en-GB"), tmp_path_factory.mktemp("docx"))


def details() -> dict[str, Any]:
    return numbered_details(load_leaflet(DATA / "steps", "en-GB"))


def findings(path: Path) -> list[tuple[str, str]]:
    """Return (list id, message) of the numbered-list findings in a DOCX."""
    docx = parsed(path)
    return [(f.place, f.message) for f in numbered.docx_findings(
        path, docx.body, docx.numbering, docx.styles, details())]


def test_the_writers_docx_is_numbered_as_its_details_say(steps_docx: Path) -> None:
    assert findings(steps_docx) == []


def _starts(value: str) -> Any:
    def edit(root: Any) -> None:
        for start in root.iter(f"{W}startOverride"):
            start.set(f"{W}val", value)
    return edit


def _no_definitions(root: Any) -> None:
    for child in list(root):
        root.remove(child)


def _no_level_text(root: Any) -> None:
    for text in root.iter(f"{W}lvlText"):
        text.getparent().remove(text)


def _odd_format(root: Any) -> None:
    for fmt in root.iter(f"{W}numFmt"):
        fmt.set(f"{W}val", "upperRoman")


@pytest.mark.parametrize(("name", "edit"), [
    ("a start that is not a number", _starts("three")),
    ("a huge start", _starts("9" * 5000)),
    ("a negative start", _starts("-3")),
    ("no numbering definitions", _no_definitions),
    ("Roman numerals", _odd_format),
])
def test_damaged_numbering_is_a_finding_for_each_list(
    steps_docx: Path, tmp_path: Path, name: str, edit: Any
) -> None:
    path = edit_docx(steps_docx, tmp_path / "damaged.docx", {NUMBERING: edit})
    assert [place for place, _message in findings(path)] == [
        "steps.4", "more.1", "each-morning.2"], name


def test_a_level_without_its_text_is_numbered_as_word_does(
    steps_docx: Path, tmp_path: Path
) -> None:
    """Without ``w:lvlText`` Word draws "%1." (lmets-docs' default): nothing to report."""
    path = edit_docx(steps_docx, tmp_path / "plain.docx", {NUMBERING: _no_level_text})
    assert findings(path) == []


@pytest.mark.parametrize(("start", "found"), [
    ('start="3"', []), ('start="3abc"', []), ('start=" +3"', []),
    ('start="x3"', ["more.1"]), ('start="3_0"', []), ('start="' + "9" * 5000 + '"', ["more.1"]),
])
def test_an_ol_start_is_read_as_a_browser_reads_it(start: str, found: list[str]) -> None:
    page = html.document_fromstring(
        f'<html><body><ol id="steps.4"><li>a</li><li>b</li><li>c</li></ol>'
        f'<ol id="more.1" {start}><li>a</li><li>b</li></ol>'
        f'<ol id="each-morning.2">{"<li>x</li>" * 14}</ol></body></html>')
    got = numbered.html_findings(Path("page.html"), [page], details(), "web page")
    assert [f.place for f in got] == found
