"""A picture in the tagged PDF: its description is told once, and still printed under it.

WeasyPrint tags the picture as a ``/Figure`` with ``/Alt`` and its caption (the same
description, printed in bold) as a ``/Caption`` beside it, so a screen reader read the
description twice. The finished PDF holds the caption inside the figure, whose ``/Alt``
stands for the element and its children (ISO 32000-1, 14.9.3). The minimal leaflet (with a
PNG) is built; pikepdf and pdfplumber read the tags and the page back, and page-validation
and outloud check PDF/UA-1 on it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import outloud
import page as page_validation
import pdfplumber
import pikepdf
import pytest

from lmets_docs.build import build
from lmets_docs.model import Figure
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from tests.conftest import DATA
from tests.writers.pdf.test_pdf_tags import elements, kids


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the minimal leaflet's PDF; return it."""
    tmp = tmp_path_factory.mktemp("pdf-figure")
    report = build([DATA / "minimal"], BuildOptions(
        out=tmp, formats=("pdf",), today=dt.date(2026, 1, 5), templates=None, jobs=2))
    assert [f.line() for f in report.findings] == []
    return tmp / "minimal-leaflet" / "en-GB" / "minimal-leaflet-large-print.pdf"


def description() -> str:
    leaflet = load_leaflet(DATA / "minimal", "en-GB")
    return next(b.alt for b in leaflet.all_blocks() if isinstance(b, Figure))


def mcids(element: Any) -> set[int]:
    """Return the marked-content ids under an element (the leaflet has one page of them)."""
    found = {k for k in kids(element) if isinstance(k, int)}
    found |= {int(k.MCID) for k in kids(element)
              if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR"}
    for kid in elements(element):
        found |= mcids(kid)
    return found


def test_the_caption_is_inside_the_figure_whose_alt_stands_for_both(pdf_file: Path) -> None:
    with pikepdf.open(pdf_file) as pdf:
        found = list(elements(pdf.Root.StructTreeRoot))
        figures = [e for e in found if str(e.S) == "/Figure"]
        captions = [e for e in found if str(e.S) == "/Caption"]
        assert [str(f.Alt) for f in figures] == [description()]
        assert len(captions) == 1
        assert captions[0].P.objgen == figures[0].objgen
        assert [str(k.S) for k in kids(figures[0]) if isinstance(k, pikepdf.Dictionary)
                and "/S" in k] == ["/Caption"]
        page = next(n for n, p in enumerate(pdf.pages) if any(
            k.get("/Pg") is not None and k.Pg.objgen == p.obj.objgen for k in captions))
        caption_ids = mcids(captions[0])
    with pdfplumber.open(pdf_file) as plumber:
        drawn = "".join(c["text"] for c in plumber.pages[page].chars
                        if c.get("mcid") is not None and int(c["mcid"]) in caption_ids)
    assert drawn.replace(" ", "") == description().replace(" ", "")  # still printed


def test_pdf_ua_checkers_find_nothing(pdf_file: Path) -> None:
    report = page_validation.validate_pdf(str(pdf_file))
    assert (report.rules.failed, report.is_compliant) == (0, True), report.to_json()
    result = outloud.check(str(pdf_file))
    assert result.error is None
    assert [f"{f.rule}: {f.message}" for f in result.findings
            if f.severity in ("error", "warning")] == []
