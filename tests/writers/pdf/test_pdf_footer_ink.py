"""The running footer fits by its letters' ink, as ``check`` measures them (user test H2).

Arabic giant print with a 24-hour main contact could never be built: the footer's two lines
fitted by their style's line height, but the Noto Naskh descenders of the second line
reached 0.5 mm into the bottom 20 mm that ``check`` keeps free, on every page, and the footer
never fell back to the number alone. ``tests/data/rtl-always`` (a 24-hour main contact) and
the same leaflet with long hours are built for real in Arabic and Urdu, large and giant print:
each page keeps its letters out of the frame, ``check`` passes, and the footer's form is one
the README promises. The writer's measure of the ink is compared with ``check``'s own.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check import pdf as check_pdf
from lmets_docs.check.findings import Severity
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.writers import pdf as pdf_writer
from lmets_docs.writers.pdf import layout as pdf_layout
from lmets_docs.writers.pdf.template import render_page
from tests.conftest import DATA

TODAY = dt.date(2026, 6, 2)
ALWAYS = DATA / "rtl-always"
PT_PER_PX = 0.75
FRAME_PT = 20 * 72 / 25.4 - check_pdf.MARGIN_TOLERANCE
LONG = ('      hours: {always: true}\n',
        '      hours:\n        open:\n'
        '          - {days: mon-fri, opens: "08:00", closes: "20:00"}\n'
        '          - {days: sat-sun, opens: "10:00", closes: "16:00"}\n'
        '        note: {en-GB: except bank holidays, ar: باستثناء العطل الرسمية, '
        'ur: سرکاری چھٹیوں کے علاوہ}\n')


def _source(tmp_path: Path, hours: str) -> Path:
    """Return the fixture with its main contact open always, or for long hours."""
    if hours == "always":
        return ALWAYS
    folder = tmp_path / "rtl-always"
    shutil.copytree(ALWAYS, folder)
    yaml = folder / "leaflet.yaml"
    text = yaml.read_text(encoding="utf-8")
    assert LONG[0] in text
    yaml.write_text(text.replace(*LONG), encoding="utf-8")
    return folder


def _footer_form(pdf: Path, profile: Profile) -> str:
    key = "pdf" if profile == "large" else f"pdf-{profile}"
    return str(read_manifest(pdf.parent).artifacts[key].details["footer"])


@pytest.mark.parametrize(("lang", "hours", "profile", "form"), [
    ("ar", "always", "giant", "number only"),    # the user test's case: it was "hours unbroken"
    ("ur", "always", "giant", "hours unbroken"),
    ("ar", "always", "large", "hours unbroken"),
    ("ar", "long", "giant", "number only"),
    ("ur", "long", "giant", "hours wrapped"),
    ("ur", "long", "large", "hours wrapped"),
])
def test_the_footer_fits_or_gives_the_number_alone(tmp_path: Path, lang: str, hours: str,
                                                   profile: Profile, form: str) -> None:
    out = tmp_path / "out"
    build([_source(tmp_path, hours)], BuildOptions(
        out=out, formats=("pdf",), profile=profile, langs=(lang,), jobs=1, today=TODAY,
        templates=None, check=False))
    pdf = out / "rtl-always" / lang / f"rtl-always-{profile}-print.pdf"
    pages = check_pdf.page_chars(pdf)
    bottoms = [check_pdf.page_margins(page)["bottom"] for page in pages]
    assert min(bottoms) >= FRAME_PT, bottoms
    assert _footer_form(pdf, profile) == form
    footers = [page.footer for page in pages]
    assert all("0113 496 0777" in " ".join(footer.split()) for footer in footers), footers
    report = check([out], TODAY, formats={"pdf"})
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize(("lang", "profile"), [("ar", "giant"), ("ur", "giant"),
                                               ("ar", "large")])
def test_the_writer_measures_the_footer_s_ink_as_check_does(tmp_path: Path, lang: str,
                                                            profile: Profile) -> None:
    """The first layout (the hours on the footer's lines), measured by ``ink_bottom`` and,
    once written, by ``check``'s pdfium boxes: within a quarter of a point on every page."""
    leaflet = load_leaflet(ALWAYS, lang)
    options = BuildOptions(out=tmp_path, profile=profile, today=TODAY, templates=None)
    page = render_page(leaflet, options)
    document = pdf_writer._laid(page, leaflet, [], pdf_writer.FOOTERS[0]).document
    path = tmp_path / "first.pdf"
    path.write_bytes(document.write_pdf())
    measured = [check_pdf.page_margins(chars)["bottom"] for chars in check_pdf.page_chars(path)]
    ink = [(box.margin_height() - _lowest(box)) * PT_PER_PX
           for box in (p._page_box for p in document.pages)]
    assert len(ink) == len(measured)
    assert all(abs(a - b) < 0.25 for a, b in zip(ink, measured, strict=True)), (ink, measured)


def _lowest(page_box: object) -> float:
    """Return how far down the letters of a page's bottom margin boxes reach, in CSS px."""
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415

    return max(pdf_layout.ink_bottom(box)
               for margin in page_box.children  # type: ignore[attr-defined]
               if isinstance(margin, boxes.MarginBox) and margin.at_keyword.startswith("@bottom")
               for box in pdf_layout.descendants(margin) if isinstance(box, boxes.TextBox))
