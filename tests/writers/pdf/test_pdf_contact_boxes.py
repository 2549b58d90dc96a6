"""A contact's box too tall for the space left on a page breaks between its lines, rather than
leave the page before it more than a third empty.

Each contact's name heads its box larger than the body (STANDARDS: headings larger and bold),
so the boxes grew: in giant print a box is a quarter to a half of a page. The title page
gives the main contact's box; the other contacts follow the text in the section "Contacts"
(``test_pdf_contact_headings``). A box is kept whole where it fits, or where keeping it whole
leaves the page before it at most a third empty; otherwise the writer lays the page out again
with that box breaking between its lines: its name kept with the number to call and the
hours after it, or, where those do not fit, with the number alone (the number to call never
parted from whose it is), each line whole, the box one structure element across the break.

The user test's leaflet (``tests/data/chemo-fever``) in giant print moved its day unit's box
whole and left page 4 42 % empty: now the box's name and number end page 4 and its hours,
email and web address start page 5. The switchboard in Urdu and the busy clinic
(``tests/data/busy-clinic``) in English, giant print, break a box after its hours; the busy
clinic in Welsh keeps every box whole.

Read back from the built PDFs: each page's text (pdftotext), the structure tree (pikepdf: each
box's ``Div`` and the pages its lines are on), the manifest's warnings, and ``check``.
"""

from __future__ import annotations

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
BUILT = {"chemo-fever": ("en-GB",), "switchboard": ("ur",), "busy-clinic": ("en-GB", "cy")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the leaflets in giant print."""
    root = tmp_path_factory.mktemp("contact-boxes")
    for name, langs in BUILT.items():
        folder = Path(shutil.copytree(DATA / name, root / name))
        report = build([folder], BuildOptions(
            out=root / "out", formats=("pdf",), profile="giant", jobs=2, langs=langs,
            today=TODAY, templates=None, cache_dir=root / "cache"))
        assert not report.rejected, [str(f) for f in report.findings]
    return root / "out"


def pdf_of(built: Path, leaflet: str, lang: str) -> Path:
    return built / leaflet / lang / f"{leaflet}-giant-print.pdf"


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


def spread(box: list[tuple[str, list[int]]]) -> list[int]:
    return sorted({page for _, on in box for page in on})


def warnings(built: Path, leaflet: str, lang: str) -> list[str]:
    manifest = json.loads((built / leaflet / lang / "manifest.json").read_text())
    return list(manifest["artifacts"]["pdf-giant"]["warnings"])


def test_the_day_units_box_keeps_its_name_with_its_number(built: Path) -> None:
    found = boxes(pdf_of(built, "chemo-fever", "en-GB"))
    assert [spread(box) for box in found] == [[1], [4, 5]]
    (name, on), (call, at), *rest = found[1]
    assert (name, call) == ("/H3", "/P") and on == at == [4]  # the number with its name
    assert all(line == [5] for _, line in rest)  # hours, email, web: each line whole
    text = pages(pdf_of(built, "chemo-fever", "en-GB"))
    assert text[3].endswith("Contacts Oncology Day Unit Call 0113 496 0321 "
                            "Helpline: 0113 496 0777, 24 hours a day, 7 days a week")
    assert text[4].startswith("Page 5 of 5 8 am to 6 pm, Monday to Thursday;")


def test_the_wards_box_keeps_its_name_number_and_hours(built: Path) -> None:
    found = boxes(pdf_of(built, "switchboard", "ur"))
    assert [spread(box) for box in found] == [[1], [2, 3]]
    (name, on), (call, at), *rest = found[1]
    assert (name, call) == ("/H3", "/P") and on == at == [2]
    assert rest and all(line == [3] for _, line in rest)


def test_the_day_units_box_keeps_its_name_number_and_hours(built: Path) -> None:
    found = boxes(pdf_of(built, "busy-clinic", "en-GB"))
    assert [spread(box) for box in found] == [[1], [4], [4, 5]]
    (name, on), (call, at), (hours, then), *rest = found[2]
    assert (name, call, hours) == ("/H3", "/P", "/P") and on == at == then == [4]
    assert [line for _, line in rest] == [[5], [5]]  # email, web address


def test_boxes_that_fit_are_kept_whole(built: Path) -> None:
    found = boxes(pdf_of(built, "busy-clinic", "cy"))
    assert len(found) == 3  # the main contact on the title page; the other two after
    assert all(len(spread(box)) == 1 for box in found)


def test_no_page_is_left_more_than_a_third_empty(built: Path) -> None:
    for leaflet, langs in BUILT.items():
        for lang in langs:
            said = warnings(built, leaflet, lang)
            assert not [w for w in said if "empty" in w], said


def test_check_passes(built: Path) -> None:
    report = check([built], TODAY, formats={"pdf"})
    assert not report.errors, [str(f) for f in report.errors]
