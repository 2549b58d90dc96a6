"""The braille edition: BRF pages after UKAAF/BANA, facts that liblouis reads back as printed.

Every test builds with the real liblouis (Debian's tables and Python binding) and reads the
BRF file back.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lmets_docs import brf
from lmets_docs.check.braille import reading, text_blocks, text_lines
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from tests.conftest import DATA, SEED
from tests.writers.braille.helpers import brf_file, brf_pages, build_braille, cells, checked

SEED_ID = "leptomeningeal-metastases"


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the output folder of the seed built in braille only."""
    tmp = tmp_path_factory.mktemp("seed")
    return build_braille(SEED, _options(tmp))


@pytest.fixture(scope="module")
def switchboard_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the switchboard (en-GB, cy, ur, ar) built in braille and DOCX."""
    tmp = tmp_path_factory.mktemp("switchboard")
    return build_braille(DATA / "switchboard", _options(tmp), "docx")


def _options(tmp: Path) -> BuildOptions:
    from tests.conftest import BEFORE_DUE  # noqa: PLC0415

    return BuildOptions(out=tmp / "output", tts="espeak", jobs=1, today=BEFORE_DUE,
                        templates=None, cache_dir=tmp / "cache")


def test_every_line_and_page_fits_and_is_numbered(seed_out: Path) -> None:
    path = brf_file(seed_out, SEED_ID, "en-GB")
    data = path.read_bytes()
    assert data.isascii() and b"\r\n" in data and data.endswith(b"\r\n\f")
    pages = brf_pages(path)
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert len(page) == brf.LINES_PER_PAGE
        assert all(len(line) <= brf.CELLS_PER_LINE for line in page)
        assert all(c.upper() in brf.BRAILLE_ASCII for line in page for c in line)
        assert page[0] == cells(str(number), "en-ueb-g2.ctb").rjust(brf.CELLS_PER_LINE)


def test_title_is_centred_and_headings_are_never_alone_at_a_page_foot(seed_out: Path) -> None:
    pages = brf_pages(brf_file(seed_out, SEED_ID, "en-GB"))
    title = cells("Treatment for leptomeningeal metastases", "en-ueb-g2.ctb")
    assert pages[0][1].strip() == title
    left = len(pages[0][1]) - len(pages[0][1].lstrip())
    assert abs(left - (brf.CELLS_PER_LINE - len(title) - left)) <= 1
    assert pages[0][2] == ""
    for page in pages:
        text = list(page[1:])
        while text and not text[-1]:
            text.pop()
        # The last line of text on a page is never a centred heading.
        assert not text[-1].startswith("   "), text[-1]


def test_paragraphs_are_3_1_and_list_items_1_3(seed_out: Path) -> None:
    lines = [line for page in brf_pages(brf_file(seed_out, SEED_ID, "en-GB"))
             for line in page[1:]]
    bullet = cells("\u2022", "en-ueb-g2.ctb")
    items = [n for n, line in enumerate(lines) if line.startswith(bullet + " ")]
    assert len(items) >= 6
    runovers = [lines[n + 1] for n in items if lines[n + 1].startswith("  ")]
    assert runovers and all(not r.startswith("   ") for r in runovers)
    paragraph = next(n for n, line in enumerate(lines) if line.startswith("  ,") and n > 2)
    assert lines[paragraph - 1] == "" and not lines[paragraph + 1].startswith(" ")


def test_the_helpline_is_dialled_from_the_braille(seed_out: Path) -> None:
    path = brf_file(seed_out, SEED_ID, "en-GB")
    text = path.read_text(encoding="ascii")
    # UEB: one number with numeric spaces (dot 5) between its groups, never divided.
    assert '#JHJH"HJJ"DJDJ' in text
    readings = _readings(path, "en-ueb-g2.ctb")
    assert "0808 800 4040" in readings
    assert "9 am to 5 pm, Monday to Friday" in readings
    assert "Last reviewed: 22 November 2019" in readings
    assert "Next review due: 22 November 2022" in readings
    assert "Published by Cancer Research UK" in readings


def test_the_order_is_the_other_formats_order(seed_out: Path) -> None:
    readings = _readings(brf_file(seed_out, SEED_ID, "en-GB"), "en-ueb-g2.ctb")
    order = ["Treatment for leptomeningeal metastases", "Chemotherapy", "Help and support",
             "Helpline", "Cancer Research UK information nurses", "Call 0808 800 4040",
             "References", "About this information", "Published by", "Last reviewed"]
    place = 0
    for words in order:  # each found after the one before
        place = readings.index(words, place) + len(words)


def test_check_proves_the_seed(seed_out: Path) -> None:
    report = checked(seed_out, allow_edited=False)
    assert report.errors == [], report.text()
    manifest = read_manifest(seed_out / SEED_ID / "en-GB")
    entry = manifest.artifacts["braille"]
    assert entry.files == {"brf": f"{SEED_ID}.brf", "preview": f"{SEED_ID}-braille.txt"}
    assert entry.engines["braille"].startswith("liblouis 3.")
    assert entry.details["table"] == "en-ueb-g2.ctb"


def test_the_preview_shows_the_same_cells_in_unicode(seed_out: Path) -> None:
    folder = seed_out / SEED_ID / "en-GB"
    preview = (folder / f"{SEED_ID}-braille.txt").read_text(encoding="utf-8")
    pages = brf_pages(folder / f"{SEED_ID}.brf")
    assert preview.count("\f") == len(pages)
    first = preview.split("\n")[0]
    assert first.strip("\u2800") == brf.to_unicode(pages[0][0].strip())
    assert set(preview) <= {chr(c) for c in range(0x2800, 0x2840)} | {"\n", "\f"}


def test_an_email_address_is_never_contracted(switchboard_out: Path) -> None:
    text = brf_file(switchboard_out, "switchboard", "en-GB").read_text(encoding="ascii")
    uncontracted = cells("ward7@example.org", "en-ueb-g1.ctb", uncontracted=True)
    assert uncontracted in text
    assert cells("ward7@example.org", "en-ueb-g2.ctb") not in text or (
        cells("ward7@example.org", "en-ueb-g2.ctb") == uncontracted)


@pytest.mark.parametrize(("lang", "table", "expected"), [
    ("en-GB", "en-ueb-g2.ctb", ["0161 496 0123 ext. 48215", "9 am to 5 pm, Monday to Friday"]),
    ("cy", "en-ueb-g1.ctb", ["0161 496 0123 est. 48215", "09:00 \u2013 17:00"]),
    ("ar", "ar-ar-g1.utb", ["0161 496 0123 تحويلة 48215", "1 يونيو 2028"]),
])
def test_each_language_reads_its_facts_back(
    switchboard_out: Path, lang: str, table: str, expected: list[str]
) -> None:
    path = brf_file(switchboard_out, "switchboard", lang)
    readings = _readings(path, table)
    for fact in expected:
        assert fact in readings, (fact, readings[:400])
    assert read_manifest(path.parent).artifacts["braille"].details["table"] == (
        brf.TABLES[lang.split("-", maxsplit=1)[0]].main)


def test_a_language_without_a_usable_table_builds_its_other_formats(
    switchboard_out: Path, caplog: pytest.LogCaptureFixture
) -> None:
    urdu = read_manifest(switchboard_out / "switchboard" / "ur")
    assert set(urdu.artifacts) == {"docx"}
    assert set(read_manifest(switchboard_out / "switchboard" / "cy").artifacts) == {
        "docx", "braille"}
    assert checked(switchboard_out).errors == []


def test_the_warning_names_the_file_and_the_reason(tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    folder = Path(shutil.copytree(DATA / "switchboard", tmp_path / "switchboard"))
    for other in ("en-GB", "cy", "ar"):
        (folder / f"{other}.md").unlink()
    build_braille(folder, _options(tmp_path), "docx")
    said = [r.getMessage() for r in caplog.records if "braille is not built" in r.getMessage()]
    assert said == [f"{folder / 'ur.md'}: braille is not built in ur: "
                    f"{brf.unsupported('ur')}"]
    assert "':'" in said[0]


def _readings(path: Path, table: str) -> str:
    """Return the whole BRF read back with one table, blocks joined by spaces."""
    blocks = text_blocks(text_lines(brf_pages(path)))
    return " ".join(reading(block, table) for block in blocks)


@pytest.mark.parametrize("fixture", ["minimal", "many-contacts", "busy-clinic", "glossary",
                                     "clinic-contacts", "usertest"])
def test_every_fixture_is_written_and_proved(fixture: str, tmp_path: Path) -> None:
    folder = Path(shutil.copytree(DATA / fixture, tmp_path / fixture))
    if fixture == "usertest":  # the user test's leaflet as its author left it
        (folder / "en-GB.v2.md").rename(folder / "en-GB.md")
        (folder / "en-GB.presplit.md").unlink()
    out = build_braille(folder, _options(tmp_path))
    report = checked(out, allow_edited=False)
    assert report.errors == [], report.text()
    built = {p.parent.name for p in out.rglob("*.brf")}
    assert built == {p.stem for p in folder.glob("*.md")} - {"ur"}
