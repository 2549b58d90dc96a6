"""Golden files of two small leaflets: the DOCX's parts and the narration script, as text.

A change to what a writer makes shows here as a diff against ``tests/golden/``; a change that
is meant is accepted with ``LMETS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/writers/test_golden.py``
(see ``tests/golden.py``). The minimal leaflet is built after its review date, so its
furniture includes the out-of-date notice; the glossary leaflet has a glossary and references.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.audio.script import Script, build_script
from tests.conftest import DATA
from tests.golden import assert_golden, docx_part, normalised, used_styles

CASES = {  # golden name: (leaflet folder, the day it is built)
    "minimal-overdue": (DATA / "minimal", dt.date(2028, 6, 1)),
    "glossary": (DATA / "glossary", dt.date(2026, 1, 5)),
}
SOURCE_MAP = "{urn:lmets-docs:source-map:1}sourceMap"


@pytest.fixture(scope="module")
def docx_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the DOCX of each case with the real writer; return each file by case."""
    root = tmp_path_factory.mktemp("golden")
    options = BuildOptions(out=root / "output", formats=("docx",), tts="espeak", jobs=1,
                           templates=None, cache_dir=root / "cache")
    files = {}
    for name, (folder, today) in CASES.items():
        report = build([folder], dataclasses.replace(options, today=today))
        assert not report.rejected, [str(f) for f in report.findings]
        leaflet = load_leaflet(folder, "en-GB")
        out = root / "output" / leaflet.id / "en-GB"
        files[name] = out / read_manifest(out).artifacts["docx"].files["docx"]
    return files


def source_map_part(docx: Path) -> str:
    """Return the name of the DOCX part that holds the source map."""
    with zipfile.ZipFile(docx) as archive:
        for part in archive.namelist():
            if part.startswith("customXml/item") and b"urn:lmets-docs:source-map" in \
                    archive.read(part)[:400]:
                return part
    raise AssertionError(f"{docx}: no source map part")


@pytest.mark.parametrize("case", sorted(CASES))
def test_docx_document_matches_its_golden_file(case: str, docx_files: dict[str, Path]) -> None:
    assert_golden(f"{case}/document.xml", normalised(docx_part(docx_files[case],
                                                               "word/document.xml")))


@pytest.mark.parametrize("case", sorted(CASES))
def test_docx_footer_matches_its_golden_file(case: str, docx_files: dict[str, Path]) -> None:
    assert_golden(f"{case}/footer1.xml", normalised(docx_part(docx_files[case],
                                                              "word/footer1.xml")))


@pytest.mark.parametrize("case", sorted(CASES))
def test_docx_styles_match_their_golden_file(case: str, docx_files: dict[str, Path]) -> None:
    docx = docx_files[case]
    styles = used_styles(docx_part(docx, "word/styles.xml"), docx_part(docx, "word/document.xml"),
                         docx_part(docx, "word/footer1.xml"))
    assert_golden(f"{case}/styles.xml", normalised(styles))


@pytest.mark.parametrize("case", sorted(CASES))
def test_docx_source_map_matches_its_golden_file(case: str, docx_files: dict[str, Path]) -> None:
    docx = docx_files[case]
    root = docx_part(docx, source_map_part(docx))
    assert root.tag == SOURCE_MAP
    assert_golden(f"{case}/source-map.xml", normalised(root))


@pytest.mark.parametrize("case", sorted(CASES))
def test_narration_script_matches_its_golden_file(case: str) -> None:
    folder, today = CASES[case]
    script = build_script(load_leaflet(folder, "en-GB"), today, duration_s=150.0)
    assert_golden(f"{case}/narration.txt", script_text(script))


def script_text(script: Script) -> str:
    """Return a narration script as text: a line per segment, with how it is said.

    ``pause`` is the silence after it; ``slow`` marks the pieces said slowly (phone numbers);
    ``+`` a segment whose transcript line goes on; ``→`` what the engine is given, when the
    lexicon respells it; ``✎`` what the transcript and the captions write, when it is not
    what is said (a number and hours as printed); ``@`` what it says in a page.
    """
    lines = [f"lang {script.lang}"]
    for chapter in script.chapters:
        lines += ["", f"## {chapter.slug}: {chapter.title}"]
        for seg in chapter.segments:
            flags = " ".join(f for f, on in (("slow", seg.slow), ("+", seg.run_on)) if on)
            said = f"  → {seg.speech}" if seg.speech != seg.text else ""
            written = f"  ✎ {seg.written}" if seg.written != seg.text else ""
            lines.append(f"[{seg.pause:.2f}{' ' + flags if flags else ''}] @{seg.ref} "
                         f"{seg.text}{said}{written}")
    return "\n".join(lines) + "\n"
