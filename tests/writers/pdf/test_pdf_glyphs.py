"""The PDF writer refuses a PDF whose text would say another letter than the page shows.

Noto Naskh Arabic draws the initial and medial noon ghunna "ں" (Urdu) with the glyph of
alef maksura "ى" (Arabic); WeasyPrint maps a glyph to the first letter it draws it for
(Kozea/WeasyPrint #2841), so with both on a page the PDF's text says one for the other.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from lmets_docs.check.bidi import bidi_key, logical_text
from lmets_docs.errors import BuildError
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf import WRITER, fetcher, lay_out, output_name
from lmets_docs.writers.pdf import glyphs as pdf_glyphs
from lmets_docs.writers.pdf.template import render_page
from tests.conftest import BEFORE_DUE, DATA

SHARED = "ىب ںب"
"""Alef maksura and noon ghunna, each before beh (initial forms): one glyph in the font."""


def _leaflet(tmp_path: Path, extra: str) -> Path:
    """Return a copy of the Arabic fixture, its letters section replaced by ``extra``."""
    folder = tmp_path / "arabic"
    shutil.copytree(DATA / "arabic", folder)
    source = folder / "ar.md"
    text = source.read_text(encoding="utf-8").split("{#letters}")[0]
    source.write_text(f"{text}\n{extra}\n", encoding="utf-8")
    return folder


def _write(folder: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    leaflet = load_leaflet(folder, "ar")
    result = WRITER.write(leaflet, out, BuildOptions(out=out, today=BEFORE_DUE, templates=None))
    return out / result.files["pdf"]


def test_two_letters_drawn_with_one_glyph_stop_the_pdf(tmp_path: Path) -> None:
    folder = _leaflet(tmp_path, SHARED)
    with pytest.raises(BuildError) as caught:
        _write(folder, tmp_path / "out")
    message = str(caught.value)
    assert "ar.md" in message and "Noto Naskh Arabic" in message and "#2841" in message
    assert "'ى'" in message and "'ں'" in message
    assert not (tmp_path / "out" / output_name(load_leaflet(folder, "ar"))).exists()


def test_either_letter_alone_prints_and_reads_back(tmp_path: Path) -> None:
    for word in SHARED.split():
        path = _write(_leaflet(tmp_path / word, word), tmp_path / word / "out")
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, text=True, timeout=60).stdout
        assert bidi_key(word) in bidi_key(logical_text(text))


def test_spaces_of_every_width_may_share_a_glyph() -> None:
    """The fixture's no-break and plain spaces are one glyph: not a misreading."""
    leaflet = load_leaflet(DATA / "arabic", "ar")
    page = render_page(leaflet, BuildOptions(today=BEFORE_DUE, templates=None))
    assert "\xa0" in page.html
    import weasyprint  # noqa: PLC0415  (after the writer's own import, as it wants)

    document, _ = lay_out(weasyprint.HTML(string=page.html, base_url=page.base_url,
                                          url_fetcher=fetcher(page, leaflet)))
    assert pdf_glyphs.misread(document.pages) == []
