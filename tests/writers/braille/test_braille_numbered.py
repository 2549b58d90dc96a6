"""Numbered steps in braille: each item starts with its number as print gives it ("3." from a
list's start, in the language's digits), read back with liblouis from the BRF.

Braille has no list numbering of its own: the number is written before the item's words in
cell 1, as the bullet is. The bullet is UEB's (dots 456, 256) in every language: liblouis's
Welsh table has no cell for the bullet character, and Welsh braille follows UEB.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from lmets_docs import brf
from lmets_docs.check.braille import reading, text_blocks, text_lines
from lmets_docs.options import BuildOptions
from tests.conftest import DATA
from tests.writers.braille.helpers import brf_file, brf_pages, build_braille, checked

TODAY_OPTIONS = BuildOptions(out=Path("output"), tts="espeak", jobs=1, templates=None)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the steps leaflet's English, Welsh and Egyptian Arabic braille; return the output."""
    tmp = tmp_path_factory.mktemp("braille-steps")
    folder = Path(shutil.copytree(DATA / "steps", tmp / "steps"))
    return build_braille(folder, dataclasses.replace(TODAY_OPTIONS, out=tmp / "output",
                                                     cache_dir=tmp / "cache"))


def blocks(out: Path, lang: str) -> list[str]:
    """Return the BRF's text blocks read back with the language's main table."""
    table = brf.tables_for(lang)
    assert table is not None
    return [reading(block, table.main) for block in text_blocks(text_lines(
        brf_pages(brf_file(out, "steps", lang))))]


def test_each_step_starts_with_its_number_from_the_lists_start(out: Path) -> None:
    read = [" ".join(block.split()).lower() for block in blocks(out, "en-GB")]
    for step in ("1. wash your hands.", "3. wait for the beep.", "3. write down the number.",
                 "4. call the example support line", "14. sit down quietly"):
        assert any(block.startswith(step) for block in read), step
    assert any(block.startswith("\u2022 a digital thermometer") for block in read)


def test_arabic_steps_carry_their_numbers(out: Path) -> None:
    read = [" ".join(block.split()) for block in blocks(out, "ar-EG")]
    numbered = [block.split(" ", 1)[0] for block in read if block[:1].isdecimal()]
    assert [int(label.rstrip(".")) for label in numbered[:5]] == [1, 2, 3, 3, 4]


def test_check_proves_the_braille_of_the_steps(out: Path) -> None:
    assert checked(out, allow_edited=False).errors == []


@pytest.mark.parametrize("lang", ["en-GB", "cy", "ar-EG"])
def test_bullets_are_ueb_bullets_in_every_language(out: Path, lang: str) -> None:
    lines = [line for page in brf_pages(brf_file(out, "steps", lang)) for line in page]
    bullets = [line for line in lines if line.startswith("_4 ")]
    assert len(bullets) >= 2, lines
    assert all(brf.six_dot(brf.to_unicode(line)) for line in lines)


def test_welsh_steps_carry_their_numbers(out: Path) -> None:
    # Read with UEB's table: the braille of "1." is UEB's (#A4), which liblouis's Welsh table
    # reads back as "14" (dots 256 taken as the digit 4 after a number).
    read = [" ".join(reading(block, "en-ueb-g1.ctb").split()) for block in text_blocks(
        text_lines(brf_pages(brf_file(out, "steps", "cy"))))]
    numbered = [block.split(" ", 1)[0] for block in read if block[:1].isdecimal()]
    assert [int(label.rstrip(".")) for label in numbered[:5]] == [1, 2, 3, 3, 4]
