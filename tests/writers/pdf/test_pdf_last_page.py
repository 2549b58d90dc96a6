"""The last page of a PDF never holds a lone line of the closing section, and a last page that
holds only a line or two is warned of.

The user test's leaflet (``tests/data/chemo-fever``) in giant print used to end with a page
holding only the closing "Helpline: …" line. Each PDF here is built for real and read back
page by page (pdftotext for the words, pdftoppm's image for how much of the page is printed).

Since its title page gives only the main contact and the other follows the text in the
section "Contacts" (``test_pdf_contact_boxes``), the day unit's box breaks after its number
at the foot of page 4. Its rest on page 5 is headed by its name, "Oncology Day Unit
(continued)", a closed box of its own (one line and the box's top more than when it carried
no name), so the leaflet has 6 pages, as before the move, not 5: page 5 holds the rest of the
box, the glossary, the closing section's heading and "Published by …"; the last, the review
dates and the closing line kept with them. The lone line is made again with a house template
that gives every contact on the title page, as before, and lets the closing line go alone.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy
import pdfplumber
import pytest
from click.testing import CliRunner
from PIL import Image

from lmets_docs.cli import cli
from lmets_docs.writers.pdf.template import render_page
from tests.conftest import BEFORE_DUE, DATA

ABOUT = "About this information"
CLOSING = "Helpline: 0113 496 0777, 24 hours a day, 7 days a week"
DPI = 30


def build(out: Path, templates: Path | None = None) -> tuple[Path, str]:
    """Build the leaflet's English giant-print PDF; return it and what the build said."""
    result = CliRunner(mix_stderr=False).invoke(cli, [
        "build", str(DATA / "chemo-fever"), "--format", "pdf", "--lang", "en-GB",
        "--profile", "giant", "--out", str(out), "--templates", str(templates or "none"),
        "--today", BEFORE_DUE.isoformat()])
    assert result.exit_code == 0, result.stdout + result.stderr
    return next(out.rglob("*-giant-print.pdf")), result.stdout + result.stderr


def pages(pdf: Path) -> list[str]:
    """Return each page's text, whitespace folded, as pdftotext reads it."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def printed_share(pdf: Path, number: int) -> float:
    """Return how much of a page's text area (between the running header's "Page N of M" and
    the running footer's "Helpline:") its text fills, read with pdfplumber."""
    with pdfplumber.open(pdf) as document:
        words = document.pages[number - 1].extract_words()
    header = next(w["bottom"] for w in words if w["text"] == "Page")
    footer = [w["top"] for w in words if w["text"] == "Helpline:"][-1]
    body = [w["bottom"] for w in words if header < w["top"] and w["bottom"] < footer]
    return (max(body) - header) / (footer - header) if body else 0.0


def page_image(pdf: Path, number: int, tmp: Path) -> Image.Image:
    """Return a page as pdftoppm draws it, in grey."""
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-f", str(number), "-l", str(number),
                    "-png", str(pdf), str(tmp / "page")], check=True)
    return Image.open(next(tmp.glob("page*.png"))).convert("L")


def inked_bands(image: Image.Image) -> int:
    """Return how many bands of inked rows (lines of text, rules) a page image has."""
    rows = [bool(row) for row in numpy.asarray(image).min(axis=1) < 128]
    return sum(1 for above, row in zip([False, *rows], rows, strict=False) if row and not above)


@pytest.fixture(scope="module")
def giant(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Return the giant-print PDF as built, and what its build said."""
    return build(tmp_path_factory.mktemp("giant") / "out")


def test_the_closing_line_is_kept_with_the_review_dates(giant: tuple[Path, str]) -> None:
    text = pages(giant[0])
    last = text[-1]
    assert "Last reviewed: 1 June 2026 Next review due: 1 June 2028 " + CLOSING in last
    assert last.count(CLOSING) == 2  # the closing line, and the running footer
    # the closing section, in order: its heading and publisher end the page before (then
    # that page's footer), the review dates and the closing line start the last
    assert text[-2].endswith(f"{ABOUT} Published by Northfield Hospitals NHS Trust {CLOSING}")
    assert last.startswith(f"Page {len(text)} of {len(text)} Last reviewed: 1 June 2026 "
                           f"Next review due: 1 June 2028 {CLOSING}")
    assert "empty" not in giant[1]  # nor the page before more than a third empty


def test_the_last_page_is_not_a_sheet_for_one_line(giant: tuple[Path, str],
                                                   tmp_path: Path) -> None:
    last = len(pages(giant[0]))
    assert printed_share(giant[0], last) > 0.15
    # the header; 2 lines of review dates, 2 of the closing line; 2 of the footer
    assert inked_bands(page_image(giant[0], last, tmp_path)) == 7


def test_a_last_page_holding_a_line_or_two_is_warned_of(tmp_path: Path) -> None:
    # A house stylesheet that lets the closing line go alone, as before the fix, and a house
    # page that gives every contact on the title page (no section of contacts after the
    # text), as before they moved: the pages fall as they did then.
    house = tmp_path / "house" / "pdf"
    house.mkdir(parents=True)
    (house / "leaflet.css").write_text(
        '{% include "builtin/leaflet.css" %}\n.about > p:last-child { break-before: auto; }\n',
        encoding="utf-8")
    page = (Path(render_page.__code__.co_filename).parents[2] / "templates" / "pdf"
            / "leaflet.html").read_text(encoding="utf-8")
    main = 'contact_boxes(contacts[:1], "helpline", helpline_heading)'
    assert main in page
    older = re.sub(r"\{% block contacts %\}.*?\{% endblock %\}", "",
                   page.replace(main, 'contact_boxes(contacts, "helpline", contacts_heading)'),
                   flags=re.S)
    (house / "leaflet.html").write_text(older, encoding="utf-8")
    pdf, said = build(tmp_path / "out", house.parent)
    text = pages(pdf)
    assert "Last reviewed" not in text[-1] and CLOSING in text[-1]  # the lone closing line
    assert printed_share(pdf, len(text)) < 0.15
    assert inked_bands(page_image(pdf, len(text), tmp_path)) <= 5
    assert (f"the last page, {len(text)}, is" in said
            and "empty: a sheet for a line or two; shorten the text a little" in said), said
    manifest = json.loads(next((tmp_path / "out").rglob("manifest.json")).read_text())
    assert any("the last page" in w for w in manifest["artifacts"]["pdf-giant"]["warnings"])


def test_the_seed_in_large_print_is_not_warned(tmp_path: Path) -> None:
    shutil.copytree(DATA / "chemo-fever", tmp_path / "chemo-fever")
    result = CliRunner(mix_stderr=False).invoke(cli, [
        "build", str(tmp_path / "chemo-fever"), "--format", "pdf", "--lang", "en-GB",
        "--out", str(tmp_path / "out"), "--templates", "none", "--today",
        BEFORE_DUE.isoformat()])
    assert result.exit_code == 0 and "last page" not in result.stdout + result.stderr
