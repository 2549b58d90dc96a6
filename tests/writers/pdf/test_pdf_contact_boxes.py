"""A contact's box too tall for the space left on a page breaks between its lines, rather than
leave the page before it more than a third empty.

Each contact's name heads its box larger than the body (STANDARDS: headings larger and bold),
so the boxes grew: in giant print a box is a quarter to a half of a page. The title page
gives the main contact's box; a leaflet with several contacts gives every one after the text
(``test_pdf_contact_headings``). A box is kept whole where it fits, or where keeping it whole
leaves the page before it at most a third empty; otherwise the writer lays the page out again
with that box breaking between its lines: its name kept with the number to call and the hours
after it, each line whole, the box one structure element across the break. The busy clinic
(``tests/data/busy-clinic``) in Welsh, giant print, left page 5 74 % empty before its day
unit's box; the same clinic in English keeps every box whole.

Read back from the built PDFs: each page's text (pdftotext), the structure tree (pikepdf: each
box's ``Div`` and the pages its lines are on), the manifest's warnings, and ``check``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.options import BuildOptions
from tests.conftest import DATA
from tests.writers.pdf.test_pdf_contact_headings import _content, _elements, _kids

TODAY = dt.date(2026, 1, 1)
DAY_UNIT = "Uned Ddydd Haematoleg ac Oncoleg"
WEB = "Gwefan: www.example.org/services/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the busy clinic in Welsh and in English, giant print."""
    root = tmp_path_factory.mktemp("contact-boxes")
    folder = Path(shutil.copytree(DATA / "busy-clinic", root / "busy-clinic"))
    options = BuildOptions(out=root / "out", formats=("pdf",), profile="giant", jobs=2,
                           langs=("cy", "en-GB"), today=TODAY, templates=None,
                           cache_dir=root / "cache")
    report = build([folder], dataclasses.replace(options))
    assert not report.rejected, [str(f) for f in report.findings]
    return root / "out"


def pdf_of(built: Path, lang: str) -> Path:
    return built / "busy-clinic" / lang / "busy-clinic-giant-print.pdf"


def pages(pdf: Path) -> list[str]:
    """Return each page's text, whitespace folded, as pdftotext reads it."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def boxes(pdf_path: Path) -> list[list[tuple[str, list[int]]]]:
    """Return each contact box (a ``Div`` holding an ``H3``), in order: each of its lines'
    role and the pages the line is printed on."""
    with pikepdf.open(pdf_path) as pdf:
        numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        return [[(str(line.S), sorted({page for page, _ in _content(line, numbers)}))
                 for line in _kids(box) if isinstance(line, pikepdf.Dictionary) and "/S" in line]
                for box in _elements(pdf.Root.StructTreeRoot) if str(box.S) == "/Div"
                and any(str(k.get("/S", "")) == "/H3" for k in _kids(box)
                        if isinstance(k, pikepdf.Dictionary))]


def warnings(built: Path, lang: str) -> list[str]:
    manifest = json.loads((built / "busy-clinic" / lang / "manifest.json").read_text())
    return list(manifest["artifacts"]["pdf-giant"]["warnings"])


def test_the_tall_box_breaks_between_its_lines(built: Path) -> None:
    found = boxes(pdf_of(built, "cy"))
    assert len(found) == 4  # the main contact on the title page; all three after the text
    split = [box for box in found if len({p for _, ps in box for p in ps}) > 1]
    assert len(split) == 1
    (name, on), (call, at), (hours, then), *rest = split[0]
    # its name, the number to call and the hours on one page; each line on one page
    assert (name, call, hours) == ("/H3", "/P", "/P") and on == at == then
    assert all(len(ps) == 1 for _, ps in split[0])
    assert rest[-1][1] == [on[0] + 1]  # its last line, the web address, on the next page
    text = pages(pdf_of(built, "cy"))
    assert f"{DAY_UNIT} Ffoniwch 0113 496 0456 rhwng Dydd Llun a Dydd Gwener," in text[on[0] - 1]
    body = text[on[0]].split(f"Tudalen {on[0] + 1} o {len(text)}", 1)[1].strip()
    assert body.startswith(WEB)


def test_no_page_is_left_more_than_a_third_empty(built: Path) -> None:
    for lang in ("cy", "en-GB"):
        said = warnings(built, lang)
        assert not [w for w in said if "empty" in w], said


def test_boxes_that_fit_are_kept_whole(built: Path) -> None:
    found = boxes(pdf_of(built, "en-GB"))
    assert len(found) == 4
    assert all(len({p for _, ps in box for p in ps}) == 1 for box in found)


def test_check_passes(built: Path) -> None:
    report = check([built], TODAY, formats={"pdf"})
    assert not report.errors, [str(f) for f in report.errors]
