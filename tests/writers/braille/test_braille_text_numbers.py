"""The braille user test's findings, read back from real BRFs (liblouis, no fakes): a link's
address, the text's numbers in Welsh braille, Welsh phone numbers and lines kept whole.

The leaflet is the user test's own (``tests/data/braille-numbers``: English and Welsh).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import shutil
from pathlib import Path

import pytest

from lmets_docs import brf
from lmets_docs.check.braille import reading, text_blocks, text_lines
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from tests.conftest import BEFORE_DUE, DATA
from tests.writers.braille.helpers import brf_file, brf_pages, build_braille, checked

LEAFLET = "braille-numbers"
OPTIONS = BuildOptions(out=Path("output"), jobs=1, today=BEFORE_DUE, templates=None)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the user test's leaflet in English and Welsh braille; return the output."""
    tmp = tmp_path_factory.mktemp("braille-numbers")
    folder = Path(shutil.copytree(DATA / LEAFLET, tmp / LEAFLET))
    return build_braille(folder, dataclasses.replace(OPTIONS, out=tmp / "output",
                                                     cache_dir=tmp / "cache"))


def lines(out: Path, lang: str) -> list[str]:
    """Return every line of the BRF, in Braille ASCII."""
    return [line for page in brf_pages(brf_file(out, LEAFLET, lang)) for line in page]


def read(out: Path, lang: str, table: str) -> list[str]:
    """Return the BRF's blocks read back with ``table``, whitespace folded."""
    return [" ".join(reading(block, table).split()) for block in text_blocks(
        text_lines(brf_pages(brf_file(out, LEAFLET, lang))))]


@pytest.mark.parametrize(("lang", "words"), [("en-GB", "NHS website"),
                                             ("cy", "wefan y GIG")])
def test_a_links_address_follows_its_words_uncontracted(out: Path, lang: str,
                                                        words: str) -> None:
    # The print gives "NHS website (www.nhs.uk/conditions/chemotherapy)."; so must braille,
    # the address letter for letter (UEB grade 1), as a contact's address is written.
    address = "www.nhs.uk/conditions/chemotherapy"
    found = [n for n, b in enumerate(read(out, lang, "en-ueb-g1.ctb")) if f"({address})" in b]
    tables = brf.tables_for(lang)
    assert tables is not None
    said = [n for n, b in enumerate(read(out, lang, tables.main)) if words.lower() in b.lower()]
    assert found == said and len(said) == 1, (found, said)  # in the link's own paragraph
    ueb = brf.to_ascii(brf.translate(address, "en-ueb-g1.ctb", [True] * len(address))[0])
    joined = "".join(line.strip().removesuffix('"') for line in lines(out, lang))
    assert ueb.replace("_/", "") in joined.replace("_/", ""), joined


def test_check_passes_the_built_braille(out: Path) -> None:
    # The build checks its new files before it installs them: both languages got there.
    assert all(brf_file(out, LEAFLET, lang).is_file() for lang in ("en-GB", "cy"))
    assert checked(out, allow_edited=False).errors == []


def test_welsh_numbers_in_the_text_are_written_as_its_facts_are(out: Path) -> None:
    # liblouis's Welsh table writes "37.5" as #CG1E and "10:30" as #AJ,3CJ, and reads them
    # back as "37.ef" and "10:cj"; the Welsh hours (facts) are UEB (#AJ3#JJ). One code: UEB.
    text = "\n".join(lines(out, "cy"))
    for number in ("37.5", "10:30", "140/90", "°C"):
        assert brf.to_ascii(brf.translate(number, "en-ueb-g1.ctb")[0]) in text, number
    assert "#CG1E" not in text and ",3" not in text and "0;,C" not in text
    read = " ".join(read_numbers(out, "cy"))
    for number in ("37.5 °C", "140/90", "am 10:30"):
        assert number in read, (number, read)
    steps = [b.split(" ", 1)[0] for b in read_numbers(out, "cy") if b[:1].isdecimal()]
    assert steps[:4] == ["1.", "2.", "3.", "4."]  # the Welsh table reads "1." back as "14"


def read_numbers(out: Path, lang: str) -> list[str]:
    """Return the BRF's blocks read back with the table its numbers are written in."""
    tables = brf.tables_for(lang)
    assert tables is not None
    return read(out, lang, tables.numbers_read())


@pytest.mark.parametrize("lang", ["en-GB", "cy"])
def test_the_numbers_are_recorded_in_reading_order(out: Path, lang: str) -> None:
    numbers = iter(read_manifest(out / LEAFLET / lang).artifacts["braille"].details["numbers"])
    text = ["808", "157", "192", "37.5", "1", "5", "8", "140", "90", "5", "9", "10", "1",
            "2027", "10", "30"]  # the triage line, then the text's own, in order
    assert all(number in numbers for number in text)


@pytest.mark.parametrize(("lang", "cells", "wrong", "said"), [
    ("cy", "#CG4E", "#CG4F", "reads 37.6 where the leaflet has 37.5"),
    ("cy", "#AJ3#CJ >", "#AJ3#DJ >", "reads 40 where the leaflet has 30"),
    ("en-GB", "#CG4E", "#CG4F", "reads 37.6 where the leaflet has 37.5"),
    ("cy", "#ADJ_/#IJ", "#ADJ_/#HJ", "reads 80 where the leaflet has 90")])
def test_check_catches_one_wrong_digit_in_the_texts_numbers(
        out: Path, tmp_path: Path, lang: str, cells: str, wrong: str, said: str) -> None:
    copy = Path(shutil.copytree(out, tmp_path / "output"))
    path = brf_file(copy, LEAFLET, lang)
    text = path.read_bytes().decode("ascii")
    assert text.count(cells) == 1, cells
    path.write_bytes(text.replace(cells, wrong).encode("ascii"))
    found = [f.message for f in checked(copy).errors if f.code == "brf-number"]
    assert len(found) == 1, found
    assert found[0].startswith(f"the braille {said} (numbers read back with "), found


@pytest.mark.parametrize("lang", ["en-GB", "cy"])
def test_every_phone_number_has_the_ueb_numeric_space(out: Path, lang: str) -> None:
    # Welsh wrote "#JHJH #AEG #JAIB" (three numbers to a reader) unless the number had an
    # extension; now every number, in both languages, is one: "#JHJH"AEG"JAIB".
    text = "\n".join(lines(out, lang))
    for number in ('#JHJH"AEG"JAIB', '#JAAC"DIF"JDEF', '#JAFA"DIF"JABC'):
        assert text.count(number) >= 2, number  # in the text and in the contacts
    for plain in ("#JHJH #AEG", "#JAAC #DIF", "#JAFA #DIF"):
        assert plain not in text


UNIT_STARTS = ("AM", "PM", "MG", "^J,C", ",M>*", ",MA\"W", ",MEHEF9", ",JUNE", "#BJB")
"""How a line would start if it began with what belongs to the number before it: a day
period, a unit, a month (English, Welsh) or a month's year."""


@pytest.mark.parametrize("lang", ["en-GB", "cy"])
def test_a_number_keeps_its_unit_its_day_period_and_its_month(out: Path, lang: str) -> None:
    broken = []
    for page in brf_pages(brf_file(out, LEAFLET, lang)):
        for line, following in itertools.pairwise(page):
            last = line.rstrip().rsplit(" ", 1)[-1]
            first = following.strip().split(" ", 1)[0]
            if (last.startswith("#") or last.endswith(",M>*")) and first.startswith(
                    UNIT_STARTS):
                broken.append(f"{line.strip()} / {following.strip()}")
    assert broken == []
    text = "\n".join(lines(out, lang))
    kept = ["#CG4E ^J,C", "#A ,M>* #BJBG4", "#H AM", "#H PM"] if lang == "en-GB" else [
        "#CG4E ^J,C", '#A ,MA"W #BJBG4', "#E MG"]
    assert all(k in text for k in kept), [k for k in kept if k not in text]


@pytest.fixture(scope="module")
def fever(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the fever leaflet (37.5 °C, 8 mg) in braille: English and Arabic (Urdu refused)."""
    tmp = tmp_path_factory.mktemp("braille-fever")
    folder = Path(shutil.copytree(DATA / "chemo-fever", tmp / "chemo-fever"))
    return build_braille(folder, dataclasses.replace(OPTIONS, out=tmp / "output",
                                                     cache_dir=tmp / "cache"))


def _break(out: Path, tmp_path: Path, leaflet: str, lang: str, cells: str, wrong: str) -> Path:
    copy = Path(shutil.copytree(out, tmp_path / "output"))
    path = brf_file(copy, leaflet, lang)
    text = path.read_bytes().decode("ascii")
    assert cells in text
    path.write_bytes(text.replace(cells, wrong, 1).encode("ascii"))
    return copy


def test_arabic_braille_numbers_are_read_back_too(fever: Path, tmp_path: Path) -> None:
    assert checked(fever, allow_edited=False).errors == []
    copy = _break(fever, tmp_path, "chemo-fever", "ar", "#CG4E", "#CG4F")
    found = [f.message for f in checked(copy).errors if f.code == "brf-number"]
    assert len(found) == 1 and "reads 37.6 where the leaflet has 37.5" in found[0], found


def test_a_brf_built_before_numbers_were_recorded_is_not_judged_on_them(
        out: Path, tmp_path: Path) -> None:
    copy = _break(out, tmp_path, LEAFLET, "cy", "#CG4E", "#CG4F")
    manifest = copy / LEAFLET / "cy" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    del data["artifacts"]["braille"]["details"]["numbers"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert [f for f in checked(copy).errors if f.code == "brf-number"] == []
