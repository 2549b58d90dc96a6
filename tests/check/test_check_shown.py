"""``check`` reads the DOCX, the web page and the EPUB as a reader sees them (finding 1 of the
hostile-input user test, session 28).

Real files built from the minimal leaflet, then tampered: a right-to-left override that shows
"5550 694 3110" as "0113 496 0555", a zero-width non-joiner inside a typed number, a
zero-width space inside an email, an HTML ``<bdo>``. Before, the checks of these three
formats read the characters as stored and passed each one; only the PDF's (read as drawn)
caught the number. Each is now an error at its place, and the untampered build passes.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check.findings import Report
from lmets_docs.options import BuildOptions
from tests import tamper
from tests.conftest import BEFORE_DUE, DATA

LANG_DIR = Path("minimal-leaflet") / "en-GB"
DOCX = "minimal-leaflet-leaflet.docx"
RLO, PDF, ZWNJ, ZWSP = "\u202e", "\u202c", "\u200c", "\u200b"
REVERSED = f"Call {RLO}5550 694 3110{PDF} now."
HIDDEN_NUMBER = f"Call 01{ZWNJ}13 496 0555 now."
HIDDEN_EMAIL = f"Write to evil{ZWSP}@example.com now."
SHOWN_NUMBER = r"phone number '0113 496 0555' is not"
SHOWN_EMAIL = r"email address 'evil@example\.com' is not a contact's"
OVERRIDE = r"U\+202E RIGHT-TO-LEFT OVERRIDE, which shows it otherwise than it is read"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the minimal leaflet's DOCX, web page and EPUB once for this module."""
    root = tmp_path_factory.mktemp("built")
    options = BuildOptions(out=root / "output", formats=("docx", "html", "epub"), jobs=2,
                           today=BEFORE_DUE, templates=None, cache_dir=root / "cache",
                           tts="espeak")
    build([DATA / "minimal"], options)
    return root / "output" / LANG_DIR


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    """Return a private copy of the built language folder to tamper with."""
    target = tmp_path / "output" / LANG_DIR
    shutil.copytree(built, target)
    return target


def _errors(out: Path) -> list[str]:
    """Check with edits allowed (only what the tampering says is an error); say each error."""
    report: Report = check([out], BEFORE_DUE, allow_edited=True)
    return [f"{f.file.name} {f.place}: {f.message}" for f in report.errors]


def test_the_untampered_build_passes(out: Path) -> None:
    assert _errors(out) == []


def _in_docx(text: str) -> Callable[[Path], None]:
    return lambda out: tamper.edit_docx(out / DOCX, tamper.text_paragraph(text))


def _in_page(html: str) -> Callable[[Path], None]:
    def edit(out: Path) -> None:
        page = out / "html" / "index.html"
        source = page.read_text(encoding="utf-8")
        page.write_text(source.replace("</h1>", f"</h1>\n<p>{html}</p>", 1), encoding="utf-8")
    return edit


def _in_epub(html: str) -> Callable[[Path], None]:
    def edit(out: Path) -> None:
        [book] = (out / "epub").glob("*.epub")
        with zipfile.ZipFile(book) as archive:
            members = [(info, archive.read(info)) for info in archive.infolist()]
        with zipfile.ZipFile(book, "w") as archive:
            done = False
            for info, data in members:
                changed = data
                if not done and info.filename.endswith(".xhtml") and b"<h2" in data:
                    changed = data.replace(b"<h2", f"<p>{html}</p><h2".encode(), 1)
                    done = True
                archive.writestr(info, changed)
            assert done
    return edit


CASES: dict[str, tuple[Callable[[Path], None], str, list[str]]] = {
    "DOCX, an override": (_in_docx(REVERSED), DOCX, [OVERRIDE, SHOWN_NUMBER]),
    "DOCX, a non-joiner in a number": (_in_docx(HIDDEN_NUMBER), DOCX, [SHOWN_NUMBER]),
    "DOCX, a zero-width space in an email": (_in_docx(HIDDEN_EMAIL), DOCX, [SHOWN_EMAIL]),
    "web page, an override": (_in_page(REVERSED), "index.html", [OVERRIDE, SHOWN_NUMBER]),
    "web page, a non-joiner in a number": (_in_page(HIDDEN_NUMBER), "index.html",
                                           [SHOWN_NUMBER]),
    "web page, a zero-width space in an email": (_in_page(HIDDEN_EMAIL), "index.html",
                                                 [SHOWN_EMAIL]),
    "web page, a <bdo>": (_in_page('Call <bdo dir="rtl">5550 694 3110</bdo> now.'),
                          "index.html", [r"a <bdo> overrides the direction of its text"]),
    "EPUB, an override": (_in_epub(REVERSED), ".epub", [OVERRIDE, SHOWN_NUMBER]),
    "EPUB, a non-joiner in a number": (_in_epub(HIDDEN_NUMBER), ".epub", [SHOWN_NUMBER]),
    "EPUB, a zero-width space in an email": (_in_epub(HIDDEN_EMAIL), ".epub", [SHOWN_EMAIL]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hidden_or_reversed_fact_is_caught(out: Path, case: str) -> None:
    edit, file, patterns = CASES[case]
    edit(out)
    errors = [e for e in _errors(out) if file in e.split(" ", 1)[0]]
    for pattern in patterns:
        assert any(re.search(pattern, e) for e in errors), (pattern, errors)
