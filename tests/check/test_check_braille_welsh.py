"""Welsh braille is read back with its punctuation: "1." is "1.", not "14".

liblouis's Welsh tables (cy-cy-g2.ctb, cy-cy-g1.utb, 3.24) write the full stop as dots 256
and the comma as dot 2, as Welsh braille and UEB do, but read those lower cells back as the
lowered digits their ``loweredDigits6Dots.uti`` defines: ``lou_translate -b`` with the table
reads "1." as "14" and "0000," as "00001". The tables are wrong, not our reading of them.
``check`` reads Welsh braille with tables of our own (``lmets_docs/louis``: the same tables
and back-translation rules for that punctuation), so a number reads as itself: a wrong digit
before a comma is a wrong phone number, not an unreadable one, and a real digit still reads
as a digit. Welsh braille writes its numbers in UEB (the braille lane), which the Welsh
table reads as no number: ``check`` also reads each block's phone numbers with UEB, so a
wrong digit is named as a wrong phone number (``fact-phone``), as in print, not only as a
number read back wrong (``brf-number``). Real builds of ``tests/data/steps`` and
``tests/data/switchboard`` (Welsh) with liblouis, edited cell by cell.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from lmets_docs import brf
from lmets_docs.check import check
from lmets_docs.check.braille import pages, reading, text_blocks, text_lines
from lmets_docs.options import BuildOptions
from tests.conftest import DATA
from tests.writers.braille.helpers import brf_file, build_braille

TODAY = dt.date(2026, 1, 5)
PHONE = '#JBJ"GIDF"JJJJ'
"""The helpline as the Welsh braille writes it: UEB's numeric space, as English (the braille
lane: the Welsh table's plain spaces read as three numbers)."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("welsh-braille")
    options = BuildOptions(out=tmp / "output", langs=("cy",), today=TODAY, templates=None,
                           cache_dir=tmp / "cache")
    return build_braille(DATA / "steps", options)


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "output"))


def _back(text: str, table: str) -> str:
    return subprocess.run(["lou_translate", "--backward", f"unicode.dis,{table}"], input=text,
                          capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.mark.parametrize("table", ["cy-cy-g2.ctb", "cy-cy-g1.utb"])
def test_liblouis_welsh_tables_read_their_own_full_stop_back_as_a_digit(table: str) -> None:
    braille = brf.translate("Cam 1. Ffoniwch 0000, 1", table)[0]
    assert braille == "⠠⠉⠁⠍⠀⠼⠁⠲⠀⠠⠋⠋⠕⠝⠊⠺⠡⠀⠼⠚⠚⠚⠚⠂⠀⠼⠁"  # what UEB writes too
    assert _back(braille, table) == "Cam 14 Ffoniwch 00001 1"  # the table's own reading
    assert brf.back(braille, brf.reading_table(table)) == "Cam 1. Ffoniwch 0000, 1"


def test_each_numbered_step_reads_back_with_its_number(built: Path) -> None:
    blocks = text_blocks(text_lines(pages(brf_file(built, "steps", "cy"))))
    read = [reading(block, "cy-cy-g2.ctb") for block in blocks]
    assert "2. Rhowch y thermomedr o dan eich tafod." in read  # was "24 … tafod4"
    assert any(text.startswith("1. Golchwch eich ") for text in read)  # was "14 Golchwch"
    # The number is in UEB (the Welsh table cannot read its numeric space back): proved by
    # check's fact reading, test_a_wrong_last_digit_before_a_comma_is_a_wrong_phone_number.
    assert "4. Ffoniwch y Llinell gymorth enghreifftiol ar " in " ".join(read)


def test_the_built_welsh_braille_passes(out: Path) -> None:
    assert check([out], today=TODAY, allow_edited=False).errors == []


def test_a_wrong_last_digit_before_a_comma_is_a_wrong_phone_number(out: Path) -> None:
    path = brf_file(out, "steps", "cy")
    text = path.read_bytes().decode("latin-1")
    assert f"{PHONE}1" in text  # the number, then the comma (dot 2)
    path.write_bytes(text.replace(f"{PHONE}1", f"{PHONE[:-1]}A1", 1).encode("latin-1"))
    errors = check([out], today=TODAY).errors
    # Named as the helpline's number (fact-phone), as in print: the fact reading reads the
    # numbers with the table they are written in (UEB), where the Welsh table's reading of
    # them is no number; and caught by the numbers read back (the braille lane's brf-number).
    assert [(f.code, f.message) for f in errors if f.code in ("fact-phone", "brf-number")] == [
        ("fact-phone", "phone number '020 7946 0001' is not the helpline's '020 7946 0000'"),
        ("brf-number", "the braille reads 1 where the leaflet has 0 (numbers read back with "
                       "en-ueb-g1.ctb): rebuild it, or correct the cells")], [
        f"{f.code}: {f.message}" for f in errors]


@pytest.fixture(scope="module")
def switchboard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Welsh braille of two contacts reached through extensions ("est. 48215")."""
    tmp = tmp_path_factory.mktemp("welsh-switchboard")
    options = BuildOptions(out=tmp / "output", langs=("cy",), today=TODAY, templates=None,
                           cache_dir=tmp / "cache")
    return build_braille(DATA / "switchboard", options)


def test_welsh_numbers_with_extensions_read_as_their_contacts(switchboard: Path) -> None:
    assert check([switchboard], today=TODAY).errors == []


def test_a_wrong_digit_in_an_extension_is_a_wrong_phone_number(
        switchboard: Path, tmp_path: Path) -> None:
    out = Path(shutil.copytree(switchboard, tmp_path / "output"))
    path = brf_file(out, "switchboard", "cy")
    text = path.read_bytes().decode("latin-1")
    assert "EST4 #DHBAE1" in text  # "est. 48215," in the text, before the box
    path.write_bytes(text.replace("EST4 #DHBAE1", "EST4 #DHBAF1", 1).encode("latin-1"))
    errors = check([out], today=TODAY, allow_edited=True).errors
    assert [(f.code, f.message) for f in errors if f.code == "fact-phone"] == [
        ("fact-phone", "phone number '0161 496 0123 ext 48216' is not any contact's "
                       "('0161 496 0123 est. 48215', '0113 496 0456 est. 2301')")], [
        f"{f.code}: {f.message}" for f in errors]
