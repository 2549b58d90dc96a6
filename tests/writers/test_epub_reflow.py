"""Nothing in the EPUB runs off a phone's screen, at any font size a reader picks.

The talking book's style sheet kept every fact on one line (``white-space: nowrap``): a
contact's name and the whole opening hours ran off a 320 CSS px screen at 100-200 %, off the
left edge in Urdu and Arabic (user test ut-lowvision, finding 1). Each content document of the
real EPUB (the seed, overdue so that its notice is there too, and the switchboard in English,
Welsh, Urdu and Arabic) is laid out by Chromium 320 px wide with the reading system's font size
at 100, 150 and 200 %, with and without the WCAG 1.4.12 text spacing
(``tests/js/epub_reflow.mjs``): no element's box and no text passes either edge, and the page
does not scroll sideways. A phone number is still kept whole where it fits on a line.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from lmets_docs.build import build
from lmets_docs.options import BuildOptions
from tests.conftest import DATA, ROOT, SEED
from tests.node import CHROMIUM, run_node

OVERDUE = dt.date(2026, 1, 5)
"""After the seed's next review date (22 November 2022): its notice is in the book."""
BOOKS = [("leptomeningeal-metastases", "en-GB"), ("switchboard", "en-GB"), ("switchboard", "cy"),
         ("switchboard", "ur"), ("switchboard", "ar")]

pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(), reason="Chromium")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Build the EPUBs; return each one's unzipped ``EPUB`` folder."""
    root = tmp_path_factory.mktemp("epub-reflow")
    build([SEED, DATA / "switchboard"], BuildOptions(
        out=root / "output", formats=("epub",), tts="espeak", jobs=2, today=OVERDUE,
        templates=None, cache_dir=root / "cache"))
    folders = {}
    for leaflet, lang in BOOKS:
        book = next((root / "output" / leaflet / lang / "epub").glob("*.epub"))
        with zipfile.ZipFile(book) as epub:
            epub.extractall(root / leaflet / lang)
        folders[leaflet, lang] = root / leaflet / lang / "EPUB"
    return folders


def laid_out(docs: list[Path], tmp_path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Return what Chromium finds past the screen's edges in each document, by font size."""
    result = tmp_path / "reflow.json"
    run_node([ROOT / "tests" / "js" / "epub_reflow.mjs", result, tmp_path, *docs],
             timeout=600, cwd=ROOT)
    found: dict[str, dict[str, dict[str, Any]]] = json.loads(
        result.read_text(encoding="utf-8"))
    return found


@pytest.mark.parametrize(("leaflet", "lang"), BOOKS)
def test_no_document_passes_a_phones_screen_at_any_font_size(
        books: dict[tuple[str, str], Path], tmp_path: Path, leaflet: str, lang: str) -> None:
    docs = sorted(books[leaflet, lang].glob("c*.xhtml"))
    assert len(docs) >= 4
    found = laid_out(docs, tmp_path)
    assert set(found) == {str(d) for d in docs}
    assert len(next(iter(found.values()))) == 6  # 3 font sizes, with and without the spacing
    past = {(Path(doc).name, size): (seen["width"], seen["out"])
            for doc, sizes in found.items() for size, seen in sizes.items()
            if seen["out"] or seen["width"] > 320}
    assert past == {}
    # the screenshots the checker took (what a reader sees at 200 % with the spacing)
    assert len(list(tmp_path.glob("*-200-spacing.png"))) == len(docs)


def test_a_phone_number_that_fits_stays_on_one_line(
        books: dict[tuple[str, str], Path], tmp_path: Path) -> None:
    """The seed's helpline number (0808 800 4040) fits a 320 px line at 200 %: it is never
    split, in any document; so are the switchboard's numbers with their extensions at 100 %
    in Welsh and Arabic (wider than the line at 150 % in the contacts box, they wrap there)."""
    cases = [(("leptomeningeal-metastases", "en-GB"), ("100%", "150%", "200%")),
             (("switchboard", "cy"), ("100%",)), (("switchboard", "ar"), ("100%",))]
    for book, sizes in cases:
        docs = sorted(books[book].glob("c*.xhtml"))
        found = laid_out(docs, tmp_path)
        phones = [(Path(doc).name, size, text, lines) for doc, seen in found.items()
                  for size in sizes for text, lines in seen[size]["phones"]]
        assert phones, book
        assert [p for p in phones if p[3] != 1] == [], book
