"""A link's printed address in an Arabic DOCX keeps its brackets, as LibreOffice draws it.

The DOCX printed a link's address after its words as " (", then the address isolated left to
right (LRI … PDI), then ")". In ``chemo-fever``'s Arabic text, "[موقع NHS](https://www.nhs.uk/
conditions/chemotherapy/)" ends a line after the opening bracket, and LibreOffice drew that
bracket unmirrored in the run of "NHS" ("موقع NHS (" on the first line), where WeasyPrint
mirrors it; the closing bracket, on the next line, it mirrored. The runs' ``w:rtl`` made no
difference (tried: without it on the brackets, on the controls, the space split off, an RLM
before the bracket); with the brackets inside the isolate, " LRI (address) PDI", the bracket
goes with the address. The Latin words right after such a link ("[موقعنا](…) Macmillan",
``rtl-latin-after``) now close that isolate, as after a Latin link, so LibreOffice draws
"(www.example.org/help) Macmillan" after the link's words, as the PDF does.

Read back: the DOCX's XML, LibreOffice's PDF of it (the characters of each line in the order
they are drawn, pdfplumber), ``check``, and the import.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.options import BuildOptions
from tests.conftest import DATA

TODAY = dt.date(2026, 1, 5)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CLI = Path(sys.executable).with_name("lmets-docs")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LRI, PDI = "\u2066", "\u2069"
NHS_PAGE = "www.nhs.uk/conditions/chemotherapy"
LEAFLETS = {"chemo-fever": DATA / "chemo-fever", "rtl-latin-after": DATA / "rtl-latin-after"}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rtl-brackets")
    report = build(list(LEAFLETS.values()), BuildOptions(
        out=root / "output", formats=("docx",), langs=("ar",), jobs=2, today=TODAY,
        templates=None, cache_dir=root / "cache"))
    assert not report.rejected, [str(f) for f in report.findings]
    return root / "output"


def _docx(out: Path, leaflet: str) -> Path:
    return next((out / leaflet / "ar").glob("*.docx"))


def _address_controls(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    return ["".join(sdt.itertext()) for sdt in body.iter(f"{W}sdt")
            if sdt.find(f"{W}sdtPr/{W}tag[@{W}val='link-address']") is not None]


def test_the_docx_isolates_the_address_with_its_brackets(out: Path) -> None:
    assert _address_controls(_docx(out, "chemo-fever")) == [f" {LRI}({NHS_PAGE}){PDI}"]
    # before the Latin words: the isolate stays open for them, and closes after them
    controls = _address_controls(_docx(out, "rtl-latin-after"))
    assert f" {LRI}(www.example.org/help)" in controls
    with zipfile.ZipFile(_docx(out, "rtl-latin-after")) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    texts = ["".join(p.itertext()) for p in body.iter(f"{W}p")]
    assert any(f"موقعنا {LRI}(www.example.org/help) Macmillan{PDI} أيضا." in t for t in texts)


def _lines(pdf: Path) -> list[str]:
    """Return each line of LibreOffice's PDF as drawn, left to right (its characters by
    their places; the isolates' controls, which LibreOffice draws as nothing, left out)."""
    lines = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            words = page.extract_words()
            for top in sorted({round(w["top"]) for w in words}):
                line = sorted((w for w in words if abs(w["top"] - top) < 2),
                              key=lambda w: w["x0"])
                lines.append(re.sub(f"[{LRI}{PDI}]", "", " ".join(w["text"] for w in line)))
    return list(dict.fromkeys(lines))


@pytest.fixture(scope="module")
def drawn(out: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    if SOFFICE is None:
        pytest.skip("LibreOffice")
    tmp = tmp_path_factory.mktemp("lo")
    found = {}
    for leaflet in LEAFLETS:
        docx = _docx(out, leaflet)
        subprocess.run([str(SOFFICE), f"-env:UserInstallation={(tmp / 'p').as_uri()}",
                        "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(docx)],
                       check=True, capture_output=True, timeout=300)
        found[leaflet] = _lines(tmp / f"{docx.stem}.pdf")
    return found


def test_libreoffice_draws_the_brackets_around_the_address(drawn: dict[str, list[str]]) -> None:
    lines = drawn["chemo-fever"]
    (address,) = [line for line in lines if "www.nhs.uk" in line.replace(" ", "")]
    assert f"({NHS_PAGE})" in address.replace(" ", ""), lines
    # the line the link's words "موقع NHS" end (pdfplumber reads Arabic as drawn, and
    # LibreOffice's "NHS" in pieces)
    (words,) = [line for line in lines if "NHSعقوم" in line.replace(" ", "")]
    assert "(" not in words and ")" not in words, words


def test_libreoffice_draws_the_address_then_the_english_word(
        drawn: dict[str, list[str]]) -> None:
    lines = [line for line in drawn["rtl-latin-after"] if "www.example.org/help" in line
             and "NHS" not in line]
    assert len(lines) == 1, drawn["rtl-latin-after"]
    # read from the left as one block, after (left of) the link's words
    assert re.search(r"\(www\.example\.org/help\) Macmillan\s*\S*انعقوم", lines[0]), lines


def test_the_check_passes_and_the_import_leaves_the_address_out(
        out: Path, tmp_path: Path) -> None:
    assert not check([out], TODAY).errors
    leaflet = shutil.copytree(LEAFLETS["rtl-latin-after"], tmp_path / "leaflet")
    result = subprocess.run([str(CLI), "import-docx", str(_docx(out, "rtl-latin-after")),
                             "--lang", "ar-EG", "--leaflet", str(leaflet), "--force"],
                            check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    after = " ".join((leaflet / "ar-EG.md").read_text(encoding="utf-8").split())
    assert "[موقعنا](https://www.example.org/help) Macmillan أيضا." in after
    assert LRI not in after and PDI not in after
