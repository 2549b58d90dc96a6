"""A contact's box too tall for the space left on a page breaks between its lines, rather than
leave the page before it more than a third empty.

Each contact's name heads its box larger than the body (STANDARDS: headings larger and bold),
so the boxes grew. The busy clinic (``tests/data/busy-clinic``) in Welsh, giant print, then
moved its day unit's box whole to page 3 and left page 2 holding the short triage box alone,
74 % empty. A box is still kept whole where it fits, or where keeping it whole leaves the
page before it at most a third empty (the seed's and the user test's boxes: their PDFs keep
their pages); otherwise the writer lays the page out again with that box breaking between
its lines: its name kept with the number to call and the hours, each line whole, and the
box one structure element across the break.

Read back from the built PDFs: each page's text (pdftotext), the structure tree (pikepdf:
the box's ``Div`` holds its name on one page and its web address on the next), the
manifest's warnings, and ``check``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
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
    """Build the busy clinic in Welsh and the user test's leaflet in English, giant print."""
    root = tmp_path_factory.mktemp("contact-boxes")
    options = BuildOptions(out=root / "out", formats=("pdf",), profile="giant", jobs=2,
                           today=TODAY, templates=None, cache_dir=root / "cache")
    for name, lang in (("busy-clinic", "cy"), ("chemo-fever", "en-GB")):
        folder = Path(shutil.copytree(DATA / name, root / name))
        report = build([folder], dataclasses.replace(options, langs=(lang,)))
        assert not report.rejected, [str(f) for f in report.findings]
    return root / "out"


def pages(pdf: Path) -> list[str]:
    """Return each page's text, whitespace folded, as pdftotext reads it."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def warnings(built: Path, leaflet: str, lang: str) -> list[str]:
    manifest = json.loads((built / leaflet / lang / "manifest.json").read_text())
    return list(manifest["artifacts"]["pdf-giant"]["warnings"])


def test_the_tall_box_breaks_between_its_lines(built: Path) -> None:
    text = pages(built / "busy-clinic" / "cy" / "busy-clinic-giant-print.pdf")
    # page 2: the triage box, then the day unit's name, number, hours and email
    two = text[1]
    assert "Llinell frysbennu oncoleg acíwt 24 awr Ffoniwch 0808 157 0192" in two
    assert (f"{DAY_UNIT} Ffoniwch 0113 496 0456 rhwng Dydd Llun a Dydd Gwener," in two
            and "E-bost: dayunit@example.org" in two and WEB not in two)
    # page 3 goes on with the box's last line, its web address, then the review dates
    body = text[2].split("Tudalen 3 o 6", 1)[1].strip()
    assert body.startswith(WEB) and body.index("contact-us") < body.index("Adolygwyd")


def test_no_page_is_left_more_than_a_third_empty(built: Path) -> None:
    said = warnings(built, "busy-clinic", "cy")
    assert not [w for w in said if "empty" in w], said


def test_the_box_is_one_element_across_the_break(built: Path) -> None:
    pdf_path = built / "busy-clinic" / "cy" / "busy-clinic-giant-print.pdf"
    with pikepdf.open(pdf_path) as pdf:
        numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        boxes = [e for e in _elements(pdf.Root.StructTreeRoot) if str(e.S) == "/Div"
                 and any(str(k.get("/S", "")) == "/H3" for k in _kids(e)
                         if isinstance(k, pikepdf.Dictionary))]
        spans = [sorted({page for page, _ in _content(box, numbers)}) for box in boxes]
    # three contacts, three boxes; the day unit's, the third, on pages 2 and 3
    assert spans == [[1], [2], [2, 3]]


def test_a_box_that_fits_is_kept_whole(built: Path) -> None:
    """The user test's day unit box moves whole to page 2 (page 1 stays under a third
    empty), as before: its name and its web address on one page."""
    text = pages(built / "chemo-fever" / "en-GB" / "chemo-fever-giant-print.pdf")
    assert "Oncology Day Unit Call 0113 496 0321" in text[1]
    assert "Web: www.example.org/oncology-day-unit" in text[1]
    assert "Oncology Day Unit" not in re.sub(r"Call the Oncology Day Unit", "", text[0])
    assert not [w for w in warnings(built, "chemo-fever", "en-GB") if "empty" in w]


def test_check_passes(built: Path) -> None:
    report = check([built], TODAY, formats={"pdf"})
    assert not report.errors, [str(f) for f in report.errors]
