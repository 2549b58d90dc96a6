"""The publisher's name per language: a Welsh leaflet names the board in Welsh, in every format.

``publisher.name`` is given as a contact's name is (one text, or one per language). Real
builds of ``tests/data/clinic-contacts`` with a name per language, read back from the files:
the PDF's text and metadata, the DOCX's text and core properties, the web page, the EPUB's
package, the MP3's tags and transcript, the braille read back, the manifest, and ``check``;
the DOCX and XLIFF round trips. Bad input (a language the leaflet has no text for, an empty
name, a language left out) is ``file:line``, exit 1, nothing built over the last good files.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check.braille import pages, reading, text_blocks, text_lines
from lmets_docs.cli import cli
from lmets_docs.options import BuildOptions
from tests.conftest import DATA
from tests.xliff.test_xliff import tool_translate

TODAY = dt.date(2026, 1, 5)
ENGLISH, WELSH, URDU = "Example Cancer Centre", "Canolfan Ganser Enghreifftiol", "مثالی کینسر سینٹر"
ONE_NAME = "  name: Example Cancer Centre\n"
PER_LANGUAGE = f"  name: {{en-GB: {ENGLISH}, cy: {WELSH}, ur: {URDU}}}\n"
FORMATS = ("pdf", "docx", "audio", "html", "epub", "braille")


def _leaflet(tmp_path: Path, name: str = PER_LANGUAGE) -> Path:
    folder = tmp_path / "clinic"
    shutil.copytree(DATA / "clinic-contacts", folder)
    path = folder / "leaflet.yaml"
    text = path.read_text(encoding="utf-8")
    assert ONE_NAME in text
    path.write_text(text.replace(ONE_NAME, name), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("publisher")
    build([_leaflet(root)], BuildOptions(out=root / "out", formats=FORMATS, langs=("cy",),
                                         tts="espeak", jobs=2, today=TODAY, templates=None,
                                         cache_dir=root / "cache"))
    return root / "out" / "clinic-contacts" / "cy"


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout


def test_the_welsh_pdf_names_the_publisher_in_welsh(built: Path) -> None:
    pdf = next(built.glob("*-large-print.pdf"))
    text = " ".join(_pdf_text(pdf).split())
    assert text.count(WELSH) >= 2 and ENGLISH not in text  # the title page, "About"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    assert WELSH in info and ENGLISH not in info  # the subject: "… gan <publisher>"


def test_the_welsh_docx_names_the_publisher_in_welsh(built: Path) -> None:
    with zipfile.ZipFile(next(built.glob("*.docx"))) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
        core = docx.read("docProps/core.xml").decode("utf-8")
    assert WELSH in body and ENGLISH not in body
    assert f"<dc:creator>{WELSH}</dc:creator>" in core


def test_the_web_page_and_epub_name_the_publisher_in_welsh(built: Path) -> None:
    page = (built / "html" / "index.html").read_text(encoding="utf-8")
    assert f'<meta name="author" content="{WELSH}">' in page and ENGLISH not in page
    with zipfile.ZipFile(next((built / "epub").glob("*.epub"))) as epub:
        opf = epub.read("EPUB/package.opf").decode("utf-8")
        back = "".join(epub.read(n).decode("utf-8") for n in epub.namelist()
                       if n.endswith(".xhtml"))
    assert f"<dc:publisher>{WELSH}</dc:publisher>" in opf and ENGLISH not in opf
    assert WELSH in back and ENGLISH not in back


def test_the_narration_names_the_publisher_in_welsh(built: Path) -> None:
    tags: Any = ID3(next((built / "audio").glob("*-narration.mp3")))  # type: ignore[no-untyped-call]
    assert str(tags["TPUB"]) == WELSH and str(tags["TPE1"]) == WELSH
    transcript = (built / "audio" / "transcript.txt").read_text(encoding="utf-8")
    assert WELSH in transcript and ENGLISH not in transcript
    playlist = (built / "audio" / "playlist.m3u8").read_text(encoding="utf-8")
    assert f",{WELSH} - " in playlist


def test_the_braille_names_the_publisher_in_welsh(built: Path) -> None:
    blocks = list(text_blocks(text_lines(pages(next(built.glob("*.brf"))))))
    read = " ".join(reading(block, "cy-cy-g2.ctb") for block in blocks)
    assert f"Cyhoeddwyd gan {WELSH}" in read, read


def test_the_manifest_records_and_check_proves_the_welsh_name(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["publisher"] == WELSH
    assert manifest["facts"]["publisher.name"]["printed"] == WELSH
    assert not check([built.parent.parent], TODAY).errors


def test_one_name_for_every_language_is_still_one_name(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([_leaflet(tmp_path, ONE_NAME)], BuildOptions(
        out=out, formats=("pdf",), langs=("cy",), jobs=1, today=TODAY, templates=None))
    pdf = next(out.rglob("*-large-print.pdf"))
    assert ENGLISH in " ".join(_pdf_text(pdf).split())


def test_an_import_docx_round_trip_keeps_each_languages_name(tmp_path: Path) -> None:
    folder = _leaflet(tmp_path)
    out = tmp_path / "out"
    build([folder], BuildOptions(out=out, formats=("docx",), langs=("en-GB",), jobs=1,
                                 today=TODAY, templates=None))
    docx = next(out.rglob("*.docx"))
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["import-docx", str(docx), "--lang", "cy", "--leaflet", str(folder), "--force"])
    assert result.exit_code == 0, result.stderr
    build([folder], BuildOptions(out=out, formats=("pdf",), langs=("cy",), jobs=1,
                                 today=TODAY, templates=None))
    pdf = next((out / "clinic-contacts" / "cy").glob("*-large-print.pdf"))
    assert WELSH in " ".join(_pdf_text(pdf).split())


def test_an_xliff_round_trip_keeps_each_languages_name(tmp_path: Path) -> None:
    folder = _leaflet(tmp_path)
    runner = CliRunner(mix_stderr=False)
    xlf = tmp_path / "cy.xlf"
    exported = runner.invoke(cli, ["export-xliff", str(folder), "--from", "en-GB", "--to", "cy",
                                   "--out", str(xlf)])
    assert exported.exit_code == 0, exported.stderr
    # the file for translators holds the source's (English) name, as a fact
    assert f'<lmets:fact name="publisher.name">{ENGLISH}</lmets:fact>' in xlf.read_text(
        encoding="utf-8")
    done = tool_translate(xlf, tmp_path / "done.xlf")  # translate-toolkit, as a tool would
    result = runner.invoke(cli, ["import-xliff", str(done), "--leaflet", str(folder), "--force"])
    assert result.exit_code == 0, result.stderr
    manifest = tmp_path / "out"
    build([folder], BuildOptions(out=manifest, formats=("docx",), langs=("cy",), jobs=1,
                                 today=TODAY, templates=None))
    with zipfile.ZipFile(next(manifest.rglob("*.docx"))) as docx:
        assert WELSH in docx.read("word/document.xml").decode("utf-8")


def _line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(("name", "message"), [
    (f"  name: {{en-GB: {ENGLISH}, cy: {WELSH}, de: Beispielzentrum}}\n",
     "publisher.name: 'de' is not a language of this leaflet (its texts: cy.md, en-GB.md, "
     "ur.md); give the name for the leaflet's languages"),
    (f"  name: {{en-GB: {ENGLISH}, cy: '', ur: {URDU}}}\n", "publisher.name"),
    ("  name: ''\n", "publisher.name"),
    ("  name: {}\n", "publisher.name"),
    (f"  name: {{en-GB: {ENGLISH}, cy: {WELSH}}}\n",
     "publisher.name: no ur text; give one text for every language or add 'ur: ...'"),
], ids=["a language not in the leaflet", "an empty name in one language", "an empty name",
        "no language", "a language left out"])
def test_a_bad_publisher_name_is_file_line_and_builds_nothing(
        tmp_path: Path, name: str, message: str) -> None:
    folder = _leaflet(tmp_path)
    out = tmp_path / "out"
    runner = CliRunner(mix_stderr=False)
    good = runner.invoke(cli, ["build", str(folder), "--out", str(out), "--format", "pdf"])
    assert good.exit_code == 0, good.stderr
    before = {p: p.read_bytes() for p in out.rglob("*.pdf")}
    path = folder / "leaflet.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(PER_LANGUAGE, name),
                    encoding="utf-8")
    for command in (["validate", str(folder)],
                    ["build", str(folder), "--out", str(out), "--format", "pdf"]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 1, (command, result.stderr)
        assert "Traceback" not in result.output + result.stderr
        assert f"{path}:{_line(path, 'name: ')}" in result.stderr, result.stderr
        assert message in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*.pdf")} == before
